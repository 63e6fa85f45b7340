"""The reviews app's report columns, school measures and charts
(growth/reporting/reports.py registry):
per person the July reflection, the review and its outcome; per school reflections done,
reviews written, awaiting the final decision and the outcome distribution; outcomes per school
and per reviewer as charts. Found by autodiscovery; a fixed number of queries per figure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from growth.models import GrowthProgress, RoleAssignment, StaffMember
from growth.reporting.reports import (
    SCHOOL,
    SELF,
    TEAM,
    TRUST,
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
    link_to,
    people_where,
    progress_of,
    register_chart,
    register_person_column,
    register_school_measure,
)
from reviews import rubric
from reviews.models import Review

WRITTEN = (Review.Status.SUBMITTED, Review.Status.DECIDED)
# A status's label as get_status_display gives it (an unknown value shows as itself).
_REVIEW_STATUSES = dict(Review.Status.choices)


def _outcome(progress: GrowthProgress) -> str:
    """The decided outcome, else the reviewer's placement (provisional)."""
    if progress.review_status == Review.Status.DECIDED and progress.final_outcome:
        return progress.final_outcome
    return progress.placed_outcome


# --- People --------------------------------------------------------------------------------


def _reflection(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    cells = {}
    for person in people:
        progress = progress_of(person)
        if progress is not None and progress.reflection_submitted_at:
            cells[person.pk] = Cell(
                f"Done, {day_text(progress.reflection_submitted_at)}", value=True
            )
        elif progress is not None and progress.reflection_started:
            cells[person.pk] = Cell("Started", value=False)
        else:
            cells[person.pk] = Cell("Not yet", value=False)
    return cells


def _review(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    viewer_id = ctx.viewer.pk if ctx.viewer else None
    cells = {}
    for person in people:
        progress = progress_of(person)
        if progress is None or not progress.review_status:
            if person.line_manager_id and person.line_manager_id == viewer_id:
                cells[person.pk] = Cell(
                    "To write", value="none", url=reverse("reviews:index"), tone="warn"
                )
            else:
                cells[person.pk] = Cell("Not started", value="none")
        elif person.pk == viewer_id and progress.review_status != Review.Status.DECIDED:
            # Nobody sees their own review before it is released.
            cells[person.pk] = Cell("In progress", value="hidden")
        else:
            draft = progress.review_status == Review.Status.DRAFT
            cells[person.pk] = Cell(
                _REVIEW_STATUSES.get(progress.review_status, progress.review_status),
                value=progress.review_status,
                url=link_to("reviews:detail", progress.review_public_id),
                tone="warn" if draft and progress.reviewer_id == viewer_id else "",
            )
    return cells


def _outcome_cell(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    viewer_id = ctx.viewer.pk if ctx.viewer else None
    cells = {}
    for person in people:
        progress = progress_of(person)
        outcome = _outcome(progress) if progress else ""
        decided = progress is not None and progress.review_status == Review.Status.DECIDED
        if not outcome or (person.pk == viewer_id and not decided):
            cells[person.pk] = Cell("—")
        elif decided:
            cells[person.pk] = Cell(rubric.OUTCOME_LABELS.get(outcome, outcome), value=outcome)
        else:
            cells[person.pk] = Cell(
                f"{rubric.OUTCOME_LABELS.get(outcome, outcome)} (provisional)", value=outcome
            )
    return cells


register_person_column(PersonColumn("reviews_reflection", "July reflection", _reflection, order=30))
register_person_column(PersonColumn("reviews_review", "Review", _review, order=31))
register_person_column(
    PersonColumn(
        "reviews_outcome",
        "Outcome",
        _outcome_cell,
        order=32,
        audiences=frozenset({TEAM, SCHOOL, TRUST, SELF}),
    )
)


# --- Schools -------------------------------------------------------------------------------

DECIDED = Q(p__review_status=Review.Status.DECIDED)
# A headteacher's or manager's own review is not their school's to decide (it passes to the
# trust's designated decider, growth/domain/duties.py), so the school's "awaiting" leaves it out.
LEADS_OWN_SCHOOL = models.Exists(
    RoleAssignment.objects.unscoped().filter(
        trust_id=models.OuterRef("trust_id"),
        staff_member_id=models.OuterRef("pk"),
        school_id=models.OuterRef("school_id"),
        role=RoleAssignment.Role.HEADTEACHER,
    )
)
# Nor is a review the school's headteacher wrote themselves: nobody decides a review they
# wrote, so it too passes to the designated decider.
WRITTEN_BY_OWN_HEAD = models.Exists(
    RoleAssignment.objects.unscoped().filter(
        trust_id=models.OuterRef("trust_id"),
        staff_member_id=models.OuterRef("p__reviewer_id"),
        school_id=models.OuterRef("school_id"),
        role=RoleAssignment.Role.HEADTEACHER,
    )
)


def _review_figures(ctx: ReportContext) -> dict:
    return {
        "reviews_people": people_where(),
        "reviews_reflections": people_where(Q(p__reflection_submitted_at__isnull=False)),
        "reviews_written": people_where(Q(p__review_status__in=WRITTEN)),
        "reviews_awaiting": people_where(
            Q(p__review_status=Review.Status.SUBMITTED)
            & ~Q(LEADS_OWN_SCHOOL)
            & ~Q(WRITTEN_BY_OWN_HEAD)
        ),
        "reviews_decided": people_where(DECIDED),
        # In the outcomes chart: a July reflection started or a review begun.
        "reviews_begun": people_where(Q(p__reflection_started=True) | Q(p__review_status__gt="")),
        **{
            f"reviews_outcome_{value}": people_where(DECIDED & Q(p__final_outcome=value))
            for value in rubric.OUTCOMES
        },
    }


def _measure(key: str):
    def cell(ctx: ReportContext, figures: Figures) -> Cell:
        return count_of(figures[f"reviews_{key}"], figures["reviews_people"])

    return cell


def _awaiting(ctx: ReportContext, figures: Figures) -> Cell:
    n = figures["reviews_awaiting"]
    return Cell(str(n), value=n, tone="warn" if n else "")


def _distribution(ctx: ReportContext, figures: Figures) -> Cell:
    parts = [
        f"{label} {figures[f'reviews_outcome_{value}']}"
        for value, label in rubric.OUTCOME_CHOICES
        if figures[f"reviews_outcome_{value}"]
    ]
    return Cell(", ".join(parts) or "None decided yet", value=figures["reviews_decided"])


register_school_measure(
    SchoolMeasure(
        "reviews_reflections",
        "July reflections done",
        _review_figures,
        _measure("reflections"),
        order=30,
        funnel_step=30,
        funnel_label="July reflection done",
        funnel_share=("reviews_reflections", "reviews_people"),
    )
)
register_school_measure(
    SchoolMeasure(
        "reviews_written",
        "Reviews written",
        _review_figures,
        _measure("written"),
        order=31,
        funnel_step=40,
        funnel_label="Review written",
        funnel_share=("reviews_written", "reviews_people"),
    )
)
register_school_measure(
    SchoolMeasure(
        "reviews_awaiting", "Awaiting final decision", _review_figures, _awaiting, order=32
    )
)
register_school_measure(
    SchoolMeasure(
        "reviews_decided",
        "Final decision made",
        _review_figures,
        _measure("decided"),
        order=33,
        funnel_step=50,
        funnel_label="Final decision made",
        funnel_share=("reviews_decided", "reviews_people"),
    )
)
register_school_measure(
    SchoolMeasure("reviews_outcomes", "Outcomes decided", _review_figures, _distribution, order=34)
)


# --- Charts --------------------------------------------------------------------------------


def _outcome_chart(groups: list[tuple[str, dict[str, int]]]) -> ChartData:
    return ChartData(
        labels=[label for label, _ in groups],
        series=[
            Series(label, [counts.get(value, 0) for _, counts in groups])
            for value, label in rubric.OUTCOME_CHOICES
        ],
        y_title="Reviews",
    )


def _progress_in(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> models.QuerySet:
    return GrowthProgress.objects.for_trust(ctx.trust_id).filter(
        cycle=ctx.cycle, staff_member__in=staff.values("pk")
    )


def _per_school(ctx: ReportContext, scope: ReportScope) -> ChartData | None:
    """Final outcomes decided in each school where a reflection or review has begun, from the
    schools' kept figures (schools of one name counted together, by name)."""
    if ctx.cycle is None:
        return None
    groups: dict[str, dict[str, int]] = {}
    for school, figures in sorted(scope.schools_with_figures(), key=lambda s: s[0].name):
        if figures.get("reviews_begun"):
            counts = groups.setdefault(school.name, dict.fromkeys(rubric.OUTCOMES, 0))
            for value in rubric.OUTCOMES:
                counts[value] += figures[f"reviews_outcome_{value}"]
    return _outcome_chart(list(groups.items()))


def _per_reviewer(ctx: ReportContext, scope: ReportScope) -> ChartData | None:
    if ctx.cycle is None:
        return None
    rows = (
        _progress_in(ctx, scope.staff)
        .filter(review_status__in=WRITTEN)
        .order_by()
        .values("reviewer_id", "reviewer__user__first_name", "reviewer__user__last_name")
        .annotate(
            **{
                value: Count(
                    "pk",
                    filter=Q(review_status=Review.Status.DECIDED, final_outcome=value)
                    | Q(review_status=Review.Status.SUBMITTED, placed_outcome=value),
                )
                for value in rubric.OUTCOMES
            }
        )
    )
    groups = sorted(
        (
            f"{r['reviewer__user__first_name']} {r['reviewer__user__last_name']}".strip(),
            {v: r[v] for v in rubric.OUTCOMES},
        )
        for r in rows
    )
    return _outcome_chart(groups)


register_chart(
    ReportChart(
        "reviews_per_school",
        "Outcomes per school",
        _per_school,
        kind="stacked",
        order=30,
        audiences=frozenset({TRUST}),
        summary="Final outcomes decided in each school and team.",
    )
)
register_chart(
    ReportChart(
        "reviews_per_reviewer",
        "Outcomes per reviewer",
        _per_reviewer,
        kind="stacked",
        order=31,
        audiences=frozenset({SCHOOL}),
        summary="Outcomes of the reviews each reviewer has written (provisional until the "
        "final decision).",
    )
)
