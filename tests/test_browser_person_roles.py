"""In Chromium: the trust admin opens a person from People, makes them a headteacher, then
ends the role, at 1280 px and 375 px; the audit trail records both; every page passes axe
and nothing is wider than the window."""

from __future__ import annotations

import pytest

from growth.models import AuditEvent, RoleAssignment
from tests.browser import assert_fits


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1280, 800), (375, 740)])
def test_hr_makes_someone_a_headteacher_and_ends_the_role_from_their_page(
    follow_menu, world, live_server, page, sign_in, assert_accessible, size
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(page, world.admin)
    follow_menu(page, "People")
    page.get_by_role("link", name=world.colleague.full_name).click()
    page.wait_for_load_state()
    assert_accessible(page, "person")
    assert_fits(page, "their page")
    page.get_by_role("combobox", name="Role").select_option("headteacher")
    page.get_by_role("combobox", name="School or team").select_option(label=world.other_school.name)
    page.get_by_role("button", name="Give role").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{world.colleague.full_name} is now Headteacher").is_visible()
    assert_accessible(page, "person with a role")
    assert_fits(page, "their page with a role")
    role = RoleAssignment.objects.for_trust(world.trust).get(
        staff_member=world.colleague, role="headteacher"
    )
    assert role.school_id == world.other_school.pk

    page.get_by_role("button", name="End this role").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"{world.colleague.full_name} is no longer").is_visible()
    assert not RoleAssignment.objects.for_trust(world.trust).filter(pk=role.pk).exists()
    actions = list(
        AuditEvent.objects.for_trust(world.trust)
        .filter(subject=world.colleague)
        .values_list("action", flat=True)
    )
    assert "role.assign" in actions and "role.revoke" in actions
