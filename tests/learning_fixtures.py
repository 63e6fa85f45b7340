"""Shared makers for the learning app's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from growth.models import StaffMember
from growth.tenancy import trust_scope
from learning import services
from learning.models import CoachAssignment, CoachingSession, LearningEntry
from tests.factories import TrustWorld, make_staff

SECRET_NOTE = "Talked through the worry about the Year 9 parents evening"


def make_coach(world: TrustWorld, *, first_name: str = "Cora", school=None, **flags) -> StaffMember:
    """A coaching-qualified colleague in the trust's other school, outside everyone's line
    in ``world.school``."""
    return make_staff(
        world.trust,
        school or world.other_school,
        first_name=first_name,
        job_title="Lead practitioner",
        stage="upr23",
        line_manager=flags.pop("line_manager", world.other_head),
        coaching_qualified=True,
        **flags,
    )


def coach_with_session(world: TrustWorld) -> tuple[CoachAssignment, CoachingSession]:
    """``world.staff`` coached by a new coach, with one session carrying SECRET_NOTE."""
    coach = make_coach(world)
    with trust_scope(world.trust):
        assignment = services.coach_assign(
            actor=world.head,
            coachee=world.staff,
            coach=coach,
            started_on=dt.date(2026, 9, 1),
        )
        session = services.coaching_session_record(
            actor=coach,
            assignment=assignment,
            held_on=dt.date(2026, 9, 20),
            minutes=45,
            focus="Confidence with difficult conversations",
            notes=SECRET_NOTE,
        )
    return assignment, session


def log_learning(person: StaffMember, **fields) -> LearningEntry:
    """Log learning as ``person`` through the service (defaults: a free two-hour course)."""
    data = {
        "kind": LearningEntry.Kind.COURSE,
        "title": "Metacognition in the classroom",
        "started_on": dt.date(2026, 10, 1),
        "hours": Decimal("2"),
        **fields,
    }
    with trust_scope(person.trust_id):
        return services.learning_entry_record(
            actor=person, staff=person, data=services.EntryData(**data)
        )
