"""One of each learning record for ``world.staff``, for the cross-trust test."""

from __future__ import annotations

from decimal import Decimal

from learning import services
from learning.models import LearningEntry
from tests.factories import TrustWorld
from tests.learning_fixtures import coach_with_session, log_learning


def populate(world: TrustWorld) -> None:
    coach_with_session(world)
    entry = log_learning(
        world.staff,
        title="Alpha trust's NPQ in leading teaching",
        provider="Alpha teaching school hub",
        kind=LearningEntry.Kind.QUALIFICATION,
        cost=Decimal("450"),
        paid_by=LearningEntry.PaidBy.SCHOOL,
    )
    services.learning_impact_record(
        actor=world.staff, entry=entry, impact="Sam's department now plans retrieval together."
    )
    services.learning_budget_set(
        actor=world.head, school=world.school, cycle=world.cycle, amount=Decimal("2500")
    )
