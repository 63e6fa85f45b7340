from growth.security.tenancy import trust_scope
from reviews import services
from tests.factories import TrustWorld
from tests.reviews_fixtures import placed_review


def populate(world: TrustWorld) -> None:
    """A decided review for staff (released: the person sees it), a draft for support, one
    rendered PDF, one school zip."""
    review = placed_review(world, submit=True)
    with trust_scope(world.trust):
        services.review_decide(actor=world.head, review=review, outcome=review.placed_outcome)
        pdf = services.statement_pdf_request(review=review)
        services.statement_pdf_render(pdf=pdf)
        placed_review(world, person=world.support, cell=9)
        bundle = services.school_zip_request(
            actor=world.head, school=world.school, cycle=world.cycle
        )
        services.school_zip_build(bundle=bundle)
