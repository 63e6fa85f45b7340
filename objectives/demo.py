"""The objectives app's part of ``manage.py seed_demo``: growth plans in every state, written,
submitted, sent back and agreed through the services, as the people would have."""

from __future__ import annotations

import datetime as dt

from growth.demo.activity import DemoSeeder, DemoTrust, register_demo_seeder
from growth.models import GrowthCycle, StaffMember, TrustPriority
from objectives import services
from objectives.models import Area, GrowthPlan
from objectives.rules import plan_required
from objectives.selectors import checklist_questions, sorted_objectives

WRITING = {
    Area.SELF: [
        (
            "develop my use of retrieval practice at the start of lessons",
            ["Researching retrieval practice", "Trying low-stakes quizzes each week"],
            ["improve pupils' recall of key knowledge"],
            "Pupils' quiz scores rise over the year; my planning shows retrieval every week.",
        ),
        (
            "strengthen my questioning so every pupil thinks before answering",
            ["Observing colleagues who use cold calling", "Coaching conversations"],
            ["raise the level of challenge in my lessons"],
            "More pupils answer in full sentences; my observer notes wider participation.",
        ),
        (
            "become confident with the new finance system",
            ["Completing the supplier's online course", "Shadowing a colleague"],
            ["close the month two days sooner"],
            "Month-end closed by the fifth working day from the spring term.",
        ),
    ],
    Area.OTHERS: [
        (
            "share effective feedback strategies with my team",
            ["Leading a department meeting on whole-class feedback"],
            ["reduce marking time while improving the quality of feedback"],
            "Colleagues report spending less time marking; book looks show acted-on feedback.",
        ),
        (
            "support two new teaching assistants in their first term",
            ["Weekly check-ins with each of them", "Modelling small-group reading"],
            ["help them feel settled and effective"],
            "Both say in their own check-ins that they feel confident leading groups.",
        ),
    ],
    Area.TRUST: [
        (
            "contribute to the trust's reading strategy",
            ["Joining the trust's reading network", "Trialling reciprocal reading"],
            ["raise reading ages across the trust"],
            "Reading ages of my classes rise by a year; the network adopts one of my resources.",
        ),
        (
            "help the trust become a place people want to work",
            ["Taking part in the wellbeing working group"],
            ["keep good colleagues in our schools"],
            "The working group's proposals are adopted; staff survey scores improve.",
        ),
    ],
}

LEADERSHIP = {
    "strengths": "Building relationships and listening to my team.",
    "goal": "Make our department's curriculum plan one every colleague can teach from.",
    "link": "It is the first priority of our department learning plan.",
    "link_to": "department",
}


def _write_plan(
    world: DemoTrust, person: StaffMember, cycle: GrowthCycle, priority: TrustPriority
) -> GrowthPlan:
    """Start and fully write the person's plan, ready to submit."""
    rng = world.rng("plan", cycle.name, person.pk)
    plan = services.plan_start(actor=person, staff=person, cycle=cycle)
    questions = checklist_questions(world.trust, category=person.category)
    by_date = dt.date(cycle.end_date.year, 6, 30)
    # Seed 002: a trained facilitator completes the coaching qualification this cycle, and a
    # line manager not yet qualified within three cycles; the demo's managers do it now, so
    # the demo seeded again in a later year still writes plans that can be submitted.
    coach = not person.coaching_qualified and (
        person.is_coaching_facilitator or person.reports.filter(is_active=True).exists()
    )
    for objective in sorted_objectives(plan):
        to_text, through, in_order_to, success = rng.choice(WRITING[objective.area])
        services.objective_update(
            actor=person,
            objective=objective,
            to_text=to_text,
            through=through,
            in_order_to=in_order_to,
            by_date=by_date,
            success_criteria=success,
            priority=priority if objective.area == Area.TRUST else objective.priority,
            strategic_goal=objective.strategic_goal,
            is_coaching_qualification=coach and objective.area == Area.SELF,
            checklist={q.pk: True for q in questions if q.area == objective.area},
        )
    if person.writes_leadership_goal:
        services.plan_grow_update(
            actor=person, plan=plan, grow_notes={}, leadership_goal=dict(LEADERSHIP)
        )
    return plan


# Where each person's plan stands: a fixed part of the demo the README points at, the rest
# drawn (the same way on every run) so that most plans are agreed and a few are not.
FIXED = {"s1-t1": "draft", "s1-t2": "submitted", "s2-t2": "changes", "s3-t4": "none"}


def _state_for(world: DemoTrust, key: str, person: StaffMember) -> str:
    if key in FIXED:
        return FIXED[key]
    if person.line_manager_id is None:
        return "draft"  # a head's plan waits for the reviewer the trust names
    roll = world.rng("plan-state", key).random()
    if roll < 0.70:
        return "agreed"
    if roll < 0.80:
        return "submitted"
    if roll < 0.86:
        return "changes"
    if roll < 0.93:
        return "draft"
    return "none"


def _take_to(state: str, plan: GrowthPlan, person: StaffMember) -> None:
    if state == "draft":
        return
    services.plan_submit(actor=person, plan=plan)
    manager = person.line_manager
    if state == "changes":
        services.plan_request_changes(
            actor=manager,
            plan=plan,
            comment="Could the Impact on Others objective say how you will know it worked?",
        )
    elif state == "agreed":
        services.plan_agree(actor=manager, plan=plan, comment="Agreed: a good balance.")


def seed_plans(world: DemoTrust) -> int:
    priority = TrustPriority.objects.for_trust(world.trust).order_by("order").first()
    made = 0
    jobs: list[tuple[GrowthCycle, str]] = []
    review_cycle = world.review_cycle
    if review_cycle is not None and review_cycle != world.cycle:
        jobs += [(review_cycle, k) for k in world.reviewed_keys()]
    jobs += [(world.cycle, k) for k in sorted(world.people)]
    done = set(GrowthPlan.objects.for_trust(world.trust).values_list("cycle_id", "staff_member_id"))
    for cycle, key in jobs:
        person = world.people[key]
        if (cycle.pk, person.pk) in done or not plan_required(person):
            continue
        state = "agreed" if cycle != world.cycle else _state_for(world, key, person)
        if state == "none":
            continue
        plan = _write_plan(world, person, cycle, priority)
        _take_to(state, plan, person)
        made += 1
    return made


register_demo_seeder(DemoSeeder("objectives", seed_plans, order=10))
