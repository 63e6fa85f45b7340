"""The check-ins app's report columns, school measures and chart
(growth/reporting/reports.py registry):
per person check-ins held of those expected so far, overdue ones and the next one; per school
the engagement so far and who is engaging; engagement month by month over the year. Found by
autodiscovery. People's and schools' figures come from the progress rows; the chart adds up
what each school's summary keeps of check-ins due and held by month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
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
    ReportScope,
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
        funnel_share=("checkins_engaging", "checkins_people"),
    )
)


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _in_post(day: dt.date) -> Q:
    """Expected at a check-in on ``day`` (as ``checkins.schedule.dates_for_person``)."""
    return Q(start_date__lte=day) & (Q(leave_date__isnull=True) | Q(leave_date__gt=day))


def _checkin_figures(
    ctx: ReportContext, staff: models.QuerySet[StaffMember]
) -> dict[int, dict[str, Any]]:
    """Per school, over the whole cycle, what the chart adds up: how many of its people are in
    post on each check-in day, and how many check-ins they held in each month. Two GROUP BY
    queries (one over people joined to their check-ins would need a distinct count of
    people per day, which costs more than both)."""
    if ctx.cycle is None:
        return {}
    days = cycle_schedule(cycle=ctx.cycle)
    months = _month_starts(ctx.cycle.start_date, ctx.cycle.end_date)
    ends = [*months[1:], (months[-1] + dt.timedelta(days=32)).replace(day=1)] if months else []
    in_post = (
        staff.order_by()
        .values("school_id")
        .annotate(**{f"due_{i}": Count("pk", filter=_in_post(day)) for i, day in enumerate(days)})
    )
    held = (
        Checkin.objects.for_trust(ctx.cycle.trust_id)
        .filter(staff_member__in=staff.values("pk"), cycle=ctx.cycle, status=Checkin.Status.HELD)
        .order_by()
        .values("staff_member__school_id")
        .annotate(
            **{
                f"held_{i}": Count("pk", filter=Q(held_on__gte=start, held_on__lt=end))
                for i, (start, end) in enumerate(zip(months, ends, strict=True))
            }
        )
    )
    figures: dict[int, dict[str, Any]] = {}
    for row in in_post:
        figures[row["school_id"]] = {
            "checkins_due_on": {
                day.isoformat(): row[f"due_{i}"] for i, day in enumerate(days) if row[f"due_{i}"]
            },
            "checkins_held_in": {},
        }
    for row in held:
        school = figures.setdefault(
            row["staff_member__school_id"], {"checkins_due_on": {}, "checkins_held_in": {}}
        )
        school["checkins_held_in"] = {
            month.isoformat(): row[f"held_{i}"]
            for i, month in enumerate(months)
            if row[f"held_{i}"]
        }
    return figures


def _over_the_year(ctx: ReportContext, scope: ReportScope) -> ChartData | None:
    """Check-ins held and due, month by month, from the start of the cycle to this month,
    added up over the schools' kept figures (``_checkin_figures``): due on the check-in days
    so far; held in each month (a check-in recorded ahead as held later this month counts in
    this month)."""
    if ctx.cycle is None:
        return None
    months = _month_starts(ctx.cycle.start_date, min(ctx.today, ctx.cycle.end_date))
    if not months:
        return None
    today = ctx.today.isoformat()
    due: dict[str, int] = defaultdict(int)
    held: dict[str, int] = defaultdict(int)
    for _, figures in scope.schools_with_figures():
        for day, count in figures.get("checkins_due_on", {}).items():
            if day <= today:
                due[day[:7]] += count
        for month, count in figures.get("checkins_held_in", {}).items():
            held[month[:7]] += count

    def in_progress(m: dt.date) -> bool:
        next_month = (m + dt.timedelta(days=32)).replace(day=1)
        return m <= ctx.today < next_month - dt.timedelta(days=1)

    def label(m: dt.date) -> str:
        # This month is not over: say so, or its few days so far read as a collapse.
        if in_progress(m):
            return f"{date_format(m, 'M Y')} (to {date_format(ctx.today, 'j M')})"
        return date_format(m, "M Y")

    # A month begun with nothing due or held in it yet is left out: it would only draw both
    # lines down to nothing.
    this_month = months[-1].isoformat()[:7]
    if len(months) > 1 and in_progress(months[-1]) and not due[this_month] + held[this_month]:
        months.pop()

    return ChartData(
        labels=[label(m) for m in months],
        series=[
            Series("Due", [due[m.isoformat()[:7]] for m in months]),
            Series("Held", [held[m.isoformat()[:7]] for m in months]),
        ],
        y_title="Check-ins",
    )


register_chart(
    ReportChart(
        "checkins_over_year",
        "Check-in engagement over the year",
        _over_the_year,
        school_figures=_checkin_figures,
        kind="line",
        order=20,
        summary="Check-ins due and held each month of the cycle so far.",
    )
)
