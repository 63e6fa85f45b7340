"""The checkins app's report columns and school measures (growth/reports.py registry): each
person's check-ins held against expected and the balance across the three objectives; per
school, check-ins held against those expected (excused ones left out). Found by autodiscovery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import models
from django.urls import reverse

from checkins.selectors import EngagementSummary, engagement_summaries
from growth.models import StaffMember
from growth.reports import (
    EMPTY,
    Cell,
    PersonColumn,
    ReportContext,
    SchoolMeasure,
    count_of,
    register_person_column,
    register_school_measure,
)


def _summaries(ctx: ReportContext, ids: list[int], key: str) -> dict[int, EngagementSummary]:
    if ctx.cycle is None:
        return {}
    cycle = ctx.cycle
    return ctx.memo(
        f"checkins.engagement.{key}",
        lambda: engagement_summaries(staff_ids=ids, cycle=cycle, on=ctx.today),
    )


def _held(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    summaries = _summaries(ctx, [p.pk for p in people], f"people.{id(people)}")
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
    summaries = _summaries(ctx, [p.pk for p in people], f"people.{id(people)}")
    labels = {"equal": "Equal", "some": "Some more than others", "limited": "Limited"}
    return {
        p.pk: Cell(labels[e.balance], value=e.balance) if (e := summaries.get(p.pk)) else EMPTY
        for p in people
    }


register_person_column(PersonColumn("checkins_held", "Check-ins held", _held, order=20))
register_person_column(
    PersonColumn("checkins_balance", "Balance across objectives", _balance, order=21)
)


def _held_measure(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    rows = list(staff.order_by().values_list("pk", "school_id"))
    summaries = _summaries(ctx, [pk for pk, _ in rows], "schools")
    held: dict[int, int] = {}
    due: dict[int, int] = {}
    for pk, school_id in rows:
        e = summaries.get(pk)
        held[school_id] = held.get(school_id, 0) + (e.held if e else 0)
        due[school_id] = due.get(school_id, 0) + (max(e.expected - e.excused, 0) if e else 0)
    return {school: count_of(min(held[school], due[school]), due[school]) for school in due}


register_school_measure(SchoolMeasure("checkins_held", "Check-ins held", _held_measure, order=20))
