"""The coaching pages: the coach and coachee read and write their sessions; every other role
sees at most that sessions happened and how many, never their focus or notes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from growth.security.tenancy import trust_scope
from learning.models import CoachAssignment, CoachingSession
from tests.learning_fixtures import SECRET_NOTE, coach_with_session, make_coach

FOCUS = "Confidence with difficult conversations"


def test_it_shows_the_coachee_and_the_coach_their_sessions_and_notes(world, client_for):
    assignment, session = coach_with_session(world)
    for person in (world.staff, assignment.coach):
        body = client_for(person).get(reverse("learning:coaching")).content.decode()
        assert SECRET_NOTE in body and FOCUS in body
        edit = client_for(person).get(reverse("learning:session_edit", args=[session.public_id]))
        assert edit.status_code == 200


@pytest.mark.parametrize(
    "role, status",
    [
        ("manager", 403),
        ("head", 403),
        ("admin", 403),
        ("colleague", 404),
        ("support", 404),
        ("other_head", 404),
        ("other_school_staff", 404),
    ],
)
def test_every_other_role_is_refused_the_session_and_never_sees_its_notes(
    world, client_for, role, status
):
    assignment, session = coach_with_session(world)
    client = client_for(world.everyone[role])
    for url in (
        reverse("learning:session_edit", args=[session.public_id]),
        reverse("learning:session_new", args=[assignment.public_id]),
    ):
        assert client.get(url).status_code == status
    assert (
        client.post(
            reverse("learning:session_new", args=[assignment.public_id]),
            {"held_on": "2026-09-21", "minutes": 30, "focus": "Sneaky"},
        ).status_code
        == status
    )
    for url in (
        reverse("learning:coaching"),
        reverse("learning:coaching_overview"),
        reverse("learning:coaching_person", args=[world.staff.public_id]),
    ):
        body = client.get(url).content.decode()
        assert SECRET_NOTE not in body and FOCUS not in body, (role, url)


@pytest.mark.parametrize("role", ["manager", "head", "admin"])
def test_leaders_see_who_coaches_and_how_many_sessions(world, client_for, role):
    assignment, _ = coach_with_session(world)
    response = client_for(world.everyone[role]).get(
        reverse("learning:coaching_person", args=[world.staff.public_id])
    )
    body = response.content.decode()
    assert assignment.coach.full_name in body
    assert '<dd class="col-sm-9" id="session-count">1</dd>' in body


def test_the_coach_page_lists_coachees_and_sessions(world, client_for):
    assignment, _ = coach_with_session(world)
    body = client_for(assignment.coach).get(reverse("learning:coaching")).content.decode()
    assert "My coachees" in body and world.staff.full_name in body


def test_the_coachee_records_a_session_linked_to_nothing_and_bad_input_names_the_field(
    world, client_for
):
    assignment, _ = coach_with_session(world)
    url = reverse("learning:session_new", args=[assignment.public_id])
    client = client_for(world.staff)
    bad = client.post(url, {"held_on": "2026-09-22", "minutes": 2, "focus": "x"})
    assert bad.status_code == 400
    assert "Length (minutes)" in bad.content.decode() or "minutes" in bad.content.decode()
    good = client.post(url, {"held_on": "2026-09-22", "minutes": 30, "focus": "Planning"})
    assert good.status_code == 302
    with trust_scope(world.trust):
        assert CoachingSession.objects.filter(assignment=assignment).count() == 2


def test_the_headteacher_assigns_a_suggested_coach(world, client_for):
    coach = make_coach(world)
    url = reverse("learning:coaching_person", args=[world.staff.public_id])
    page = client_for(world.head).get(url).content.decode()
    assert f"Assign {coach.full_name}" in page
    response = client_for(world.head).post(url, {"coach": coach.pk})
    assert response.status_code == 302
    with trust_scope(world.trust):
        assert CoachAssignment.objects.get(coachee=world.staff).coach == coach


def test_a_refused_coach_is_a_400_naming_the_coach_field(world, client_for):
    world.manager.coaching_qualified = True
    world.manager.save(update_fields=["coaching_qualified"])
    url = reverse("learning:coaching_person", args=[world.staff.public_id])
    response = client_for(world.head).post(url, {"coach": world.manager.pk})
    assert response.status_code == 400
    assert "line management" in response.content.decode()
    with trust_scope(world.trust):
        assert not CoachAssignment.objects.exists()


def test_a_line_manager_cannot_assign(world, client_for):
    coach = make_coach(world)
    url = reverse("learning:coaching_person", args=[world.staff.public_id])
    assert client_for(world.manager).post(url, {"coach": coach.pk}).status_code == 403


def test_another_trust_gets_404(world, other_world, client_for):
    assignment, session = coach_with_session(world)
    client = client_for(other_world.admin)
    for url in (
        reverse("learning:coaching_person", args=[world.staff.public_id]),
        reverse("learning:session_edit", args=[session.public_id]),
        reverse("learning:session_new", args=[assignment.public_id]),
    ):
        assert client.get(url).status_code == 404
