"""The reviews app's part of ``manage.py seed_demo``: July reflections and end-of-year reviews
at each step (reflected, placed, written, submitted, decided, acknowledged), through the
services. In the autumn and spring they belong to the cycle before; from the July window on, to
this one."""

from __future__ import annotations

import datetime as dt

from growth.demo.activity import DemoSeeder, DemoTrust, register_demo_seeder
from growth.domain.duties import leader_reviewer
from growth.models import GrowthCycle, StaffMember
from objectives.selectors import objectives_of
from reviews import frames, pay_services, rubric, services
from reviews.models import JulyReflection, Review
from reviews.pay_rules import PayOutcome, PayRecommendation
from reviews.pay_selectors import is_eligible, pay_mapping
from reviews.selectors import engagement_for, frame_for

# How far each reviewed person's review has gone (the steps in order).
STEPS = ["reflected", "placed", "written", "submitted", "decided", "acknowledged"]
STEP_OF = {
    "s1-t3": "reflected",
    "s1-t4": "placed",
    "s1-t5": "written",
    "s1-t6": "submitted",
    "s1-ta2": "submitted",
    "s1-t7": "decided",
    "s1-t8": "acknowledged",
    "c-finance": "reflected",
}
GOOD_WORK = "Your retrieval starters raised Year 9's recall scores from 55% to 72%"


def _choices(slots: list, rng: object) -> dict:
    values: dict = {}
    for slot in slots:
        if slot.kind == "areas":
            values[slot.name] = ["Self", "Others"]
        elif slot.kind == "choice":
            values[slot.name] = slot.options[-1]
        elif slot.name == "good_work":
            values[slot.name] = GOOD_WORK
        else:
            values[slot.name] = "sharing your reading strategies with the department"
    return values


def _reflect(person: StaffMember, cycle: GrowthCycle, day: dt.date) -> None:
    ratings = {
        o.pk: (
            "met" if o.area != "trust" else "partially_met",
            "My check-ins record the steps; the quiz scores are in my evidence.",
        )
        for o in objectives_of(staff=person, cycle=cycle)
    }
    services.july_reflection_save(
        actor=person,
        cycle=cycle,
        ratings=ratings,
        impact_self="I plan retrieval into every lesson now.",
        impact_others="Two colleagues use my feedback sheet.",
        impact_trust="The reading network took up one of my resources.",
        submit=True,
        today=day,
    )


def _review(world: DemoTrust, key: str, person: StaffMember, cycle: GrowthCycle) -> None:
    step = STEPS.index(STEP_OF[key])
    if step < STEPS.index("placed"):
        return
    reviewer = leader_reviewer(person)
    if reviewer is None:
        return
    review = services.review_start(actor=reviewer, staff_member=person, cycle=cycle)
    suggestion = rubric.suggest_engagement(engagement_for(staff=person, cycle=cycle))
    rows = [c for c in range(2, 10) if rubric.engagement_of(c) == suggestion.level]
    cell = rows[-1] if rows else 5
    services.review_place(
        actor=reviewer,
        review=review,
        cell=cell,
        suggested_engagement=suggestion.level,
        evidence=suggestion.reasons,
    )
    if step < STEPS.index("written"):
        return
    frame = frame_for(trust=world.trust, part=1, cell=cell)
    choices = _choices(frames.parse_slots(frame.body, frame.slots), None)
    text, cleaned = services.statement_fill(review=review, choices=choices)
    services.statement_save(actor=reviewer, review=review, part1=text, frame_choices=cleaned)
    if step < STEPS.index("submitted"):
        return
    opens, _ = cycle.review_window()
    services.review_submit(actor=reviewer, review=review, today=max(opens, cycle.reflection_opens))
    if step < STEPS.index("decided"):
        return
    head = world.person(key.split("-")[0] + "-head")
    if head is None:
        return
    review.refresh_from_db()
    services.review_decide(actor=head, review=review, outcome=review.placed_outcome)
    if step < STEPS.index("acknowledged"):
        return
    services.review_acknowledge(
        actor=person, review=review, comment="Thank you: a fair picture of my year."
    )
    if is_eligible(person):
        # The head confirms the pay recommendation that follows from the decided outcome; a
        # teacher referred to them (a partially met or not met year) stays on their point.
        review.refresh_from_db()
        _, recommended = pay_mapping(trust=world.trust.pk)[review.final_outcome]
        if recommended == PayRecommendation.PROGRESS:
            pay_services.pay_decide(actor=head, review=review, outcome=PayOutcome.PROGRESS)
        else:
            outcome = review.get_final_outcome_display().lower()
            reason = f"The year was {outcome}: we agreed support before progression."
            pay_services.pay_decide(
                actor=head, review=review, outcome=PayOutcome.HOLD, reason=reason
            )


def seed_reviews(world: DemoTrust) -> int:
    cycle = world.review_cycle
    if cycle is None:
        return 0
    if JulyReflection.objects.for_trust(world.trust).filter(cycle=cycle).exists():
        return 0  # seeded on an earlier run
    if Review.objects.for_trust(world.trust).filter(cycle=cycle).exists():
        return 0
    # Written on a day inside the window: today when the window is open, else its first days.
    day = world.today if cycle.contains(world.today) else cycle.reflection_opens
    day = min(max(day, cycle.reflection_opens), cycle.reflection_closes)
    made = 0
    for key in world.reviewed_keys():
        person = world.people[key]
        if not objectives_of(staff=person, cycle=cycle):
            continue
        _reflect(person, cycle, day)
        _review(world, key, person, cycle)
        made += 1
    return made


register_demo_seeder(DemoSeeder("reviews", seed_reviews, order=30))
