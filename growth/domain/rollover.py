"""September: next year's cycle made from this one in one step, and the changes a new year
brings to people (career stages moving on, leavers ended).

The new cycle's dates are proposed (``cycle_rollover_proposal``) and shown to the trust admin
for review; nothing is written until they save. Deadlines move to the same day of the month a
year on; terms and closures move 52 weeks, so that a term that starts on a Wednesday still
does (within two days of the date a year on). What each app keeps per cycle is carried over by
the steps the apps register here in their own ``rollover.py`` (autodiscovered, like
``progress.py``), so ``growth`` never imports an app to its right. The objectives bank, the
outcome key and the writing frames belong to the trust, not to a cycle: the new cycle has them
as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from growth.domain.audit import audit_record
from growth.domain.services import DatedRow, cycle_save
from growth.models import CareerStage, GrowthCycle, StaffMember, StrategicGoal, Trust
from growth.privacy.services import staff_member_leave
from growth.reporting.progress import progress_refresh

CYCLE_DATES = (
    "start_date",
    "end_date",
    "objectives_deadline",
    "reflection_opens",
    "reflection_closes",
    "review_deadline",
    "final_decision_deadline",
    "review_window_opens",
    "review_window_closes",
)

# (actor, last year's cycle, the new one) -> how many records were carried over.
RolloverStep = Callable[[Any, GrowthCycle, GrowthCycle], int]
_steps: dict[str, RolloverStep] = {}
_discovered = False


def register_rollover_step(key: str, step: RolloverStep) -> None:
    _steps.setdefault(key, step)


def rollover_steps() -> list[RolloverStep]:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("rollover")
    return list(_steps.values())


def a_year_on(day: dt.date) -> dt.date:
    """The same day of the month a year later (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def same_weekday_a_year_on(day: dt.date) -> dt.date:
    """52 weeks later: the same day of the week, one or two days before the date a year on."""
    return day + dt.timedelta(weeks=52)


def next_name(name: str) -> str:
    """ "2026-27" -> "2027-28"; any other name gets "(next year)"."""
    found = re.fullmatch(r"(\d{4})([-/])(\d{2}|\d{4})", name.strip())
    if not found:
        return f"{name} (next year)"
    start, sep, end = int(found.group(1)) + 1, found.group(2), found.group(3)
    end_text = str(int(end) + 1) if len(end) == 4 else f"{(int(end) + 1) % 100:02d}"
    return f"{start}{sep}{end_text}"


@dataclass(frozen=True)
class RolloverProposal:
    values: dict[str, Any]
    terms: list[DatedRow]
    closures: list[DatedRow]


def _moved_rows(rows: Sequence[Any], cycle_end: dt.date) -> list[DatedRow]:
    moved = []
    for row in rows:
        start = same_weekday_a_year_on(row.start_date)
        end = min(same_weekday_a_year_on(row.end_date), cycle_end)
        moved.append(DatedRow(name=row.name, start_date=start, end_date=end))
    return moved


def cycle_rollover_proposal(*, cycle: GrowthCycle) -> RolloverProposal:
    """Next year's cycle as this one moved on a year: nothing is saved."""
    values: dict[str, Any] = {"name": next_name(cycle.name)}
    for field in CYCLE_DATES:
        day = getattr(cycle, field)
        values[field] = a_year_on(day) if day else None
    terms = _moved_rows(cycle.terms.order_by("start_date"), values["end_date"])
    closures = _moved_rows(cycle.closures.order_by("start_date"), values["end_date"])
    return RolloverProposal(values=values, terms=terms, closures=closures)


def _carry_trust_goals(actor: Any, source: GrowthCycle, new: GrowthCycle) -> int:
    """The strategic goals set for last year's cycle, set again for the new one."""
    goals = StrategicGoal.objects.for_trust(source.trust_id).filter(cycle=source)
    copies = [
        StrategicGoal(
            trust_id=g.trust_id,
            priority_id=g.priority_id,
            title=g.title,
            description=g.description,
            school_id=g.school_id,
            cycle=new,
        )
        for g in goals
    ]
    StrategicGoal.objects.for_trust(source.trust_id).bulk_create(copies)
    return len(copies)


register_rollover_step("growth.goals", _carry_trust_goals)


@transaction.atomic
def cycle_rollover(
    *,
    actor: Any,
    trust: Trust,
    source: GrowthCycle,
    values: dict[str, Any],
    terms: list[DatedRow],
    closures: list[DatedRow],
) -> GrowthCycle:
    """Create next year's cycle from ``source`` with the dates the admin reviewed, and carry
    over what each app keeps per cycle. Last year's cycle and its records are not changed.
    The new cycle's summary rows are built by ``cycle_save`` (progress_refresh_cycle)."""
    if source.trust_id != trust.pk:
        raise ValidationError("That cycle belongs to another trust.")
    if values["start_date"] <= source.start_date:
        raise ValidationError({"start_date": "Next year's cycle must start after this one."})
    new = cycle_save(
        actor=actor, trust=trust, cycle=None, values=values, terms=terms, closures=closures
    )
    carried = {}
    for key, step in zip(_steps_keys(), rollover_steps(), strict=True):
        carried[key] = step(actor, source, new)
    audit_record(
        trust=trust,
        actor=actor,
        action="cycle.rollover",
        obj=new,
        before={"from": source.name},
        after={"name": new.name, "carried": carried},
    )
    return new


def _steps_keys() -> list[str]:
    rollover_steps()
    return list(_steps)


# --- People: career stages and leavers ----------------------------------------------------

# Where the policy is mechanical (seed 004): an early career teacher moves from ECT 1 to
# ECT 2, and from ECT 2 to the main pay range on completing induction (which HR confirms).
STAGE_MOVES = {"ect1": "ect2", "ect2": "mpr"}


@dataclass(frozen=True)
class StageMove:
    staff: StaffMember
    from_stage: CareerStage
    to_stage: CareerStage


def stage_moves_proposed(*, trust: Trust | int) -> list[StageMove]:
    """The active teachers whose stage the policy moves on, with the stage it moves them to.
    Nothing changes until HR confirms (``career_stages_move``)."""
    stages = {s.code: s for s in CareerStage.objects.filter(code__in=[*STAGE_MOVES.values()])}
    people = (
        StaffMember.objects.for_trust(trust)
        .filter(is_active=True, career_stage__code__in=list(STAGE_MOVES))
        .select_related("user", "school", "career_stage")
        .order_by("school__name", "user__last_name", "user__first_name")
    )
    return [
        StageMove(p, p.career_stage, stages[STAGE_MOVES[p.career_stage.code]])
        for p in people
        if STAGE_MOVES[p.career_stage.code] in stages
    ]


@transaction.atomic
def career_stages_move(
    *, actor: Any, trust: Trust, moves: Sequence[tuple[StaffMember, CareerStage]]
) -> int:
    """Move each listed person to the stage HR confirmed for them; returns how many moved."""
    moved = 0
    for staff, stage in moves:
        if staff.trust_id != trust.pk:
            raise ValidationError("That person belongs to another trust.")
        if staff.career_stage_id == stage.pk:
            continue
        before = {"career_stage": staff.career_stage.code if staff.career_stage else None}
        staff.career_stage = stage
        staff.full_clean()
        staff.save(update_fields=["career_stage"])
        audit_record(
            trust=trust,
            actor=actor,
            action="staff.stage_move",
            obj=staff,
            subject=staff,
            before=before,
            after={"career_stage": stage.code},
        )
        moved += 1
    return moved


def leavers_due(*, trust: Trust | int, today: dt.date | None = None) -> list[StaffMember]:
    """Active members whose leaving date has passed."""
    day = today or timezone.localdate()
    return list(
        StaffMember.objects.for_trust(trust)
        .filter(is_active=True, leave_date__lt=day)
        .select_related("user", "school")
        .order_by("leave_date", "user__last_name")
    )


@transaction.atomic
def leavers_end(*, actor: Any, trust: Trust, today: dt.date | None = None) -> int:
    """End the membership of everyone whose leaving date has passed, as a leaver recorded one
    by one is ended (``staff_member_leave``): sign-in refused, records kept for the retention
    period."""
    leavers = leavers_due(trust=trust, today=today)
    for staff in leavers:
        staff_member_leave(actor=actor, staff=staff, leave_date=staff.leave_date)
    progress_refresh(people=leavers)
    return len(leavers)
