"""In Chromium, from the demo: the trust admin (HR) opens a maths teacher of Northbridge Primary
from People, makes them headteacher of Hillcrest Academy, then ends the role, at 1280 px and
375 px; the role is saved for that school and then gone, and the audit trail records both,
done by the admin; every page passes axe and nothing is wider than the window."""

from __future__ import annotations

import pytest

from growth.models import AuditEvent, RoleAssignment, School
from tests import demo as people
from tests.browser import assert_fits

OTHER_SCHOOL = "Hillcrest Academy"  # the demo's second school, not the teacher's


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 800), (375, 740)])
def test_hr_makes_someone_a_headteacher_and_ends_the_role_from_their_page(
    follow_menu, demo, live_server, page, sign_in, assert_accessible, size
):
    admin, teacher = demo.person(people.TRUST_ADMIN), demo.person("s1-t4")
    other_school = School.objects.for_trust(demo.northbridge).get(name=OTHER_SCHOOL)
    assert teacher.school != other_school
    audited_before = set(
        AuditEvent.objects.for_trust(demo.northbridge).values_list("pk", flat=True)
    )
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(page, admin, demo.password)
    follow_menu(page, "People")
    assert_fits(page, "people")
    page.get_by_role("link", name=teacher.full_name).click()
    page.wait_for_load_state()
    assert_accessible(page, "person")
    assert_fits(page, "their page")
    page.get_by_role("combobox", name="Role").select_option("headteacher")
    page.get_by_role("combobox", name="School or team").select_option(label=other_school.name)
    page.get_by_role("button", name="Give role").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{teacher.full_name} is now Headteacher").is_visible()
    assert_accessible(page, "person with a role")
    assert_fits(page, "their page with a role")
    role = RoleAssignment.objects.for_trust(demo.northbridge).get(
        staff_member=teacher, role="headteacher"
    )
    assert role.school_id == other_school.pk

    page.get_by_role("button", name="End this role").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{teacher.full_name} is no longer").is_visible()
    assert_fits(page, "their page without the role")
    assert not RoleAssignment.objects.for_trust(demo.northbridge).filter(pk=role.pk).exists()
    actions = list(
        AuditEvent.objects.for_trust(demo.northbridge)
        .filter(subject=teacher, actor=admin.user)
        .exclude(pk__in=audited_before)
        .values_list("action", flat=True)
    )
    assert "role.assign" in actions and "role.revoke" in actions
