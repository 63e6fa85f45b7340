"""The core's own report columns and school measures: who people are, where they work and who
manages them. Other apps add theirs in their own ``reports.py``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Q

from growth.models import StaffMember
from growth.reporting.reports import (
    SCHOOL,
    SELF,
    TRUST,
    Cell,
    Figures,
    PersonColumn,
    ReportContext,
    SchoolMeasure,
    count_of,
    people_where,
    register_person_column,
    register_school_measure,
)


def _job_title(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    return {p.pk: Cell(p.job_title) for p in people}


def _school(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    return {p.pk: Cell(p.school.name) for p in people}


def _stage(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    return {
        p.pk: Cell(p.career_stage.name if p.career_stage_id else p.get_category_display())
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


def _staff(ctx: ReportContext) -> dict:
    return {
        "growth_staff": people_where(),
        "growth_managed": people_where(Q(line_manager__isnull=False)),
    }


def _staff_count(ctx: ReportContext, figures: Figures) -> Cell:
    return Cell(str(figures["growth_staff"]), value=figures["growth_staff"])


def _managed(ctx: ReportContext, figures: Figures) -> Cell:
    return count_of(figures["growth_managed"], figures["growth_staff"])


register_school_measure(
    SchoolMeasure(
        "staff", "Staff", _staff, _staff_count, order=1, funnel_step=0, funnel_label="Staff"
    )
)
register_school_measure(
    SchoolMeasure("with_line_manager", "With a line manager", _staff, _managed, order=2)
)
