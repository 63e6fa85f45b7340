"""People and roles managed from a person's page: the trust admin gives and ends roles, sets
the line manager, leave date and the flags that change what a person writes; every change is
audited, and a refusal says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from growth.models import AuditEvent, RoleAssignment, StaffMember


def person_url(person, name="person", **extra):
    return reverse(name, kwargs={"public_id": person.public_id, **extra})


def audited(world, action, subject):
    return AuditEvent.objects.for_trust(world.trust).filter(action=action, subject=subject)


def details(person, **changes):
    data = {
        "line_manager": person.line_manager_id or "",
        "leave_date": person.leave_date.isoformat() if person.leave_date else "",
    }
    for flag in ("holds_tlr", "is_senior_leader", "is_coaching_facilitator", "coaching_qualified"):
        if getattr(person, flag):
            data[flag] = "on"
    data.update(changes)
    return data


def test_it_makes_someone_a_headteacher_from_their_page(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        person_url(world.colleague, "person_role_add"),
        {"role": "headteacher", "school": world.other_school.pk},
    )
    assert response.status_code == 302
    assert (
        RoleAssignment.objects.for_trust(world.trust)
        .filter(staff_member=world.colleague, role="headteacher", school=world.other_school)
        .exists()
    )
    assert audited(world, "role.assign", world.colleague).exists()
    page = client.get(person_url(world.colleague)).content.decode()
    assert "is now Headteacher / manager of" in page


def test_it_makes_someone_a_trust_admin_and_ends_the_role(world, client_for):
    client = client_for(world.admin)
    client.post(person_url(world.manager, "person_role_add"), {"role": "trust_admin"})
    role = RoleAssignment.objects.for_trust(world.trust).get(
        staff_member=world.manager, role="trust_admin"
    )
    response = client.post(reverse("person_role_end", args=[role.public_id]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.for_trust(world.trust).filter(pk=role.pk).exists()
    assert audited(world, "role.revoke", world.manager).exists()


def test_it_asks_for_the_school_when_making_a_headteacher(world, client_for):
    response = client_for(world.admin).post(
        person_url(world.colleague, "person_role_add"), {"role": "headteacher"}
    )
    assert response.status_code == 400
    assert "Choose the school or team they will lead." in response.content.decode()
    assert not audited(world, "role.assign", world.colleague).exists()


def test_it_refuses_to_end_the_last_trust_admin(world, client_for):
    role = RoleAssignment.objects.for_trust(world.trust).get(
        staff_member=world.admin, role="trust_admin"
    )
    response = client_for(world.admin).post(reverse("person_role_end", args=[role.public_id]))
    assert response.status_code == 400
    assert "only trust admin" in response.content.decode()
    assert RoleAssignment.objects.for_trust(world.trust).filter(pk=role.pk).exists()


def test_it_refuses_a_role_given_twice_with_a_message(world, client_for):
    response = client_for(world.admin).post(
        person_url(world.head, "person_role_add"),
        {"role": "headteacher", "school": world.school.pk},
    )
    assert response.status_code == 400
    assert "is already Headteacher / manager of" in response.content.decode()


def test_it_sets_the_flags_line_manager_and_leave_date(world, client_for):
    response = client_for(world.admin).post(
        person_url(world.staff, "person_details"),
        details(
            world.staff,
            line_manager=world.head.pk,
            leave_date="2027-07-31",
            holds_tlr="on",
            asked_for_leadership_goal="on",
            is_coaching_facilitator="on",
        ),
    )
    assert response.status_code == 302
    staff = StaffMember.objects.for_trust(world.trust).get(pk=world.staff.pk)
    assert staff.line_manager_id == world.head.pk
    assert str(staff.leave_date) == "2027-07-31"
    assert staff.holds_tlr and staff.asked_for_leadership_goal and staff.is_coaching_facilitator
    assert staff.writes_leadership_goal
    event = audited(world, "staff.update", world.staff).get()
    assert event.after["holds_tlr"] is True and event.before["holds_tlr"] is False


def test_it_refuses_a_line_manager_loop_naming_the_field(world, client_for):
    response = client_for(world.admin).post(
        person_url(world.manager, "person_details"),
        details(world.manager, line_manager=world.staff.pk),
    )
    assert response.status_code == 400
    assert "would make a loop" in response.content.decode()
    manager = StaffMember.objects.for_trust(world.trust).get(pk=world.manager.pk)
    assert manager.line_manager_id != world.staff.pk


def test_it_refuses_a_leave_date_before_the_start(world, client_for):
    response = client_for(world.admin).post(
        person_url(world.staff, "person_details"), details(world.staff, leave_date="2001-01-01")
    )
    assert response.status_code == 400
    assert "The leave date is before the start date." in response.content.decode()


def test_a_headteacher_changes_details_for_their_school_but_gives_no_roles(world, client_for):
    client = client_for(world.head)
    response = client.post(
        person_url(world.staff, "person_details"), details(world.staff, holds_tlr="on")
    )
    assert response.status_code == 302
    response = client.post(person_url(world.staff, "person_role_add"), {"role": "trust_admin"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["staff", "manager", "colleague"])
def test_nobody_else_changes_roles_or_details(world, client_for, who):
    client = client_for(getattr(world, who))
    target = world.support if who != "staff" else world.colleague
    for name in ("person_role_add", "person_details"):
        response = client.post(person_url(target, name), {"role": "trust_admin"})
        assert response.status_code in (403, 404)
    assert not audited(world, "role.assign", target).exists()


def test_another_trusts_admin_gets_a_404(world, other_world, client_for):
    response = client_for(other_world.admin).post(
        person_url(world.staff, "person_role_add"), {"role": "trust_admin"}
    )
    assert response.status_code == 404


def test_the_page_links_only_to_what_the_viewer_may_open(world, client_for):
    admin_page = client_for(world.admin).get(person_url(world.staff)).content.decode()
    assert "Check-ins and observations" in admin_page
    assert "Data protection" in admin_page
    manager_page = client_for(world.manager).get(person_url(world.staff)).content.decode()
    assert "Check-ins and observations" in manager_page
    assert "Data protection" not in manager_page
    assert "Give role" not in manager_page
