"""The check-ins app's report columns, school measures and chart (growth/reports.py registry):
per person check-ins held of those expected so far, overdue ones and the next one; per school
the engagement so far and who is engaging; engagement month by month over the year. Found by
autodiscovery; every figure is a fixed number of queries whatever the number of people."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format

from checkins.models import Checkin
from checkins.schedule import dates_for_person, next_checkin
from checkins.selectors import cycle_schedule
from growth import sql
from growth.models import StaffMember
from growth.reports import (
    SELF,
    TEAM,
    Cell,
    ChartData,
    PersonColumn,
    ReportChart,
    ReportContext,
    SchoolMeasure,
    Series,
    count_of,
    register_chart,
    register_person_column,
    register_school_measure,
    short_date,
    url_maker,
)

# Someone "engages" when they have held at least this share of the check-ins due so far
# (absences with a reason are not counted against them) — the funnel's check-in step.
ENGAGING_SHARE = 0.5


@dataclass(frozen=True)
class PersonCheckins:
    held: int
    expected: int  # due so far, less excused absences
    overdue: int
    next_due: dt.date | None


def _schedule(ctx: ReportContext) -> list[dt.date]:
    return ctx.memo("checkins.schedule", lambda: cycle_schedule(cycle=ctx.cycle))


def checkins_of(ctx: ReportContext, people: Sequence[StaffMember]) -> dict[int, PersonCheckins]:
    """Every listed person's check-in figures: one query for their records in the cycle."""

    def load() -> dict[int, PersonCheckins]:
        if ctx.cycle is None or not people:
            return {}
        dates = _schedule(ctx)
        rows = sql.rows(
            Checkin,
            ("staff_member", "due_on", "status", "held_on", "reason", "moved_to"),
            trust_id=ctx.trust_id,
            cycle=ctx.cycle,
            staff_member__in=[p.pk for p in people],
        )
        today = ctx.today
        held: dict[int, int] = defaultdict(int)
        excused: dict[int, int] = defaultdict(int)
        recorded: dict[int, set[dt.date]] = defaultdict(set)
        moved: dict[int, list[dt.date]] = defaultdict(list)
        is_held, is_moved = Checkin.Status.HELD, Checkin.Status.MOVED
        excusable = (Checkin.Status.MISSED, Checkin.Status.CANCELLED)
        for sid, due_on, status, held_on, reason, moved_to in rows:
            if due_on:
                recorded[sid].add(due_on)
            if status == is_moved and moved_to:
                moved[sid].append(moved_to)
            if status == is_held and held_on and held_on <= today:
                held[sid] += 1
            elif status in excusable and reason and due_on and due_on <= today:
                excused[sid] += 1
        result = {}
        for person in people:
            mine = dates_for_person(
                dates, start_date=person.start_date, leave_date=person.leave_date
            )
            # The dates are in order: those due so far are a slice.
            due = mine[: bisect.bisect_right(mine, today)]
            done = recorded[person.pk]
            result[person.pk] = PersonCheckins(
                held=held[person.pk],
                expected=max(len(due) - excused[person.pk], 0),
                overdue=sum(1 for d in due if d < today and d not in done),
                next_due=next_checkin(mine, today=today, recorded=done, moved_to=moved[person.pk]),
            )
        return result

    return ctx.memo(f"checkins.people.{id(people)}", load)


def _held(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    figures = checkins_of(ctx, people)
    link = url_maker("checkins:person")
    cells = {}
    for person in people:
        f = figures.get(person.pk)
        if f is None:
            continue
        low = f.expected and f.held < ENGAGING_SHARE * f.expected
        cells[person.pk] = Cell(
            f"{f.held} of {f.expected}",
            value=f.held,
            url=link(person.public_id),
            tone="warn" if low else "",
        )
    return cells


def _overdue(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    figures = checkins_of(ctx, people)
    return {
        p.pk: Cell(str(f.overdue), value=f.overdue, tone="bad" if f.overdue else "")
        for p in people
        if (f := figures.get(p.pk)) is not None
    }


def _next(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    figures = checkins_of(ctx, people)
    return {
        p.pk: Cell(short_date(f.next_due) if f.next_due else "None this cycle")
        for p in people
        if (f := figures.get(p.pk)) is not None
    }


register_person_column(PersonColumn("checkins_held", "Check-ins held", _held, order=20))
register_person_column(PersonColumn("checkins_overdue", "Check-ins overdue", _overdue, order=21))
register_person_column(
    PersonColumn(
        "checkins_next", "Next check-in", _next, order=22, audiences=frozenset({TEAM, SELF})
    )
)


# --- Schools -------------------------------------------------------------------------------


def _held_so_far(
    ctx: ReportContext, staff: models.QuerySet[StaffMember]
) -> models.QuerySet[Checkin]:
    """The cycle's check-ins held by today by the people in scope."""
    return Checkin.objects.for_trust(ctx.trust_id).filter(
        cycle=ctx.cycle,
        status=Checkin.Status.HELD,
        held_on__lte=ctx.today,
        staff_member__in=staff.values("pk"),
    )


def _by_person(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> list[tuple]:
    """(school id, start, leave, held so far) for everyone in scope: two queries."""

    def load() -> list[tuple]:
        if ctx.cycle is None:
            return []
        # Counted apart and joined here: a LEFT JOIN of every person to every check-in with
        # the conditions in the aggregate's FILTER read all check-ins of every cycle (50 ms
        # for 5,000 people); this reads only the cycle's held ones, through its index.
        held = dict(
            _held_so_far(ctx, staff)
            .order_by()
            .values("staff_member")
            .annotate(n=Count("pk"))
            .values_list("staff_member", "n")
        )
        return [
            (school_id, start, leave, held.get(pk, 0))
            for pk, school_id, start, leave in staff.order_by().values_list(
                "pk", "school_id", "start_date", "leave_date"
            )
        ]

    return ctx.memo("checkins.by_person", load)


def _school_figures(
    ctx: ReportContext, staff: models.QuerySet[StaffMember]
) -> dict[int, dict[str, int]]:
    def load() -> dict[int, dict[str, int]]:
        due = [d for d in _schedule(ctx) if d <= ctx.today] if ctx.cycle else []
        figures: dict[int, dict[str, int]] = defaultdict(
            lambda: {"held": 0, "expected": 0, "engaging": 0, "people": 0}
        )
        for school_id, start, leave, held in _by_person(ctx, staff):
            lo = bisect.bisect_left(due, start) if start else 0
            hi = bisect.bisect_left(due, leave) if leave else len(due)
            expected = max(hi - lo, 0)
            f = figures[school_id]
            f["held"] += held
            f["expected"] += expected
            f["people"] += 1
            f["engaging"] += held >= ENGAGING_SHARE * expected
        return dict(figures)

    return ctx.memo("checkins.schools", load)


def _engagement(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    return {
        school: count_of(f["held"], f["expected"])
        for school, f in _school_figures(ctx, staff).items()
    }


def _engaging(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    return {
        school: count_of(f["engaging"], f["people"])
        for school, f in _school_figures(ctx, staff).items()
    }


register_school_measure(
    SchoolMeasure("checkins_engagement", "Check-ins held of those due", _engagement, order=20)
)
register_school_measure(
    SchoolMeasure(
        "checkins_engaging",
        f"Holding at least {round(100 * ENGAGING_SHARE)}% of check-ins",
        _engaging,
        order=21,
        funnel_step=20,
        funnel_label="Engaging in check-ins",
    )
)


def _over_the_year(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> ChartData | None:
    """Check-ins held and due, month by month, from the start of the cycle to this month."""
    if ctx.cycle is None:
        return None
    held = dict(
        _held_so_far(ctx, staff)
        .annotate(month=TruncMonth("held_on"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    people = _by_person(ctx, staff)
    starts = sorted(s for _, s, _, _ in people if s)
    leaves = sorted(v for _, _, v, _ in people if v)
    due: dict[dt.date, int] = defaultdict(int)
    for day in _schedule(ctx):
        if day > ctx.today:
            break
        active = bisect.bisect_right(starts, day) - bisect.bisect_right(leaves, day)
        due[day.replace(day=1)] += max(active, 0)
    months = []
    month = ctx.cycle.start_date.replace(day=1)
    last = min(ctx.today, ctx.cycle.end_date).replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)

    def held_in(m: dt.date) -> int:
        return sum(n for key, n in held.items() if key.year == m.year and key.month == m.month)

    return ChartData(
        labels=[date_format(m, "M Y") for m in months],
        series=[
            Series("Due", [due.get(m, 0) for m in months]),
            Series("Held", [held_in(m) for m in months]),
        ],
        y_title="Check-ins",
    )


register_chart(
    ReportChart(
        "checkins_over_year",
        "Check-in engagement over the year",
        _over_the_year,
        kind="line",
        order=20,
        summary="Check-ins due and held each month of the cycle so far.",
    )
)
