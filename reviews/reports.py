"""The reviews app's report columns, school measures and charts (growth/reports.py registry):
per person the July reflection, the review and its outcome; per school reflections done,
reviews written, awaiting the final decision and the outcome distribution; outcomes per school
and per reviewer as charts. Found by autodiscovery; a fixed number of queries per figure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse

from growth.models import School, StaffMember
from growth.reports import (
    SCHOOL,
    SELF,
    TEAM,
    TRUST,
    Cell,
    ChartData,
    PersonColumn,
    ReportChart,
    ReportContext,
    SchoolMeasure,
    Series,
    choice_label,
    count_of,
    counts_by_school,
    records_by_person,
    register_chart,
    register_person_column,
    register_school_measure,
    short_date,
    url_maker,
)
from reviews import rubric
from reviews.models import JulyReflection, Review

WRITTEN = (Review.Status.SUBMITTED, Review.Status.DECIDED)


def _outcome(review: Review) -> str:
    """The decided outcome, else the reviewer's placement (provisional)."""
    if review.status == Review.Status.DECIDED and review.final_outcome:
        return review.final_outcome
    return review.placed_outcome


# --- People --------------------------------------------------------------------------------


def _reflections(ctx: ReportContext, people: Sequence[StaffMember]) -> dict[int, JulyReflection]:
    def load() -> dict[int, JulyReflection]:
        if ctx.cycle is None:
            return {}
        return records_by_person(JulyReflection, ("submitted_at",), cycle=ctx.cycle, people=people)

    return ctx.memo(f"reviews.reflections.{id(people)}", load)


def reviews_of(ctx: ReportContext, people: Sequence[StaffMember]) -> dict[int, Review]:
    def load() -> dict[int, Review]:
        if ctx.cycle is None:
            return {}
        fields = ("public_id", "reviewer", "status", "placed_outcome", "final_outcome")
        return records_by_person(Review, fields, cycle=ctx.cycle, people=people)

    return ctx.memo(f"reviews.reviews.{id(people)}", load)


def _reflection(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    found = _reflections(ctx, people)
    cells = {}
    for person in people:
        r = found.get(person.pk)
        if r is not None and r.submitted_at:
            cells[person.pk] = Cell(f"Done, {short_date(r.submitted_at)}", value=True)
        elif r is not None:
            cells[person.pk] = Cell("Started", value=False)
        else:
            cells[person.pk] = Cell("Not yet", value=False)
    return cells


def _review(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    found = reviews_of(ctx, people)
    viewer_id = ctx.viewer.pk if ctx.viewer else None
    index_url = reverse("reviews:index")
    review_url = url_maker("reviews:detail")
    cells = {}
    for person in people:
        review = found.get(person.pk)
        if review is None:
            if person.line_manager_id and person.line_manager_id == viewer_id:
                cells[person.pk] = Cell("To write", value="none", url=index_url, tone="warn")
            else:
                cells[person.pk] = Cell("Not started", value="none")
        elif person.pk == viewer_id and review.status != Review.Status.DECIDED:
            # Nobody sees their own review before it is released.
            cells[person.pk] = Cell("In progress", value="hidden")
        else:
            url = review_url(review.public_id)
            draft = review.status == Review.Status.DRAFT
            cells[person.pk] = Cell(
                choice_label(review, "status"),
                value=review.status,
                url=url,
                tone="warn" if draft and review.reviewer_id == viewer_id else "",
            )
    return cells


def _outcome_cell(ctx: ReportContext, people: Sequence[StaffMember]) -> Mapping[int, Cell]:
    found = reviews_of(ctx, people)
    viewer_id = ctx.viewer.pk if ctx.viewer else None
    cells = {}
    for person in people:
        review = found.get(person.pk)
        outcome = _outcome(review) if review else ""
        if not outcome or (person.pk == viewer_id and review.status != Review.Status.DECIDED):
            cells[person.pk] = Cell("—")
        elif review.status == Review.Status.DECIDED:
            cells[person.pk] = Cell(rubric.OUTCOME_LABELS[outcome], value=outcome)
        else:
            cells[person.pk] = Cell(
                f"{rubric.OUTCOME_LABELS[outcome]} (provisional)", value=outcome
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


def _school_counts(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> dict[int, dict]:
    def load() -> dict[int, dict]:
        if ctx.cycle is None:
            return {}
        in_scope = staff.values("pk")
        counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
        for school_id, n in (
            JulyReflection.objects.for_trust(ctx.trust_id)
            .filter(cycle=ctx.cycle, staff_member__in=in_scope, submitted_at__isnull=False)
            .order_by()
            .values("staff_member__school_id")
            .annotate(n=Count("pk"))
            .values_list("staff_member__school_id", "n")
        ):
            counts[school_id]["reflections"] = n
        for row in (
            Review.objects.for_trust(ctx.trust_id)
            .filter(cycle=ctx.cycle, staff_member__in=in_scope)
            .order_by()
            .values("staff_member__school_id", "status", "final_outcome")
            .annotate(n=Count("pk"))
        ):
            c = counts[row["staff_member__school_id"]]
            if row["status"] in WRITTEN:
                c["written"] += row["n"]
            if row["status"] == Review.Status.SUBMITTED:
                c["awaiting"] += row["n"]
            if row["status"] == Review.Status.DECIDED:
                c["decided"] += row["n"]
                c[f"outcome:{row['final_outcome']}"] += row["n"]
        return counts

    return ctx.memo("reviews.schools", load)


def _people_by_school(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> dict[int, int]:
    return ctx.memo("growth.staff_by_school", lambda: counts_by_school(staff))


def _measure(key: str):
    def compute(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
        counts = _school_counts(ctx, staff)
        return {
            school: count_of(counts.get(school, {}).get(key, 0), n)
            for school, n in _people_by_school(ctx, staff).items()
        }

    return compute


def _awaiting(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    counts = _school_counts(ctx, staff)
    return {
        school: Cell(str(n), value=n, tone="warn" if n else "")
        for school in _people_by_school(ctx, staff)
        for n in [counts.get(school, {}).get("awaiting", 0)]
    }


def _distribution(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> Mapping[int, Cell]:
    counts = _school_counts(ctx, staff)
    cells = {}
    for school in _people_by_school(ctx, staff):
        c = counts.get(school, {})
        parts = [
            f"{label} {c.get(f'outcome:{value}', 0)}"
            for value, label in rubric.OUTCOME_CHOICES
            if c.get(f"outcome:{value}", 0)
        ]
        cells[school] = Cell(", ".join(parts) or "None decided yet", value=c.get("decided", 0))
    return cells


register_school_measure(
    SchoolMeasure(
        "reviews_reflections",
        "July reflections done",
        _measure("reflections"),
        order=30,
        funnel_step=30,
        funnel_label="July reflection done",
    )
)
register_school_measure(
    SchoolMeasure(
        "reviews_written",
        "Reviews written",
        _measure("written"),
        order=31,
        funnel_step=40,
        funnel_label="Review written",
    )
)
register_school_measure(
    SchoolMeasure("reviews_awaiting", "Awaiting final decision", _awaiting, order=32)
)
register_school_measure(
    SchoolMeasure(
        "reviews_decided",
        "Final decision made",
        _measure("decided"),
        order=33,
        funnel_step=50,
        funnel_label="Final decision made",
    )
)
register_school_measure(
    SchoolMeasure("reviews_outcomes", "Outcomes decided", _distribution, order=34)
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


def _per_school(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> ChartData | None:
    counts = _school_counts(ctx, staff)
    schools = School.objects.for_trust(ctx.trust_id).filter(pk__in=list(counts)).order_by("name")
    groups = [
        (
            s.name,
            {v: counts[s.pk].get(f"outcome:{v}", 0) for v, _ in rubric.OUTCOME_CHOICES},
        )
        for s in schools
    ]
    return _outcome_chart(groups)


def _per_reviewer(ctx: ReportContext, staff: models.QuerySet[StaffMember]) -> ChartData | None:
    if ctx.cycle is None:
        return None
    rows = (
        Review.objects.for_trust(ctx.trust_id)
        .filter(
            cycle=ctx.cycle,
            staff_member__in=staff.values("pk"),
            status__in=WRITTEN,
        )
        .order_by()
        .values("reviewer_id", "reviewer__user__first_name", "reviewer__user__last_name")
        .annotate(
            **{
                value: Count(
                    "pk",
                    filter=Q(status=Review.Status.DECIDED, final_outcome=value)
                    | Q(status=Review.Status.SUBMITTED, placed_outcome=value),
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
