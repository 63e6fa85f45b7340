"""The objectives app's report columns and school measures (growth/reports.py registry):
each person's plan state and whether their objectives are agreed; per school, how many
objectives are agreed and how many plans await agreement. Found by autodiscovery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import models
from django.db.models import Count, Q

from growth.models import StaffMember, Trust
from growth.reports import (
    Cell,
    PersonColumn,
    ReportContext,
    SchoolMeasure,
    choice_label,
    count_of,
    records_by_person,
    register_person_column,
    register_school_measure,
    short_date,
    url_maker,
)
from objectives.models import GrowthPlan

EARLY_CAREER = ("ect1", "ect2")


def _ects_write_plans(ctx: ReportContext) -> bool:
    viewer = ctx.viewer
    if viewer is not None and StaffMember.trust.is_cached(viewer):
        # The signed-in person comes with their trust (growth/middleware.py): no query.
        return viewer.trust.early_career_teachers_write_plan
    return ctx.memo(
        "objectives.ects_write",
        lambda: (
            Trust.objects.filter(pk=ctx.trust_id)
            .values_list("early_career_teachers_write_plan", flat=True)
            .first()
            or False
        ),
    )


def _exempt(ctx: ReportContext, person: StaffMember) -> bool:
    stage = person.career_stage
    return stage is not None and stage.code in EARLY_CAREER and not _ects_write_plans(ctx)


def plans_of(ctx: ReportContext, people: Sequence[StaffMember]) -> dict[int, GrowthPlan]:
    """Every listed person's plan for the cycle, one query, shared by both columns."""

    def load() -> dict[int, GrowthPlan]:
        if ctx.cycle is None:
            return {}
        fields = ("public_id", "state", "agreed_at", "agreed_version")
        return records_by_person(GrowthPlan, fields, cycle=ctx.cycle, people=people)

    return ctx.memo(f"objectives.plans.{id(people)}", load)


def _plan_state(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    plans = plans_of(ctx, people)
    past_deadline = ctx.cycle is not None and ctx.today > ctx.cycle.objectives_deadline
    cells = {}
    plan_url = url_maker("objectives:plan")
    for person in people:
        plan = plans.get(person.pk)
        if plan is not None:
            url = plan_url(plan.public_id)
            tone = "good" if plan.state == GrowthPlan.State.AGREED else ""
            cells[person.pk] = Cell(
                choice_label(plan, "state"), value=plan.state, url=url, tone=tone
            )
        elif _exempt(ctx, person):
            cells[person.pk] = Cell("Not required (early career)", value="exempt")
        else:
            cells[person.pk] = Cell(
                "Not started", value="none", tone="bad" if past_deadline else "warn"
            )
    return cells


def _agreed(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    plans = plans_of(ctx, people)
    cells = {}
    for person in people:
        plan = plans.get(person.pk)
        if plan is not None and plan.agreed_version is not None and plan.agreed_at:
            cells[person.pk] = Cell(f"Yes, {short_date(plan.agreed_at)}", value=True)
        elif plan is None and _exempt(ctx, person):
            cells[person.pk] = Cell("—")
        else:
            cells[person.pk] = Cell("No", value=False)
    return cells


register_person_column(PersonColumn("objectives_plan", "Plan", _plan_state, order=10))
register_person_column(PersonColumn("objectives_agreed", "Objectives agreed", _agreed, order=11))


def _required(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> dict[int, int]:
    """People per school who write a plan (early career teachers may be exempt)."""

    def load() -> dict[int, int]:
        rows = staff.order_by().values("school_id")
        if not _ects_write_plans(ctx):
            rows = rows.exclude(career_stage__code__in=EARLY_CAREER)
        return dict(rows.annotate(n=Count("pk")).values_list("school_id", "n"))

    return ctx.memo("objectives.required", load)


def _plan_counts(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> dict[int, dict]:
    def load() -> dict[int, dict]:
        if ctx.cycle is None:
            return {}
        rows = (
            GrowthPlan.objects.for_trust(ctx.trust_id)
            .filter(cycle=ctx.cycle, staff_member__in=staff.values("pk"))
            .order_by()
            .values("staff_member__school_id")
            .annotate(
                started=Count("pk"),
                agreed=Count("pk", filter=Q(agreed_version__isnull=False)),
                awaiting=Count("pk", filter=Q(state=GrowthPlan.State.SUBMITTED)),
            )
        )
        return {r["staff_member__school_id"]: r for r in rows}

    return ctx.memo("objectives.plan_counts", load)


def _agreed_measure(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    counts = _plan_counts(ctx, staff)
    return {
        school: count_of(counts.get(school, {}).get("agreed", 0), n)
        for school, n in _required(ctx, staff).items()
    }


def _started_measure(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    counts = _plan_counts(ctx, staff)
    return {
        school: count_of(counts.get(school, {}).get("started", 0), n)
        for school, n in _required(ctx, staff).items()
    }


def _awaiting_measure(
    ctx: ReportContext, staff: models.QuerySet[StaffMember]
) -> Mapping[int, Cell]:
    counts = _plan_counts(ctx, staff)
    return {
        school: Cell(str(v), value=v)
        for school in _required(ctx, staff)
        for v in [counts.get(school, {}).get("awaiting", 0)]
    }


register_school_measure(
    SchoolMeasure(
        "objectives_started",
        "Plans started",
        _started_measure,
        order=10,
        funnel_step=10,
        funnel_label="Plan started",
    )
)
register_school_measure(
    SchoolMeasure(
        "objectives_agreed",
        "Objectives agreed",
        _agreed_measure,
        order=11,
        funnel_step=11,
        funnel_label="Objectives agreed",
    )
)
register_school_measure(
    SchoolMeasure("objectives_awaiting", "Plans awaiting agreement", _awaiting_measure, order=12)
)
