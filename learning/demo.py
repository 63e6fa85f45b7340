"""The learning app's part of ``manage.py seed_demo``: the first school's learning budget and
a term of professional learning logged against objectives (with its impact written where it
is due), a coach for the two early career teachers with the sessions held so far, and a few
entries in the trust's resources hub — all through the services."""

from __future__ import annotations

from decimal import Decimal

from growth.demo.activity import DemoSeeder, DemoTrust, days_ago, register_demo_seeder
from growth.domain.services import staff_member_update
from growth.models import StaffMember
from learning import services
from learning.models import CoachAssignment, LearningEntry, Resource
from objectives.selectors import objectives_of

# (person, kind, title, provider, days ago, hours, cost, paid by, objective area)
LOGGED = [
    (
        "s1-t1",
        "training_day",
        "Behaviour for learning: routines that stick",
        "Trust ECT programme",
        50,
        "6",
        "0",
        "nobody",
        "self",
    ),
    (
        "s1-t2",
        "course",
        "Reading fluency in Key Stage 3",
        "Trust English network",
        35,
        "4.5",
        "120",
        "school",
        "self",
    ),
    ("s1-t3", "reading", "Rosenshine's Principles in Action", "", 28, "3", "0", "nobody", "self"),
    (
        "s1-t4",
        "peer_visit",
        "Visit to the maths department at Ashcombe",
        "",
        21,
        "2",
        "0",
        "nobody",
        "others",
    ),
    (
        "s1-t5",
        "qualification",
        "NPQ for Leading Teaching (module 1)",
        "Ambition Institute",
        110,
        "12",
        "0",
        "nobody",
        "trust",
    ),
    (
        "s1-english",
        "course",
        "Leading a department through curriculum change",
        "Trust leadership programme",
        42,
        "6",
        "250",
        "trust",
        "others",
    ),
]
IMPACT = (
    "My Year 8 class now starts every lesson with a retrieval quiz; their end-of-unit scores "
    "rose from 58% to 70%."
)
RESOURCES = [
    (
        "Retrieval practice: a one-page guide",
        Resource.Format.PAGE,
        "How to plan five-minute retrieval starters, with examples from English and maths.",
        "Start with three questions from last lesson, two from last week and one from last "
        "term. Low stakes, no grades: the point is the recall.",
        "self",
    ),
    (
        "Coaching conversations: the GROW model",
        Resource.Format.PAGE,
        "The four questions our coaches use in every session.",
        "Goal: what do you want from this session? Reality: where are you now? Options: what "
        "could you do? Way forward: what will you do, and by when?",
        "others",
    ),
]


def _log_learning(world: DemoTrust) -> int:
    made = 0
    for key, kind, title, provider, ago, hours, cost, paid_by, area in LOGGED:
        person = world.person(key)
        if person is None:
            continue
        linked = [o for o in objectives_of(staff=person, cycle=world.cycle) if o.area == area]
        entry = services.learning_entry_record(
            actor=person,
            staff=person,
            data=services.EntryData(
                kind=kind,
                title=title,
                provider=provider,
                started_on=days_ago(world.today, ago),
                hours=Decimal(hours),
                cost=Decimal(cost),
                paid_by=paid_by,
                objectives=linked[:1],
            ),
        )
        made += 1
        if entry.impact_due_on and entry.impact_due_on <= world.today:
            services.learning_impact_record(actor=person, entry=entry, impact=IMPACT)
    return made


def _coach(world: DemoTrust, admin: StaffMember) -> int:
    """The second school's deputy (the first school's head of maths in the small trust), who
    holds the coaching qualification, coaches the early career teachers."""
    coach = world.person("s2-deputy") or world.person("s1-maths")
    coachees = [p for p in (world.person("s1-t1"), world.person("s1-t2")) if p is not None]
    if coach is None or not coachees:
        return 0
    staff_member_update(actor=admin, staff=coach, coaching_qualified=True)
    started = max(world.cycle.start_date, days_ago(world.today, 63))
    made = 0
    for coachee in coachees:
        assignment = services.coach_assign(
            actor=admin, coachee=coachee, coach=coach, started_on=started
        )
        for ago, focus in ((42, "Questioning in Year 8"), (14, "Settling a class after lunch")):
            held_on = days_ago(world.today, ago)
            if held_on < started:
                continue
            services.coaching_session_record(
                actor=coach, assignment=assignment, held_on=held_on, minutes=40, focus=focus
            )
            made += 1
    return made + len(coachees)


def build(world: DemoTrust) -> int:
    admin = world.person("c-hr")
    if admin is None or LearningEntry.objects.for_trust(world.trust).exists():
        return 0  # built on an earlier run
    made = _log_learning(world)
    if not CoachAssignment.objects.for_trust(world.trust).exists():
        made += _coach(world, admin)
    head = world.person("s1-head")
    if head is not None:
        services.learning_budget_set(
            actor=head, school=head.school, cycle=world.cycle, amount=Decimal("4000")
        )
        made += 1
    for title, format_, summary, body, area in RESOURCES:
        services.resource_publish(
            actor=admin,
            data=services.ResourceData(
                title=title, format=format_, summary=summary, body=body, area=area
            ),
        )
        made += 1
    return made


# After plans (objectives' seeder) so entries can name an objective.
register_demo_seeder(DemoSeeder("learning", build, order=80))
