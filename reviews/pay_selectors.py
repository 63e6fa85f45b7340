"""Reads for pay progression and the Upper Pay Scale: the trust's mapping, each teacher's
recommendation, the school's pay table and the trust's totals, "sustained" from earlier
cycles, and the evidence a teacher may link to. A fixed number of queries per page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.urls import reverse

from growth.domain.duties import DecisionCapacity
from growth.models import (
    PAY_POINTS,
    GrowthCycle,
    PayRange,
    RoleAssignment,
    School,
    StaffMember,
    Trust,
)
from growth.reporting.reports import Cell, Column, ReportTable, day_text
from growth.security.access import roles_of
from reviews import rubric
from reviews.models import PayDecision, PayMappingEntry, Review, UpperPayApplication
from reviews.pay_rules import (
    DEFAULT_PAY_MAPPING,
    SUSTAINED_YEARS,
    UPS_CRITERIA,
    PayRating,
    PayRecommendation,
)
from reviews.selectors import decision_capacity_or_none


def _trust_id(trust: Trust | int) -> int:
    return trust if isinstance(trust, int) else trust.pk


def pay_mapping(*, trust: Trust | int) -> dict[str, tuple[str, str]]:
    """Outcome → (overall rating, recommendation): the trust's own rows over the default."""
    mapping = dict(DEFAULT_PAY_MAPPING)
    for row in PayMappingEntry.objects.for_trust(_trust_id(trust)):
        mapping[row.outcome] = (row.rating, row.recommendation)
    return mapping


def is_eligible(person: StaffMember) -> bool:
    """Eligible to progress: a teacher on a teachers' range below its top point."""
    return person.category == StaffMember.Category.TEACHING and person.can_progress


def ineligible_reason(person: StaffMember) -> str:
    if person.category != StaffMember.Category.TEACHING or not person.pay_range:
        return "Not on a teachers' pay range"
    if not person.pay_point:
        return "No pay point recorded"
    top = PAY_POINTS[PayRange(person.pay_range)]
    if person.pay_point >= top:
        if person.pay_range == PayRange.MAIN:
            return "Top of the main range: may apply for the Upper Pay Scale"
        return "Top of the range"
    return ""


def on_main_range(staff: StaffMember) -> bool:
    """A teacher on the main pay range: who may apply for the Upper Pay Scale."""
    return staff.category == "teaching" and staff.pay_range == PayRange.MAIN


def pay_decision_page(
    person: StaffMember, *, capacity: str, rating: str, recommended: str
) -> dict[str, Any]:
    """What the head's pay decision page shows beside its form: the capacity they decide in,
    the mapping's rating and recommendation from the review, and whether the person may
    progress at all."""
    return {
        "capacity": DecisionCapacity(capacity).label,
        "rating_label": PayRating(rating).label,
        "recommendation_label": PayRecommendation(recommended).label,
        "referred": recommended == PayRecommendation.REFER,
        "eligible": is_eligible(person),
        "why_not": ineligible_reason(person),
    }


def ups_mine_page(*, staff: StaffMember, cycle: GrowthCycle | None) -> dict[str, Any]:
    """A teacher's Upper Pay Scale page beside its form: their applications and this year's,
    whether they may apply, and the earlier years that count as sustained."""
    applications = ups_applications_of(staff=staff)
    return {
        "cycle": cycle,
        "applications": applications,
        "this_year": next((a for a in applications if cycle and a.cycle_id == cycle.pk), None),
        "on_main": on_main_range(staff),
        "sustained": sustained_cycles(staff=staff, cycle=cycle) if cycle else [],
        "sustained_years": SUSTAINED_YEARS,
    }


def ups_page(application: UpperPayApplication) -> dict[str, Any]:
    """An application as its page shows it: the answers under each criterion, the linked
    evidence."""
    return {
        "answers": [
            (label, getattr(application, name)) for name, (label, _) in UPS_CRITERIA.items()
        ],
        "evidence": evidence_links(application),
        "sustained_years": SUSTAINED_YEARS,
    }


def sustained_cycles(*, staff: StaffMember, cycle: GrowthCycle) -> list[str]:
    """The earlier cycles, most recent first and without a gap, whose decided outcome the
    trust's mapping recommends progression for: seed 004's "sustained" counts these years."""
    earlier = list(
        GrowthCycle.objects.for_trust(staff.trust_id)
        .filter(start_date__lt=cycle.start_date)
        .order_by("-start_date")
        .only("pk", "name")
    )
    decided = dict(
        Review.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, status=Review.Status.DECIDED, cycle__in=earlier)
        .values_list("cycle_id", "final_outcome")
    )
    mapping = pay_mapping(trust=staff.trust_id)
    names = []
    for earlier_cycle in earlier:
        outcome = decided.get(earlier_cycle.pk)
        if not outcome or mapping[outcome][1] != PayRecommendation.PROGRESS:
            break
        names.append(earlier_cycle.name)
    return names


def ups_evidence_choices(*, staff: StaffMember) -> list[tuple[str, str]]:
    """What a teacher may link to from their application: their released reviews and their
    growth plans, as ("review:<id>", "Review 2025-26: Met") pairs."""
    from objectives.models import GrowthPlan

    choices = [
        (
            f"review:{r.public_id}",
            f"Review {r.cycle.name}: {rubric.OUTCOME_LABELS[r.final_outcome]}",
        )
        for r in Review.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, status=Review.Status.DECIDED)
        .select_related("cycle")
        .order_by("-cycle__start_date")
    ]
    choices += [
        (f"plan:{p.public_id}", f"Growth plan {p.cycle.name}: {p.get_state_display()}")
        for p in GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff)
        .select_related("cycle")
        .order_by("-cycle__start_date")
    ]
    return choices


def evidence_links(application: UpperPayApplication) -> list[dict[str, str]]:
    routes = {"review": "reviews:detail", "plan": "objectives:plan"}
    return [
        {"label": item["label"], "url": reverse(routes[item["kind"]], args=[item["public_id"]])}
        for item in application.evidence
        if item.get("kind") in routes
    ]


def ups_applications_of(*, staff: StaffMember) -> list[UpperPayApplication]:
    return list(
        UpperPayApplication.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff)
        .select_related("cycle", "decided_by__user")
        .order_by("-cycle__start_date")
    )


def ups_application_for(*, staff: StaffMember, cycle: GrowthCycle) -> UpperPayApplication | None:
    return (
        UpperPayApplication.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .first()
    )


def ups_queryset(*, trust: Trust | int) -> models.QuerySet[UpperPayApplication]:
    return UpperPayApplication.objects.for_trust(_trust_id(trust)).select_related(
        "staff_member__user", "staff_member__school", "cycle", "decided_by__user"
    )


# --- The pay table ---------------------------------------------------------------------------


@dataclass
class PayRow:
    person: StaffMember
    eligible: bool
    why_not: str
    review: Review | None
    rating: str = ""
    recommendation: str = ""
    decision: PayDecision | None = None
    application: UpperPayApplication | None = None
    # Whether the viewer may confirm or amend this row's recommendation.
    viewer_decides: bool = False

    @property
    def rating_label(self) -> str:
        return PayRating(self.rating).label if self.rating else ""

    @property
    def recommendation_label(self) -> str:
        return PayRecommendation(self.recommendation).label if self.recommendation else ""


@dataclass
class PayTable:
    school: School
    cycle: GrowthCycle
    rows: list[PayRow] = field(default_factory=list)


def _leads_own_school() -> models.Exists:
    return models.Exists(
        RoleAssignment.objects.filter(
            trust_id=models.OuterRef("trust_id"),
            staff_member_id=models.OuterRef("pk"),
            school_id=models.OuterRef("school_id"),
            role=RoleAssignment.Role.HEADTEACHER,
        )
    )


def pay_table_for(
    *, school: School, cycle: GrowthCycle, viewer: StaffMember | None = None
) -> PayTable:
    """Every teacher of ``school`` with their pay position, the recommendation that follows
    from their decided review through the trust's mapping, the head's decision and any Upper
    Pay Scale application this year. The school's own headteacher is not in their school's
    table (their growth year is the designated decider's)."""
    people = list(
        StaffMember.objects.for_trust(school.trust_id)
        .filter(school=school, is_active=True, category=StaffMember.Category.TEACHING)
        .exclude(_leads_own_school())
        .select_related("user", "school", "career_stage")
        .order_by("user__last_name", "user__first_name")
    )
    reviews = {
        r.staff_member_id: r
        for r in Review.objects.for_trust(school.trust_id)
        .filter(cycle=cycle, staff_member__in=people)
        .select_related("reviewer")
        .only(
            "public_id",
            "status",
            "final_outcome",
            "placed_outcome",
            "staff_member_id",
            "reviewer_id",
            "reviewer__school_id",
            "reviewer__trust_id",
            "cycle_id",
        )
    }
    decisions = {
        d.staff_member_id: d
        for d in PayDecision.objects.for_trust(school.trust_id)
        .filter(cycle=cycle, staff_member__in=people)
        .select_related("decided_by__user")
    }
    applications = {
        a.staff_member_id: a
        for a in UpperPayApplication.objects.for_trust(school.trust_id)
        .filter(cycle=cycle, staff_member__in=people)
        .select_related("decided_by__user")
    }
    mapping = pay_mapping(trust=school.trust_id)
    may_decide_here = viewer is not None and school.pk in roles_of(viewer).headteacher_of
    table = PayTable(school=school, cycle=cycle)
    for person in people:
        review = reviews.get(person.pk)
        row = PayRow(
            person=person,
            eligible=is_eligible(person),
            why_not=ineligible_reason(person),
            review=review,
            decision=decisions.get(person.pk),
            application=applications.get(person.pk),
        )
        if review is not None and review.status == Review.Status.DECIDED:
            row.rating, row.recommendation = mapping[review.final_outcome]
        if (
            may_decide_here
            and row.eligible
            and row.recommendation
            and row.decision is None
            and viewer is not None
            and viewer.pk not in (person.pk, review.reviewer_id if review else None)
        ):
            row.viewer_decides = True
        table.rows.append(row)
    return table


def _application_text(application: UpperPayApplication | None) -> str:
    if application is None:
        return "—"
    text = application.get_status_display()
    if application.decision_reason:
        text += f": {application.decision_reason}"
    return text


def pay_report_table(table: PayTable) -> ReportTable:
    """The pay table as the page shows it and as its CSV/Excel export writes it."""
    rows = []
    for row in table.rows:
        person = row.person
        if row.decision is not None:
            decided = Cell(
                f"{row.decision.get_outcome_display()} ({row.decision.get_decision_display()}, "
                f"{row.decision.decided_by.full_name}, {day_text(row.decision.decided_at)})",
                value=row.decision.outcome,
                tone="good" if row.decision.outcome == "progress" else "warn",
            )
        elif not row.eligible:
            decided = Cell("Not eligible")
        elif not row.recommendation:
            decided = Cell("Waiting for the review's final decision")
        elif row.viewer_decides:
            decided = Cell(
                "Confirm or amend",
                url=reverse("reviews:pay_decide", args=[row.review.public_id]),
                tone="warn",
            )
        else:
            decided = Cell("Awaiting the headteacher", tone="warn")
        application = row.application
        rows.append(
            [
                Cell(person.full_name),
                Cell(person.pay_position),
                Cell("Yes" if row.eligible else f"No: {row.why_not}", value=row.eligible),
                Cell(
                    rubric.OUTCOME_LABELS.get(row.review.final_outcome, "")
                    if row.review is not None and row.review.status == Review.Status.DECIDED
                    else "Not decided yet"
                ),
                Cell(row.rating_label or "—"),
                Cell(row.recommendation_label or "—"),
                decided,
                Cell(row.decision.reason if row.decision and row.decision.reason else "—"),
                Cell(
                    _application_text(application),
                    url=reverse("reviews:ups_detail", args=[application.public_id])
                    if application
                    else None,
                    tone={"approved": "good", "submitted": "warn"}.get(
                        application.status if application else "", ""
                    ),
                ),
            ]
        )
    return ReportTable(
        key="pay",
        caption=f"Pay recommendations, {table.school.name}, {table.cycle.name}",
        columns=[
            Column("name", "Teacher", is_row_header=True),
            Column("pay", "Pay range and point"),
            Column("eligible", "Eligible to progress"),
            Column("outcome", "Review outcome"),
            Column("rating", "Overall rating"),
            Column("recommendation", "Recommendation"),
            Column("decision", "Headteacher's decision"),
            Column("reason", "Reason"),
            Column("ups", "Upper Pay Scale application"),
        ],
        rows=rows,
        empty_text="No teachers in this school yet.",
    )


# --- The trust's totals ----------------------------------------------------------------------


def pay_totals_table(*, trust: Trust | int, cycle: GrowthCycle) -> ReportTable:
    """Every school's pay figures side by side, from a handful of grouped reads."""
    trust_id = _trust_id(trust)
    schools = list(School.objects.for_trust(trust_id).order_by("kind", "name"))
    teachers = (
        StaffMember.objects.for_trust(trust_id)
        .filter(is_active=True, category=StaffMember.Category.TEACHING)
        .exclude(_leads_own_school())
    )
    people = list(teachers.values("pk", "school_id", "pay_range", "pay_point"))
    school_of = {p["pk"]: p["school_id"] for p in people}
    eligible = Counter(
        p["school_id"]
        for p in people
        if p["pay_range"]
        and p["pay_point"]
        and p["pay_point"] < PAY_POINTS[PayRange(p["pay_range"])]
    )
    on_range = Counter(p["school_id"] for p in people if p["pay_range"])
    mapping = pay_mapping(trust=trust_id)
    recommended: Counter[tuple[int, str]] = Counter()
    for staff_id, outcome in (
        Review.objects.for_trust(trust_id)
        .filter(cycle=cycle, status=Review.Status.DECIDED, staff_member__in=teachers)
        .values_list("staff_member_id", "final_outcome")
    ):
        recommended[(school_of[staff_id], mapping[outcome][1])] += 1
    decided: Counter[tuple[int, str]] = Counter(
        (school_of[s], o)
        for s, o in PayDecision.objects.for_trust(trust_id)
        .filter(cycle=cycle, staff_member__in=teachers)
        .values_list("staff_member_id", "outcome")
        if s in school_of
    )
    ups: Counter[tuple[int, str]] = Counter(
        (school_of[s], st)
        for s, st in UpperPayApplication.objects.for_trust(trust_id)
        .filter(cycle=cycle, staff_member__in=teachers)
        .values_list("staff_member_id", "status")
        if s in school_of
    )
    rows = []
    totals = [0] * 9
    for school in schools:
        figures = [
            on_range[school.pk],
            eligible[school.pk],
            recommended[(school.pk, PayRecommendation.PROGRESS)],
            recommended[(school.pk, PayRecommendation.REFER)],
            decided[(school.pk, "progress")],
            decided[(school.pk, "hold")],
            ups[(school.pk, UpperPayApplication.Status.SUBMITTED)],
            ups[(school.pk, UpperPayApplication.Status.APPROVED)],
            ups[(school.pk, UpperPayApplication.Status.DECLINED)],
        ]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        rows.append(
            [
                Cell(
                    school.name,
                    url=reverse("reviews:pay") + f"?school={school.public_id}",
                ),
                *(Cell(str(n), value=n) for n in figures),
            ]
        )
    return ReportTable(
        key="pay-totals",
        caption=f"Pay progression by school, {cycle.name}",
        columns=[
            Column("school", "School or team", is_row_header=True),
            Column("on_range", "Teachers on a pay range"),
            Column("eligible", "Eligible to progress"),
            Column("recommended", "Recommended to progress"),
            Column("referred", "Referred to the headteacher"),
            Column("progress", "Progression confirmed"),
            Column("hold", "Staying on their point"),
            Column("ups_waiting", "UPS applications waiting"),
            Column("ups_approved", "UPS approved"),
            Column("ups_declined", "UPS not approved"),
        ],
        rows=rows,
        total=[Cell("All schools"), *(Cell(str(n), value=n) for n in totals)],
        empty_text="No schools yet.",
    )


def ups_for_decider(*, decider: StaffMember, cycle: GrowthCycle) -> list[UpperPayApplication]:
    """Applications awaiting ``decider``'s decision (their schools', or passed to them)."""
    found = []
    for application in ups_queryset(trust=decider.trust_id).filter(
        cycle=cycle, status=UpperPayApplication.Status.SUBMITTED
    ):
        capacity, _ = decision_capacity_or_none(
            actor=decider, reviewee=application.staff_member, reviewer=application.staff_member
        )
        if capacity:
            found.append(application)
    return found


def pay_passed_to(*, decider: StaffMember, cycle: GrowthCycle) -> list[Review]:
    """Decided reviews whose pay decision has passed to ``decider`` as the trust's designated
    decider (a headteacher's own, one a school leader wrote, a school nobody leads), for
    eligible teachers not yet decided."""
    if not roles_of(decider).designated_decider:
        return []
    leaders = RoleAssignment.objects.filter(
        trust_id=models.OuterRef("trust_id"),
        school_id=models.OuterRef("staff_member__school_id"),
        role__in=(RoleAssignment.Role.HEADTEACHER, RoleAssignment.Role.ACTING_HEADTEACHER),
    )
    decided = PayDecision.objects.filter(
        trust_id=models.OuterRef("trust_id"),
        staff_member_id=models.OuterRef("staff_member_id"),
        cycle_id=models.OuterRef("cycle_id"),
    )
    candidates = (
        Review.objects.for_trust(cycle.trust_id)
        .filter(
            cycle=cycle,
            status=Review.Status.DECIDED,
            staff_member__category=StaffMember.Category.TEACHING,
        )
        .exclude(staff_member=decider)
        .exclude(reviewer=decider)
        .exclude(models.Exists(decided))
        .filter(
            models.Exists(leaders.filter(staff_member_id=models.OuterRef("staff_member_id")))
            | models.Exists(leaders.filter(staff_member_id=models.OuterRef("reviewer_id")))
            | ~models.Exists(leaders)
        )
        .select_related("staff_member__user", "staff_member__school", "reviewer__user")
    )
    found = []
    for review in candidates:
        if not is_eligible(review.staff_member):
            continue
        capacity, _ = decision_capacity_or_none(
            actor=decider, reviewee=review.staff_member, reviewer=review.reviewer
        )
        if capacity == "designated_decider":
            found.append(review)
    return found
