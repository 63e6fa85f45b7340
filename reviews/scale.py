"""The reviews app's part of ``manage.py seed_scale`` and of the benchmark: last cycle's July
reflections and reviews, decided, across the rubric; the statement PDF as a timed job."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from growth.benchmark import (
    BenchJob,
    BenchPage,
    BenchPeople,
    register_bench_job,
    register_bench_page,
)
from growth.scale import BATCH, ScaleSeeder, ScaleTrust, register_scale_seeder
from reviews import rubric
from reviews.models import JulyReflection, Review
from reviews.selectors import REVIEW_RELATED

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


def statement_pdf_job(people: BenchPeople, renders: int = 20) -> dict:
    """Statement PDF render time (WeasyPrint) for decided reviews of the trust, p50 and p95."""
    import statistics
    import time

    from growth.tenancy import trust_scope
    from reviews.pdf import render_pdf, statement_context

    with trust_scope(people.trust):
        reviews = list(
            Review.objects.filter(status=Review.Status.DECIDED)
            .select_related(*REVIEW_RELATED)
            .order_by("pk")[:renders]
        )
        if not reviews:
            return {"summary": "no decided reviews", "goal": "p50 under 300 ms", "met": False}
        times = []
        for review in reviews:
            started = time.perf_counter()
            render_pdf(statement_context(review))
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return {
        "renders": len(times),
        "p50_ms": round(p50, 1),
        "p95_ms": round(p95, 1),
        "summary": f"p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(times)} statements",
        "goal": "p50 under 300 ms",
        "met": p50 < PDF_GOAL_MS,
    }


PDF_GOAL_MS = 300
register_bench_job(BenchJob("statement_pdf", "Statement PDF", statement_pdf_job, order=20))
register_bench_page(
    BenchPage(
        "reviews_moderation",
        "Reviews: moderation (headteacher)",
        "head",
        lambda p: reverse("reviews:moderation"),
        order=42,
    )
)
