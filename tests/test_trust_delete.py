"""Deleting a trust (offboarding) deletes every record it owns, and nothing of another trust."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

from growth.models import Trust
from growth.privacy.services import trust_delete
from growth.security.tenancy import TrustOwned, trust_scope
from tests.reviews_fixtures import placed_review


def owned_counts(trust_id: int) -> dict[str, int]:
    found = {}
    for model in apps.get_models():
        if issubclass(model, TrustOwned):
            found[model._meta.label] = model.objects.unscoped().filter(trust_id=trust_id).count()
    return found


def test_it_deletes_a_trust_with_a_year_of_records(
    world, other_world, django_capture_on_commit_callbacks
):
    from checkins.selectors import expected_dates
    from checkins.services import CheckinData, checkin_record
    from objectives.services import plan_start

    with trust_scope(world.trust):
        plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
        due = expected_dates(staff=world.staff, cycle=world.cycle)[0]
        checkin_record(
            actor=world.manager,
            staff=world.staff,
            cycle=world.cycle,
            due_on=due,
            data=CheckinData(held_on=due, reflections={"self": "Tried quizzes."}),
        )
    placed_review(world, submit=True)
    other_before = owned_counts(other_world.trust.pk)
    assert sum(owned_counts(world.trust.pk).values()) > 20
    users = get_user_model().objects.filter(staff_member__trust=world.trust).count()
    assert users
    with django_capture_on_commit_callbacks(execute=True):
        trust_delete(trust=world.trust)
    assert not Trust.objects.filter(pk=world.trust.pk).exists()
    assert sum(owned_counts(world.trust.pk).values()) == 0
    assert get_user_model().objects.filter(email=world.staff.email).count() == 0
    assert owned_counts(other_world.trust.pk) == other_before
