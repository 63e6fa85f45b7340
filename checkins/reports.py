"""The checkins app's report columns and school measures (growth/reports.py registry): each
person's check-ins held against expected and the balance across the three objectives; per
school, check-ins held against those expected (excused ones left out). Found by autodiscovery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.urls import reverse

from checkins.selectors import EngagementSummary, engagement_for_people
from growth.models import StaffMember
from growth.reports import (
    EMPTY,
    SCHOOL,
    TEAM,
    TRUST,
    Cell,
    PersonColumn,
    ReportContext,
    register_person_column,
)


def _summaries(
    ctx: ReportContext, spans: dict[int, tuple], key: str
) -> dict[int, EngagementSummary]:
    if ctx.cycle is None:
        return {}
    cycle = ctx.cycle
    return ctx.memo(
        f"checkins.engagement.{key}",
        lambda: engagement_for_people(spans=spans, cycle=cycle, on=ctx.today),
    )


def _spans(people: Sequence[StaffMember]) -> dict[int, tuple]:
    return {p.pk: (p.start_date, p.leave_date) for p in people}


def _held(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    summaries = _summaries(ctx, _spans(people), f"people.{id(people)}")
    cells = {}
    for person in people:
        e = summaries.get(person.pk)
        if e is None or e.expected == 0:
            cells[person.pk] = EMPTY
            continue
        tone = "good" if e.held_ratio >= 0.9 else ("warn" if e.held_ratio >= 0.6 else "bad")
        cells[person.pk] = Cell(
            f"{e.held} of {e.expected - e.excused}",
            value=e.held,
            url=reverse("checkins:person", kwargs={"public_id": person.public_id}),
            tone=tone,
        )
    return cells


def _balance(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    summaries = _summaries(ctx, _spans(people), f"people.{id(people)}")
    labels = {"equal": "Equal", "some": "Some more than others", "limited": "Limited"}
    return {
        p.pk: Cell(labels[e.balance], value=e.balance) if (e := summaries.get(p.pk)) else EMPTY
        for p in people
    }


# Not in the "my year" panel: the check-ins panel there shows the person's engagement in full.
STAFF_REPORTS = frozenset({TEAM, SCHOOL, TRUST})
register_person_column(
    PersonColumn("checkins_held", "Check-ins held", _held, order=20, audiences=STAFF_REPORTS)
)
register_person_column(
    PersonColumn(
        "checkins_balance", "Balance across objectives", _balance, order=21, audiences=STAFF_REPORTS
    )
)
