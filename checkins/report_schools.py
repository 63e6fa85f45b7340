"""Check-ins per school and over the year for the school and trust reports (growth/reports.py
registry): engagement so far, who is engaging (the funnel's check-in step), and check-ins due and
held month by month. Imported by ``checkins.reports``; a fixed number of queries per figure."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format

from checkins.models import Checkin
from checkins.selectors import cycle_schedule
from growth.models import StaffMember
from growth.reports import (
    Cell,
    ChartData,
    ReportChart,
    ReportContext,
    SchoolMeasure,
    Series,
    count_of,
    register_chart,
    register_school_measure,
)

# Someone "engages" when they have held at least this share of the check-ins due so far.
ENGAGING_SHARE = 0.5


def _schedule(ctx: ReportContext) -> list[dt.date]:
    return ctx.memo("checkins.schedule", lambda: cycle_schedule(cycle=ctx.cycle))


# --- Schools -------------------------------------------------------------------------------


def _by_person(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> list[tuple]:
    """(school id, start, leave, held so far) for everyone in scope: one GROUP BY query."""

    def load() -> list[tuple]:
        if ctx.cycle is None:
            return []
        held = Count(
            "checkins",
            filter=Q(
                checkins__cycle=ctx.cycle,
                checkins__status=Checkin.Status.HELD,
                checkins__held_on__lte=ctx.today,
            ),
        )
        return list(
            staff.order_by()
            .annotate(held=held)
            .values_list("school_id", "start_date", "leave_date", "held")
        )

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
        Checkin.objects.for_trust(ctx.trust_id)
        .filter(
            cycle=ctx.cycle,
            status=Checkin.Status.HELD,
            held_on__lte=ctx.today,
            staff_member__in=staff.values("pk"),
        )
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
