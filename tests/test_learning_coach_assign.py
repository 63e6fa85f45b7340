"""Assigning a coach: a coaching-qualified colleague of the trust, in any school, outside the
person's line management, below the trust's limit; by trust admins and headteachers only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from growth.models import AuditEvent
from learning import selectors, services
from learning.models import CoachAssignment
from tests.factories import make_staff
from tests.learning_fixtures import make_coach


def test_it_lets_the_headteacher_give_a_qualified_colleague_of_another_school(in_trust):
    w = in_trust
    coach = make_coach(w)
    assignment = services.coach_assign(actor=w.head, coachee=w.staff, coach=coach)
    assert assignment.coach == coach and assignment.is_current
    assert AuditEvent.objects.filter(action="coaching.assign", subject=w.staff).exists()


def test_it_lets_a_trust_admin_assign_anyone_in_the_trust(in_trust):
    w = in_trust
    coach = make_coach(w, school=w.school, line_manager=w.head)
    assert services.coach_assign(actor=w.admin, coachee=w.other_school_staff, coach=coach)


def test_it_refuses_a_colleague_without_the_coaching_qualification(in_trust):
    w = in_trust
    with pytest.raises(ValidationError) as error:
        services.coach_assign(actor=w.head, coachee=w.staff, coach=w.colleague)
    assert "does not hold the coaching qualification" in str(error.value.message_dict["coach"])
    assert not CoachAssignment.objects.exists()


@pytest.mark.parametrize("who", ["manager", "head"])
def test_it_refuses_anyone_above_the_person_in_their_line(in_trust, who):
    w = in_trust
    above = getattr(w, who)
    above.coaching_qualified = True
    above.save(update_fields=["coaching_qualified"])
    with pytest.raises(ValidationError) as error:
        services.coach_assign(actor=w.admin, coachee=w.staff, coach=above)
    assert "line management" in str(error.value.message_dict["coach"])


def test_it_refuses_someone_the_person_line_manages(in_trust):
    w = in_trust
    w.staff.coaching_qualified = True
    w.staff.save(update_fields=["coaching_qualified"])
    with pytest.raises(ValidationError):
        services.coach_assign(actor=w.admin, coachee=w.head, coach=w.staff)


def test_it_refuses_a_coach_at_the_trusts_limit(in_trust):
    w = in_trust
    services.learning_settings_update(actor=w.admin, coachees_per_coach=1)
    coach = make_coach(w)
    services.coach_assign(actor=w.head, coachee=w.staff, coach=coach)
    with pytest.raises(ValidationError) as error:
        services.coach_assign(actor=w.head, coachee=w.colleague, coach=coach)
    assert "the trust's limit" in str(error.value.message_dict["coach"])


def test_it_refuses_people_who_are_not_trust_admins_or_the_headteacher(in_trust):
    w = in_trust
    coach = make_coach(w)
    for actor in (w.staff, w.manager, w.colleague, w.other_head, coach):
        with pytest.raises(PermissionDenied):
            services.coach_assign(actor=actor, coachee=w.staff, coach=coach)
    assert not CoachAssignment.objects.exists()


def test_a_new_coach_ends_the_previous_one(in_trust):
    w = in_trust
    first, second = make_coach(w, first_name="Fay"), make_coach(w, first_name="Gus")
    old = services.coach_assign(actor=w.head, coachee=w.staff, coach=first)
    services.coach_assign(actor=w.head, coachee=w.staff, coach=second)
    old.refresh_from_db()
    assert old.ended_on is not None
    assert selectors.current_assignment(coachee=w.staff).coach == second


def test_suggestions_are_qualified_outside_the_line_and_fewest_coachees_first(in_trust):
    w = in_trust
    services.learning_settings_update(actor=w.admin, coachees_per_coach=2)
    busy = make_coach(w, first_name="Abe")
    free = make_coach(w, first_name="Zed")
    full = make_coach(w, first_name="Max")
    w.manager.coaching_qualified = True  # in Sam's line: never suggested
    w.manager.save(update_fields=["coaching_qualified"])
    services.coach_assign(actor=w.admin, coachee=w.colleague, coach=busy)
    for _ in range(2):
        person = make_staff(w.trust, w.other_school, line_manager=w.other_head, password=None)
        services.coach_assign(actor=w.admin, coachee=person, coach=full)
    found = selectors.coach_suggestions(coachee=w.staff)
    assert [(s.coach, s.coachees) for s in found] == [(free, 0), (busy, 1)]
