"""One of each standards record for trust A: a shared self-review of world.staff with a rating
and the line manager's comment, and the trust's own framework."""

from __future__ import annotations

from standards.models import Framework, Rating, Standard
from standards.selectors import rated_standards
from standards.services import (
    framework_save,
    self_review_comment,
    self_review_save,
    self_review_share,
    self_review_start,
    standard_save,
)
from tests.factories import TrustWorld
from tests.standards_fixtures import install_shipped_standards


def populate(world: TrustWorld) -> None:
    if not Framework.objects.unscoped().filter(code="teachers-standards").exists():
        install_shipped_standards()
    review = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    rated = rated_standards(framework=review.framework)
    self_review_save(
        actor=world.staff,
        review=review,
        ratings={s.pk: Rating.MOSTLY for s in rated},
        next_steps={rated[0].parent_id: "Observe a colleague's routines."},
        reflections={"strengths": "Relationships with my class."},
    )
    self_review_share(actor=world.staff, review=review)
    self_review_comment(actor=world.manager, review=review, text="A thoughtful reflection.")
    own = framework_save(
        actor=world.admin,
        framework=None,
        code="records-support",
        name="Records support framework",
        applies_to=["support"],
        order=50,
    )
    standard_save(
        actor=world.admin, framework=own, standard=None, code="1", text="Put customers first."
    )
    assert Standard.objects.unscoped().filter(framework=own).count() == 1
