"""The objectives app's report columns and school measures (growth/reporting/reports.py registry):
each person's plan state and whether their objectives are agreed; per school, how many
objectives are agreed and how many plans await agreement. Read from the progress rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db.models import Q

from growth.models import StaffMember
from growth.reporting.reports import (
    EMPTY,
    Cell,
    Figures,
    PersonColumn,
    ReportContext,
    SchoolMeasure,
    count_of,
    day_text,
    link_to,
    people_where,
    progress_of,
    register_person_column,
    register_school_measure,
)
from objectives.models import GrowthPlan

EARLY_CAREER = ("ect1", "ect2")
# A state's label as get_state_display gives it (an unknown value shows as itself).
_PLAN_STATES = dict(GrowthPlan.State.choices)


def _exempt(ctx: ReportContext, person: StaffMember) -> bool:
    """Early career teachers write the three objectives like everyone (seed 002, "3
    objectives and check-ins for all"); seed 004's exemption is from the GROW plan only, so
    they are exempt here only where the trust has widened it (objectives.rules)."""
    stage = person.career_stage
    return (
        stage is not None
        and stage.code in EARLY_CAREER
        and ctx.trust.early_career_exempt_from_objectives
    )


def _plan_state(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    past_deadline = ctx.cycle is not None and ctx.today > ctx.cycle.objectives_deadline
    cells = {}
    for person in people:
        progress = progress_of(person)
        if progress is not None and progress.plan_state:
            cells[person.pk] = Cell(
                _PLAN_STATES.get(progress.plan_state, progress.plan_state),
                value=progress.plan_state,
                url=link_to("objectives:plan", progress.plan_public_id),
                tone="good" if progress.plan_state == GrowthPlan.State.AGREED else "",
            )
        elif _exempt(ctx, person):
            cells[person.pk] = Cell("Not required (early career)", value="exempt")
        else:
            cells[person.pk] = Cell(
                "Not started", value="none", tone="bad" if past_deadline else "warn"
            )
    return cells


def _agreed(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    cells = {}
    for person in people:
        progress = progress_of(person)
        if progress is not None and progress.objectives_agreed_at:
            cells[person.pk] = Cell(f"Yes, {day_text(progress.objectives_agreed_at)}", value=True)
        elif (progress is None or not progress.plan_state) and _exempt(ctx, person):
            cells[person.pk] = Cell("—")
        else:
            cells[person.pk] = Cell("No", value=False)
    return cells


register_person_column(PersonColumn("objectives_plan", "Plan", _plan_state, order=10))
register_person_column(PersonColumn("objectives_agreed", "Objectives agreed", _agreed, order=11))


def _plan_figures(ctx: ReportContext) -> dict:
    """People per school who write a plan (early career teachers may be exempt), and how far
    their plans have gone."""
    required = Q()
    if ctx.trust.early_career_exempt_from_objectives:
        required = ~Q(career_stage__code__in=EARLY_CAREER) | Q(career_stage__isnull=True)
    # Counted among those who write a plan: an exempt person's own plan would otherwise make
    # "16 of 14 (114%)".
    return {
        "objectives_required": people_where(required or None),
        "objectives_started": people_where(required & Q(p__plan_public_id__isnull=False)),
        "objectives_agreed": people_where(required & Q(p__objectives_agreed_at__isnull=False)),
        "objectives_awaiting": people_where(required & Q(p__plan_state=GrowthPlan.State.SUBMITTED)),
    }


def _started_measure(ctx: ReportContext, figures: Figures) -> Cell:
    if not figures["objectives_required"]:
        return EMPTY  # nobody here writes a plan
    return count_of(figures["objectives_started"], figures["objectives_required"])


def _agreed_measure(ctx: ReportContext, figures: Figures) -> Cell:
    if not figures["objectives_required"]:
        return EMPTY
    return count_of(figures["objectives_agreed"], figures["objectives_required"])


def _awaiting_measure(ctx: ReportContext, figures: Figures) -> Cell:
    if not figures["objectives_required"]:
        return EMPTY
    awaiting = figures["objectives_awaiting"]
    return Cell(str(awaiting), value=awaiting)


register_school_measure(
    SchoolMeasure(
        "objectives_started",
        "Plans started",
        _plan_figures,
        _started_measure,
        order=10,
        funnel_step=10,
        funnel_label="Plan started",
        funnel_share=("objectives_started", "objectives_required"),
    )
)
register_school_measure(
    SchoolMeasure(
        "objectives_agreed",
        "Objectives agreed",
        _plan_figures,
        _agreed_measure,
        order=11,
        funnel_step=11,
        funnel_label="Objectives agreed",
        funnel_share=("objectives_agreed", "objectives_required"),
    )
)
register_school_measure(
    SchoolMeasure(
        "objectives_awaiting",
        "Plans awaiting agreement",
        _plan_figures,
        _awaiting_measure,
        order=12,
    )
)
