"""Helpers for the separation-of-duties tests: the trust's central leadership (a CEO who line
manages the headteacher) and reviews written by whoever the test names."""

from __future__ import annotations

from growth.domain.services import role_assign, staff_member_update
from growth.models import RoleAssignment, StaffMember
from growth.security.tenancy import trust_scope
from reviews.models import Review
from tests.factories import TrustWorld, make_staff
from tests.reviews_fixtures import placed_review


def make_ceo(world: TrustWorld, *, designated: bool = True) -> StaffMember:
    """The trust's CEO in the central team, the headteacher's line manager; with
    ``designated`` the trust names them its designated decider."""
    ceo = make_staff(
        world.trust,
        world.central,
        first_name="Cora",
        job_title="Chief Executive",
        category=StaffMember.Category.CENTRAL,
    )
    with trust_scope(world.trust):
        staff_member_update(actor=None, staff=world.head, line_manager=ceo)
        if designated:
            role_assign(actor=None, staff=ceo, role=RoleAssignment.Role.DESIGNATED_DECIDER)
    world.head.refresh_from_db()
    return ceo


def make_deputy(world: TrustWorld) -> StaffMember:
    """A deputy head in the school whom the trust names to act for the absent head."""
    deputy = make_staff(
        world.trust,
        world.school,
        first_name="Dev",
        job_title="Deputy Headteacher",
        stage="assistant-deputy-head",
        line_manager=world.head,
    )
    with trust_scope(world.trust):
        role_assign(
            actor=None,
            staff=deputy,
            role=RoleAssignment.Role.ACTING_HEADTEACHER,
            school=world.school,
        )
    return deputy


def heads_own_review(world: TrustWorld, ceo: StaffMember, *, submit: bool = True) -> Review:
    """The headteacher's own review, written by their line manager, the CEO."""
    return placed_review(world, person=world.head, submit=submit)


def review_written_by_head(world: TrustWorld, *, submit: bool = True) -> Review:
    """The review of a teacher whom the headteacher line-manages, so the head wrote it."""
    return placed_review(world, person=world.colleague, submit=submit)
