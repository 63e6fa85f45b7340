"""The standards app's part of ``manage.py seed_demo``: the autumn's self-reviews, some still
drafts, most shared, some commented on by the line manager, through the services."""

from __future__ import annotations

from growth.demo.activity import DemoSeeder, DemoTrust, register_demo_seeder
from standards.models import Framework, Rating, SelfReview
from standards.selectors import framework_for, rated_standards
from standards.services import (
    SelfReviewError,
    self_review_comment,
    self_review_save,
    self_review_share,
    self_review_start,
)

REFLECTIONS = {
    "strengths": "Building relationships with pupils and colleagues; planning carefully.",
    "development_needs": "Adapting lessons for the pupils who find reading hard.",
    "learning_needs": "Time to watch colleagues who do this well, and some reading on it.",
}
NEXT_STEP = "Watch a colleague's lesson and try one of their strategies."


def seed_self_reviews(world: DemoTrust) -> int:
    cycle = world.cycle
    if SelfReview.objects.for_trust(world.trust).filter(cycle=cycle).exists():
        return 0  # seeded on an earlier run
    made = 0
    standards_of: dict[int, list] = {}
    for key in sorted(world.people):
        person = world.people[key]
        rng = world.rng("self-review", key)
        roll = rng.random()
        if roll < 0.12 or not person.is_active:
            continue  # not started yet
        framework = framework_for(staff=person)
        if framework is None:
            continue
        try:
            review = self_review_start(actor=person, staff=person, cycle=cycle)
        except SelfReviewError:
            continue
        if framework.pk not in standards_of:
            standards_of[framework.pk] = rated_standards(
                framework=Framework.objects.unscoped().get(pk=framework.pk)
            )
        standards = standards_of[framework.pk]
        # A draft rates the first part of the framework; a shared one all of it.
        share = roll >= 0.35
        some = standards if share else standards[: len(standards) // 2]
        ratings = {
            s.pk: rng.choice((Rating.FULLY, Rating.MOSTLY, Rating.MOSTLY, Rating.NOT_ALWAYS))
            for s in some
        }
        steps = {s.pk: NEXT_STEP for s in some if ratings[s.pk] == Rating.NOT_ALWAYS}
        self_review_save(
            actor=person,
            review=review,
            ratings={pk: str(v) for pk, v in ratings.items()},
            next_steps=steps,
            reflections=REFLECTIONS,
        )
        made += 1
        if not share:
            continue
        self_review_share(actor=person, review=review)
        manager = person.line_manager
        if manager is not None and rng.random() < 0.6:
            self_review_comment(
                actor=manager,
                review=review,
                text="Thank you: a thoughtful review. Let's pick one next step at our check-in.",
            )
    return made


register_demo_seeder(DemoSeeder("standards", seed_self_reviews, order=5))
