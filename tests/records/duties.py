from growth.domain.services import leader_review_arrange, role_assign
from growth.models import RoleAssignment
from growth.security.tenancy import trust_scope
from tests.factories import TrustWorld
from tests.reviews_fixtures import placed_review


def populate(world: TrustWorld) -> None:
    """Separation of duties: the trust admin is also the designated decider, the other
    school's head is reviewed by the trust admin, and the head wrote a review that is waiting
    for the designated decider (so "Decisions passed to you" and its decide page are crawled)."""
    with trust_scope(world.trust):
        role_assign(actor=None, staff=world.admin, role=RoleAssignment.Role.DESIGNATED_DECIDER)
        leader_review_arrange(
            actor=None, leader=world.other_head, reviewer=world.admin, adviser=None
        )
    placed_review(world, person=world.colleague, submit=True)
