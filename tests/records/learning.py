"""One of each learning record for ``world.staff`` (and colleagues), for the cross-trust test."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from learning import services
from learning.models import LearningEntry
from tests.factories import TrustWorld
from tests.learning_fixtures import coach_with_session, log_learning, plan_with_standard


def populate(world: TrustWorld) -> None:
    # A coach already in the world: the privacy tests count its people.
    coach_with_session(world, coach=world.other_school_staff)
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
    services.resource_publish(
        actor=world.admin,
        data=services.ResourceData(
            title="Alpha trust's guide to retrieval practice",
            format="page",
            body="Alpha's own words on low-stakes quizzing.",
            area="self",
        ),
    )
    # A resource with a file (its download address is per resource).
    services.resource_publish(
        actor=world.admin,
        data=services.ResourceData(title="Alpha trust's feedback guide", format="file"),
        upload=SimpleUploadedFile(
            "alpha-guide.pdf", b"%PDF-1.4 Alpha's guide", content_type="application/pdf"
        ),
    )
    # Cal's plan review, written in the review window and shared with the trust.
    plan, _ = plan_with_standard(world, world.colleague)
    review = services.plan_review_start(
        actor=world.colleague, plan=plan, today=world.cycle.reflection_opens
    )
    services.plan_review_save(
        actor=world.colleague,
        review=review,
        answers={
            "intended": "Cal intended to make maths talk routine in Year 7.",
            "did": "Cal used stem sentences in every lesson.",
            "impact": "Cal's classes explained their methods in full sentences.",
            "recommendations": "Cal recommends modelling the sentence stem first.",
        },
    )
    services.plan_review_submit(actor=world.colleague, review=review)
    services.plan_review_share(actor=world.colleague, review=review, scope="trust")
