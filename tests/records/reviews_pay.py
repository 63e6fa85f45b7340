from growth.security.tenancy import trust_scope
from reviews import pay_services
from reviews.models import Review
from tests.factories import TrustWorld
from tests.pay_fixtures import on_pay


def populate(world: TrustWorld) -> None:
    """Pay: the staff member (whose review ``reviews`` decided) on M3 with the head's pay
    decision; the colleague on M6 with an Upper Pay Scale application awaiting the head."""
    on_pay(world, world.staff, "main", 3)
    on_pay(world, world.colleague, "main", 6)
    with trust_scope(world.trust):
        review = Review.objects.get(staff_member=world.staff, cycle=world.cycle)
        pay_services.pay_decide(
            actor=world.head, review=review, outcome="hold", reason="Joined the school in May"
        )
        pay_services.ups_apply(
            actor=world.colleague,
            cycle=world.cycle,
            answers={
                "standards": "Cal models questioning across the maths department",
                "engagement": "Cal held every check-in and agreed a plan",
                "substantial_sustained": "Cal has met expectations for three years",
                "wider_contribution": "Cal mentors the early career teachers",
            },
        )
