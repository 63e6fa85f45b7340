"""The reviews app's part of ``manage.py seed_scale``: last cycle's July reflections and
reviews, decided, across the rubric."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from growth.demo.scale import BATCH, ScaleSeeder, ScaleTrust, register_scale_seeder
from reviews import rubric
from reviews.models import JulyReflection, Review

# How often each rubric cell is used (cells 1 to 10), a plausible spread.
CELL_WEIGHTS = {1: 1, 2: 4, 3: 6, 4: 2, 5: 12, 6: 14, 7: 2, 8: 10, 9: 8, 10: 2}


def seed_reviews(world: ScaleTrust) -> int:
    cycle = world.previous_cycle
    if cycle is None:
        return 0
    rng = world.rng
    cells, weights = zip(*CELL_WEIGHTS.items(), strict=True)
    submitted = timezone.make_aware(dt.datetime(cycle.reflection_closes.year, 7, 5, 12))
    decided = submitted + dt.timedelta(days=12)
    reflections, reviews = [], []
    for person in world.staff:
        if person.line_manager_id is None or person.start_date > cycle.start_date:
            continue
        reflections.append(
            JulyReflection(
                trust=world.trust,
                staff_member=person,
                cycle=cycle,
                impact_self="I have grown in confidence.",
                impact_others="My team uses the routines.",
                impact_trust="Contributed to the reading strategy.",
                submitted_at=submitted,
            )
        )
        cell = rng.choices(cells, weights)[0]
        outcome = rubric.outcome_for_cell(cell)
        head = world.heads.get(person.school_id)
        reviews.append(
            Review(
                trust=world.trust,
                staff_member=person,
                cycle=cycle,
                reviewer_id=person.line_manager_id,
                status=Review.Status.DECIDED,
                cell=cell,
                placed_outcome=outcome,
                placed_at=submitted,
                part1="A year of steady growth against all three objectives.",
                submitted_at=submitted,
                decision=Review.Decision.CONFIRMED,
                final_outcome=outcome,
                decided_by=head,
                decided_at=decided,
                headteacher_consulted_on=cycle.review_deadline if cell == 1 else None,
            )
        )
    JulyReflection.objects.bulk_create(reflections, batch_size=BATCH)
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    return len(reflections) + len(reviews)


register_scale_seeder(ScaleSeeder("reviews", seed_reviews, order=30))
