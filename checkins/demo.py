"""The check-ins app's part of ``manage.py seed_demo``: the fortnightly check-ins of the year so
far (held on schedule by most, missed or excused now and then, overdue for a few),
observations and feedback conversations, all recorded through the services."""

from __future__ import annotations

import datetime as dt

from checkins import services
from checkins.models import Checkin, Observation, ThinkingTool
from checkins.selectors import expected_dates, term_of
from growth.demo.activity import DemoSeeder, DemoTrust, register_demo_seeder
from growth.models import GrowthCycle, StaffMember
from objectives.rules import plan_required

NOTES = {
    "self": [
        "Tried the weekly retrieval quiz with Year 8; recall of last term's topic is improving.",
        "Read the chapter on questioning we talked about and planned two lessons around it.",
        "Finished the second module of the online course; the reconciliation now takes an hour.",
    ],
    "others": [
        "Shared my whole-class feedback sheet at the department meeting; two colleagues use it.",
        "Met both new teaching assistants; one wants to lead a reading group next half term.",
    ],
    "trust": [
        "Went to the trust reading network; bringing reciprocal reading back to my classes.",
        "The wellbeing group agreed its survey questions; I drafted the ones on workload.",
    ],
}
NEXT_STEPS = [
    ("next Friday", "trying cold calling with my Year 10 group", "everyone thinks first"),
    ("half term", "planning one retrieval starter a week", "it becomes a habit"),
    ("our next check-in", "asking a colleague to look at my feedback sheet", "I can improve it"),
]
EXCUSES = [
    (Checkin.Status.MISSED, "Covering a colleague's lesson at short notice."),
    (Checkin.Status.CANCELLED, "School trip: the whole department was out."),
    (Checkin.Status.MISSED, "Parents' evening ran over."),
]

# How each person keeps up with their check-ins (drawn the same way on every run): most hold
# nearly all of them, a few fall behind and have some overdue. The README's teacher's latest
# one is left for them to record.
OVERDUE = {"s1-t1": 1, "s1-t7": 2, "s2-t5": 3, "s3-t2": 2, "s1-ta2": 2}


def _profile(world: DemoTrust, key: str) -> tuple[float, int]:
    """(share of check-ins held, how many of the latest are left unrecorded)."""
    rng = world.rng("engagement", key)
    held = rng.choice((1.0, 0.95, 0.9, 0.9, 0.85, 0.75, 0.6))
    return held, OVERDUE.get(key, 0)


def _record_year(
    world: DemoTrust, key: str, person: StaffMember, cycle: GrowthCycle, tools: list
) -> int:
    rng = world.rng("checkins", cycle.name, key)
    held_share, overdue = _profile(world, key)
    end = min(world.today, cycle.end_date + dt.timedelta(days=1))
    dates = [d for d in expected_dates(staff=person, cycle=cycle) if d < end]
    if overdue and cycle == world.cycle:
        dates = dates[:-overdue] if len(dates) > overdue else []
    manager = person.line_manager
    actor = manager if manager is not None and manager.is_active else person
    colleagues = [p for p in world.staff if p.school_id == person.school_id and p.pk != person.pk]
    made = 0
    for due in dates:
        if rng.random() >= held_share:
            status, reason = rng.choice(EXCUSES)
            services.checkin_excuse(
                actor=actor, staff=person, cycle=cycle, due_on=due, status=status, reason=reason
            )
            made += 1
            continue
        areas = rng.sample(["self", "others", "trust"], k=rng.choice((1, 2, 2, 3)))
        by, i_am, so_that = rng.choice(NEXT_STEPS)
        services.checkin_record(
            actor=actor,
            staff=person,
            cycle=cycle,
            due_on=due,
            data=services.CheckinData(
                held_on=due,
                reflections={a: rng.choice(NOTES[a]) for a in areas},
                next_step_by=by,
                next_step_i_am=i_am,
                next_step_so_that=so_that,
                recognised=[rng.choice(colleagues)] if colleagues and rng.random() < 0.2 else [],
                thinking_tools=rng.sample(tools, k=1) if tools and rng.random() < 0.4 else [],
                took_part_in_360=rng.random() < 0.1,
                manager_comment="Good progress: keep going." if actor is manager else None,
            ),
        )
        made += 1
    return made


def _observe(world: DemoTrust, key: str, person: StaffMember, cycle: GrowthCycle) -> int:
    """One observation in the autumn, its feedback conversation, and one to come."""
    manager = person.line_manager
    if manager is None or person.category != StaffMember.Category.TEACHING:
        return 0
    rng = world.rng("observation", key)
    dates = expected_dates(staff=person, cycle=cycle)
    past = [d for d in dates if d < world.today - dt.timedelta(days=7)]
    future = [d for d in dates if d > world.today + dt.timedelta(days=7)]
    made = 0
    observed_term = None
    if past:
        day = rng.choice(past[: max(len(past) - 1, 1)])
        observed_term = term_of(cycle=cycle, day=day)
        observation = services.observation_create(
            actor=person,
            cycle=cycle,
            observee=person,
            observer=manager,
            date=day,
            minutes=rng.choice((20, 30)),
            purpose=Observation.Purpose.SUPPORT,
            focus_area="self",
            focus_note="How I use questioning in the first ten minutes.",
        )
        services.observation_complete(
            actor=manager,
            observation=observation,
            notes="Cold calling used well; some pupils waited for others to answer.",
        )
        conversation = services.feedback_create(
            actor=manager,
            staff=person,
            data=services.FeedbackData(
                held_on=day,
                praise="Your retrieval starter had every pupil writing within a minute.",
                probing_question="What did you notice about who answered your questions?",
                next_action_step="Use think-pair-share before taking answers.",
                support_level=rng.choice((1, 2, 2, 3)),
                plan_ahead="Plan where in Thursday's lesson you will pause for pairs.",
                timeline=day + dt.timedelta(days=21),
                lock_in_i_am="using think-pair-share before every key question",
                lock_in_so_that="every pupil has thought before anyone answers",
                observation=observation,
            ),
        )
        if rng.random() < 0.7:
            services.feedback_confirm(
                actor=person,
                conversation=conversation,
                summary="Pause for pairs before I take answers, so everyone thinks first.",
            )
        made += 2
    # The next one in another term: each term has its own minutes.
    future = [d for d in future if term_of(cycle=cycle, day=d) != observed_term]
    if future and rng.random() < 0.5:
        services.observation_create(
            actor=manager,
            cycle=cycle,
            observee=person,
            observer=manager,
            date=future[0],
            minutes=20,
            purpose=Observation.Purpose.SUPPORT,
            focus_area="others",
        )
        made += 1
    return made


def seed_checkins(world: DemoTrust) -> int:
    services.thinking_tools_ensure_defaults(trust=world.trust)
    tools = list(ThinkingTool.objects.for_trust(world.trust).order_by("order"))
    made = 0
    jobs: list[tuple[GrowthCycle, list[str]]] = [(world.cycle, sorted(world.people))]
    review_cycle = world.review_cycle
    if review_cycle is not None and review_cycle != world.cycle:
        jobs.insert(0, (review_cycle, world.reviewed_keys()))
    for cycle, keys in jobs:
        if Checkin.objects.for_trust(world.trust).filter(cycle=cycle).exists():
            continue  # seeded on an earlier run
        for key in keys:
            person = world.people[key]
            if plan_required(person):
                made += _record_year(world, key, person, cycle, tools)
    if not Observation.objects.for_trust(world.trust).filter(cycle=world.cycle).exists():
        for key in sorted(world.people):
            made += _observe(world, key, world.people[key], world.cycle)
    return made


register_demo_seeder(DemoSeeder("checkins", seed_checkins, order=20))
