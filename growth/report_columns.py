"""The core's own report columns and school measures: who people are, where they work and who
manages them. Other apps add theirs in their own ``reports.py``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import models

from growth.models import StaffMember
from growth.reports import (
    SCHOOL,
    SELF,
    TRUST,
    Cell,
    PersonColumn,
    ReportContext,
    SchoolMeasure,
    choice_label,
    count_of,
    counts_by_school,
    register_person_column,
    register_school_measure,
)


def _job_title(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    return {p.pk: Cell(p.job_title) for p in people}


def _school(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    return {p.pk: Cell(p.school.name) for p in people}


def _stage(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    return {
        p.pk: Cell(p.career_stage.name if p.career_stage_id else choice_label(p, "category"))
        for p in people
    }


def _line_manager(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    cells = {}
    for p in people:
        manager = p.line_manager
        if manager is None:
            cells[p.pk] = Cell("None", tone="warn")
        else:
            cells[p.pk] = Cell(manager.full_name)
    return cells


register_person_column(PersonColumn("job_title", "Job title", _job_title, order=1))
register_person_column(
    PersonColumn("school", "School or team", _school, order=2, audiences=frozenset({TRUST, SELF}))
)
register_person_column(PersonColumn("career_stage", "Career stage or role", _stage, order=3))
register_person_column(
    PersonColumn(
        "line_manager",
        "Line manager",
        _line_manager,
        order=4,
        audiences=frozenset({SCHOOL, TRUST, SELF}),
    )
)


def _staff_count(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    totals = ctx.memo("growth.staff_by_school", lambda: counts_by_school(staff))
    return {school: Cell(str(n), value=n) for school, n in totals.items()}


def _managed(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    totals = ctx.memo("growth.staff_by_school", lambda: counts_by_school(staff))
    managed = counts_by_school(staff, line_manager__isnull=False)
    return {school: count_of(managed.get(school, 0), n) for school, n in totals.items()}


register_school_measure(
    SchoolMeasure("staff", "Staff", _staff_count, order=1, funnel_step=0, funnel_label="Staff")
)
register_school_measure(
    SchoolMeasure("with_line_manager", "With a line manager", _managed, order=2)
)
