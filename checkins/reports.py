"""The check-ins app's report columns, school measures and chart
(growth/reporting/reports.py registry):
per person check-ins held of those expected so far, overdue ones and the next one; per school
the engagement so far and who is engaging; engagement month by month over the year. Found by
autodiscovery. People's and schools' figures come from the progress rows; the chart counts
the cycle's held check-ins by month."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils.formats import date_format

from checkins.models import Checkin
from checkins.selectors import cycle_schedule
from growth.models import StaffMember
from growth.reporting.reports import (
    SELF,
    TEAM,
    Cell,
    ChartData,
    Figures,
    PersonColumn,
    ReportChart,
    ReportContext,
    SchoolMeasure,
    Series,
    count_of,
    day_text,
    people_where,
    progress_of,
    register_chart,
    register_person_column,
    register_school_measure,
)

# Someone "engages" when they have held at least this share of the check-ins due so far
# (absences with a reason are not counted against them) — the funnel's check-in step.
ENGAGING_SHARE = 0.5


def _held(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    cells = {}
    for person in people:
        f = progress_of(person)
        if f is None:
            continue
        low = f.checkins_expected and f.checkins_held < ENGAGING_SHARE * f.checkins_expected
        cells[person.pk] = Cell(
            f"{f.checkins_held} of {f.checkins_expected}",
            value=f.checkins_held,
            parts=(("held", f.checkins_held), ("expected", f.checkins_expected)),
            url=reverse("checkins:person", args=[person.public_id]),
            tone="warn" if low else "",
        )
    return cells


def _overdue(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    return {
        p.pk: Cell(
            str(f.checkins_overdue),
            value=f.checkins_overdue,
            tone="bad" if f.checkins_overdue else "",
        )
        for p in people
        if (f := progress_of(p)) is not None
    }


def _next(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    return {
        p.pk: Cell(day_text(f.next_checkin_on) if f.next_checkin_on else "None this cycle")
        for p in people
        if (f := progress_of(p)) is not None
    }


register_person_column(PersonColumn("checkins_held", "Check-ins held", _held, order=20))
register_person_column(PersonColumn("checkins_overdue", "Check-ins overdue", _overdue, order=21))
register_person_column(
    PersonColumn(
        "checkins_next", "Next check-in", _next, order=22, audiences=frozenset({TEAM, SELF})
    )
)


# --- Schools -------------------------------------------------------------------------------


def _school_figures(ctx: ReportContext) -> dict:
    return {
        "checkins_held": Coalesce(Sum("p__checkins_held"), 0),
        "checkins_due": Coalesce(Sum("p__checkins_due"), 0),
        "checkins_people": people_where(),
        # Holding at least ENGAGING_SHARE of the check-ins due so far.
        "checkins_engaging": people_where(
            Q(p__checkins_due__lte=F("p__checkins_held") / ENGAGING_SHARE)
        ),
    }


def _engagement(ctx: ReportContext, figures: Figures) -> Cell:
    return count_of(figures["checkins_held"], figures["checkins_due"])


def _engaging(ctx: ReportContext, figures: Figures) -> Cell:
    return count_of(figures["checkins_engaging"], figures["checkins_people"])


register_school_measure(
    SchoolMeasure(
        "checkins_engagement",
        "Check-ins held of those due",
        _school_figures,
        _engagement,
        order=20,
    )
)
register_school_measure(
    SchoolMeasure(
        "checkins_engaging",
        f"Holding at least {round(100 * ENGAGING_SHARE)}% of check-ins",
        _school_figures,
        _engaging,
        order=21,
        funnel_step=20,
        funnel_label="Engaging in check-ins",
    )
)


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
    spans = list(staff.order_by().values_list("start_date", "leave_date"))
    starts = sorted(s for s, _ in spans if s)
    leaves = sorted(v for _, v in spans if v)
    due: dict[dt.date, int] = defaultdict(int)
    for day in cycle_schedule(cycle=ctx.cycle):
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

    def label(m: dt.date) -> str:
        # This month is not over: say so, or its few days so far read as a collapse.
        next_month = (m + dt.timedelta(days=32)).replace(day=1)
        if m <= ctx.today < next_month - dt.timedelta(days=1):
            return f"{date_format(m, 'M Y')} (to {date_format(ctx.today, 'j M')})"
        return date_format(m, "M Y")

    return ChartData(
        labels=[label(m) for m in months],
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
