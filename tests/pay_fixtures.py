"""Helpers for the pay progression and Upper Pay Scale tests: teachers on a pay range, and
reviews decided in this and earlier cycles."""

from __future__ import annotations

from growth.domain.services import staff_member_update
from growth.models import GrowthCycle, StaffMember
from growth.security.tenancy import trust_scope
from reviews import services
from reviews.models import Review
from tests.factories import TrustWorld, make_cycle
from tests.reviews_fixtures import placed_review

# The default outcome key: cell 5 is Met, 10 Exceeded, 4 Partially met, 1 Not met.
MET, EXCEEDED, PARTIALLY_MET = 5, 10, 4


def on_pay(world: TrustWorld, person: StaffMember, pay_range: str, point: int) -> StaffMember:
    with trust_scope(world.trust):
        staff_member_update(actor=None, staff=person, pay_range=pay_range, pay_point=point)
    person.refresh_from_db()
    return person


def decided_review(
    world: TrustWorld,
    person: StaffMember | None = None,
    *,
    cell: int = MET,
    cycle: GrowthCycle | None = None,
) -> Review:
    """A review of ``person`` placed in ``cell`` and decided (confirmed) by the head."""
    review = placed_review(world, person=person, cell=cell, submit=True, cycle=cycle)
    with trust_scope(world.trust):
        services.review_decide(actor=world.head, review=review, outcome=review.placed_outcome)
    review.refresh_from_db()
    return review


def earlier_cycles(world: TrustWorld, years: int = 2) -> list[GrowthCycle]:
    """The ``years`` cycles before the world's, most recent first."""
    start = world.cycle.start_date.year
    return [make_cycle(world.trust, start_year=start - n) for n in range(1, years + 1)]
