"""Reads of the reviews app, always within one trust."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from checkins.selectors import EngagementSummary, engagement_summary
from growth.domain.duties import (
    DecisionCapacity,
    DutyRefused,
    decision_capacity,
    decision_route,
    passed_on_q,
)
from growth.models import (
    GrowthCycle,
    LeaderReviewArrangement,
    RoleAssignment,
    School,
    StaffMember,
    Trust,
)
from growth.reporting.reports import trust_schools
from growth.security.access import Relation, relations, roles_of
from objectives.models import Objective
from objectives.selectors import objectives_of
from reviews import frames, rubric
from reviews.models import (
    JulyReflection,
    ObjectiveReflection,
    OutcomeKeyEntry,
    Review,
    SchoolZip,
    StatementPdf,
    WritingFrame,
)

FRAMES_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "writing_frames.json"


def _trust_id(trust: Trust | int) -> int:
    return trust if isinstance(trust, int) else trust.pk


# --- The key and the frames ---


def outcome_key(*, trust: Trust | int) -> dict[int, str]:
    """Cell → outcome for this trust: the default key with the trust's edits applied."""
    rows = OutcomeKeyEntry.objects.for_trust(_trust_id(trust)).values_list("cell", "outcome")
    return {**rubric.DEFAULT_OUTCOME_KEY, **dict(rows)}


@lru_cache(maxsize=1)
def _fixture_frames() -> dict[tuple[int, int], dict[str, Any]]:
    rows = json.loads(FRAMES_FIXTURE.read_text())
    return {(r["fields"]["part"], r["fields"]["cell"]): r["fields"] for r in rows}


def default_frame(part: int, cell: int) -> WritingFrame:
    """The shared frame: a shared row in the database if loaded, else the fixture file."""
    shared = WritingFrame.objects.unscoped().filter(trust__isnull=True, part=part, cell=cell)
    found = shared.first()
    if found is not None:
        return found
    data = _fixture_frames()[(part, cell)]
    return WritingFrame(
        trust=None,
        part=part,
        cell=cell,
        source_text=data["source_text"],
        body=data["body"],
        slots=data["slots"],
    )


def frame_for(*, trust: Trust | int, part: int, cell: int) -> WritingFrame:
    own = WritingFrame.objects.unscoped().filter(trust_id=_trust_id(trust), part=part, cell=cell)
    return own.first() or default_frame(part, cell)


def frames_for(*, trust: Trust | int) -> list[WritingFrame]:
    """Every frame the trust uses (part 1 cells 1-10, then part 2), own rows first."""
    own = {
        (f.part, f.cell): f
        for f in WritingFrame.objects.unscoped().filter(trust_id=_trust_id(trust))
    }
    keys = [(1, cell) for cell in rubric.CELLS] + [(2, 0)]
    return [own.get(key) or default_frame(*key) for key in keys]


def part2_intro(trust: Trust | int) -> str:
    return frame_for(trust=trust, part=2, cell=0).body


def frame_page(*, trust: Trust | int, part: int, cell: int) -> dict[str, Any]:
    """The trust's settings page for one writing frame: the frame and what it is for."""
    return {
        "frame": frame_for(trust=trust, part=part, cell=cell),
        "part": part,
        "cell": cell,
        "title": rubric.cell_label(cell) if part == 1 else "Part 2",
    }


# --- Objectives shown on a review ---


def july_reflection_for(*, staff: StaffMember, cycle: GrowthCycle) -> JulyReflection | None:
    return (
        JulyReflection.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .prefetch_related(
            Prefetch(
                "objective_ratings",
                queryset=ObjectiveReflection.objects.for_trust(staff.trust_id),
            )
        )
        .first()
    )


def reflection_window_open(cycle: GrowthCycle, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return cycle.reflection_opens <= today <= cycle.reflection_closes


def reflection_state(*, staff: StaffMember, cycle: GrowthCycle) -> dict[str, bool]:
    """Whether the person may still write their July reflection: the window is open and the
    final decision on their review is not yet made (it locks the reflection with it)."""
    review = review_for(staff=staff, cycle=cycle)
    locked = review is not None and review.is_locked
    return {"is_open": reflection_window_open(cycle) and not locked, "locked": locked}


def objectives_with_reflection(
    *, staff: StaffMember, cycle: GrowthCycle
) -> tuple[list[Objective], JulyReflection | None, dict[int, ObjectiveReflection]]:
    objectives = objectives_of(staff=staff, cycle=cycle)
    reflection = july_reflection_for(staff=staff, cycle=cycle)
    ratings = {r.objective_id: r for r in reflection.objective_ratings.all()} if reflection else {}
    return objectives, reflection, ratings


def objectives_for_review(review: Review) -> list[dict[str, str]]:
    """The person's objectives for the cycle, each with the July reflection's rating: plain
    data, because it also feeds the PDF and its content hash."""
    objectives, _, ratings = objectives_with_reflection(
        staff=review.staff_member, cycle=review.cycle
    )
    rows = []
    for objective in objectives:
        rating = ratings.get(objective.pk)
        rows.append(
            {
                "area": objective.get_area_display(),
                "text": objective.sentence,
                "rating": rating.get_rating_display() if rating else "",
                "evidence": rating.evidence if rating else "",
            }
        )
    return rows


# --- Reviews ---

REVIEW_RELATED = (
    "staff_member__user",
    "staff_member__school",
    "staff_member__career_stage",
    "reviewer__user",
    "decided_by__user",
    "cycle",
    "trust",
)


def review_queryset(*, trust: Trust | int) -> models.QuerySet[Review]:
    return Review.objects.for_trust(_trust_id(trust)).select_related(*REVIEW_RELATED)


def review_relations(*, viewer: StaffMember, review: Review) -> set[Relation]:
    """How ``viewer`` stands to one review: their relations to its person, plus REVIEWER if
    they wrote it and DECIDER if the final decision has passed to them as the trust's
    designated decider (growth/domain/duties.py)."""
    found = relations(viewer, review.staff_member)
    if viewer.pk == review.reviewer_id and viewer.trust_id == review.trust_id:
        found.add(Relation.REVIEWER)
    if roles_of(viewer).designated_decider and viewer.trust_id == review.trust_id:
        route = decision_route(reviewee=review.staff_member, reviewer=review.reviewer)
        if route.passed_on and any(p.pk == viewer.pk for p, _ in route.deciders):
            found.add(Relation.DECIDER)
    return found


def without_school_leaders(reviews: models.QuerySet[Review]) -> models.QuerySet[Review]:
    """``reviews`` less those of people who lead their own school: a headteacher's growth
    year is not their school's business (it is decided by the designated decider)."""
    leads = RoleAssignment.objects.filter(
        trust_id=models.OuterRef("trust_id"),
        staff_member_id=models.OuterRef("staff_member_id"),
        role=RoleAssignment.Role.HEADTEACHER,
        school_id=models.OuterRef("staff_member__school_id"),
    )
    return reviews.exclude(models.Exists(leads))


def passed_to(*, decider: StaffMember, cycle: GrowthCycle) -> list[Review]:
    """The submitted reviews whose final decision has passed to ``decider`` as the trust's
    designated decider, because the usual decider is conflicted or the person leads a school.
    One query: a passed-on review goes to every designated decider it does not conflict."""
    if not roles_of(decider).designated_decider:
        return []
    return list(
        review_queryset(trust=cycle.trust_id)
        .filter(cycle=cycle, status=Review.Status.SUBMITTED)
        .exclude(staff_member=decider)
        .exclude(reviewer=decider)
        .filter(passed_on_q())
    )


def review_for(*, staff: StaffMember, cycle: GrowthCycle) -> Review | None:
    return review_queryset(trust=staff.trust_id).filter(staff_member=staff, cycle=cycle).first()


def reviews_to_write(
    *, reviewer: StaffMember, cycle: GrowthCycle
) -> list[tuple[StaffMember, Review | None]]:
    """The reviewer's direct reports, and the headteachers or managers the trust named them to
    review, with their review for the cycle (None if not started)."""
    named = LeaderReviewArrangement.objects.for_trust(reviewer.trust_id).filter(reviewer=reviewer)
    reports = list(
        StaffMember.objects.for_trust(reviewer.trust_id)
        .filter(
            models.Q(line_manager=reviewer)
            | models.Q(pk__in=models.Subquery(named.values("staff_member_id"))),
            is_active=True,
        )
        .select_related("user", "school", "career_stage")
        .order_by("user__last_name", "user__first_name")
    )
    by_person = {
        r.staff_member_id: r
        for r in review_queryset(trust=reviewer.trust_id).filter(
            cycle=cycle, staff_member__in=reports
        )
    }
    return [(person, by_person.get(person.pk)) for person in reports]


def released_reviews_of(*, staff: StaffMember) -> list[Review]:
    return list(
        review_queryset(trust=staff.trust_id)
        .filter(staff_member=staff, status=Review.Status.DECIDED)
        .order_by("-cycle__start_date")
    )


def latest_pdf(*, review: Review, content_hash: str) -> StatementPdf | None:
    return (
        StatementPdf.objects.for_trust(review.trust_id)
        .filter(review=review, content_hash=content_hash)
        .first()
    )


def school_zip_latest(*, school: School, cycle: GrowthCycle) -> SchoolZip | None:
    return SchoolZip.objects.for_trust(school.trust_id).filter(school=school, cycle=cycle).first()


# --- Moderation and calibration ---


@dataclass
class Distribution:
    counts: Counter = field(default_factory=Counter)

    def add(self, outcome: str) -> None:
        self.counts[outcome or "unplaced"] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self) -> list[dict[str, Any]]:
        total = self.total
        labels = [*rubric.OUTCOME_CHOICES, ("unplaced", "Not placed")]
        return [
            {
                "outcome": value,
                "label": label,
                "count": self.counts.get(value, 0),
                "percent": round(100 * self.counts.get(value, 0) / total) if total else 0,
            }
            for value, label in labels
        ]


@dataclass
class Moderation:
    reviews: list[Review]
    overall: Distribution
    by_reviewer: list[tuple[StaffMember, Distribution]]
    awaiting: int
    # Submitted reviews the viewer wrote: their final decision is someone else's.
    written_by_viewer: int = 0


# What the moderation table and distributions show: a hundred reviews a school, so not their
# statements, evidence or every related row that review_queryset brings.
_MODERATION_READS = (
    "public_id",
    "status",
    "cell",
    "placed_outcome",
    "final_outcome",
    "decision",
    "early_reason",
    "staff_member__job_title",
    *(
        f"{person}__user__{field}"
        for person in ("staff_member", "reviewer")
        for field in ("first_name", "last_name", "email")
    ),
)


def moderation_for(
    *,
    schools: list[School] | models.QuerySet[School],
    cycle: GrowthCycle,
    outcome: str = "",
    viewer: StaffMember | None = None,
) -> Moderation:
    """The school's (or team's) reviews for the cycle, with the distribution overall and per
    reviewer. The filter narrows the table, never the distributions. The school's own leaders'
    reviews are not the school's to moderate (the designated decider decides them)."""
    reviews = without_school_leaders(
        Review.objects.for_trust(cycle.trust_id).filter(
            cycle=cycle, staff_member__school__in=schools
        )
    )
    if viewer is not None:
        reviews = reviews.exclude(staff_member=viewer)
    everyone = list(
        reviews.select_related("staff_member__user", "reviewer__user")
        .only(*_MODERATION_READS)
        .order_by("staff_member__user__last_name", "staff_member__user__first_name")
    )
    overall = Distribution()
    per_reviewer: dict[int, Distribution] = defaultdict(Distribution)
    reviewers: dict[int, StaffMember] = {}
    for review in everyone:
        overall.add(review.outcome)
        per_reviewer[review.reviewer_id].add(review.outcome)
        reviewers[review.reviewer_id] = review.reviewer
    shown = [r for r in everyone if not outcome or r.outcome == outcome]
    by_reviewer = sorted(
        ((reviewers[pk], dist) for pk, dist in per_reviewer.items()),
        key=lambda pair: pair[0].full_name,
    )
    submitted = [r for r in everyone if r.status == Review.Status.SUBMITTED]
    mine = sum(1 for r in submitted if viewer is not None and r.reviewer_id == viewer.pk)
    return Moderation(shown, overall, by_reviewer, len(submitted) - mine, mine)


def _distributions(counts: Iterable[Mapping[str, Any]], key: str) -> dict[int, Distribution]:
    """Distributions by ``key`` from review counts grouped by it and by both outcomes: each
    review counts as its final outcome, or while there is none its placed outcome."""
    found: dict[int, Distribution] = defaultdict(Distribution)
    for row in counts:
        outcome = row["final_outcome"] or row["placed_outcome"]
        found[row[key]].counts[outcome or "unplaced"] += row["n"]
    return found


def calibration_for(*, cycle: GrowthCycle) -> list[tuple[School, Distribution]]:
    """Every school's distribution side by side, in two queries whatever the size."""
    schools = list(trust_schools(cycle.trust_id))
    counts = (
        Review.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle)
        .values("staff_member__school_id", "final_outcome", "placed_outcome")
        .annotate(n=models.Count("id"))
        .order_by()  # without Review's ordering, whose names would join every account
    )
    by_school = _distributions(counts, "staff_member__school_id")
    return [(school, by_school[school.pk]) for school in schools]


CALIBRATION_REVIEWERS_PER_PAGE = 50


def calibration_reviewers(*, cycle: GrowthCycle) -> QuerySet[StaffMember]:
    """The trust's reviewers of the cycle (whoever wrote a review in it), by school and
    name."""
    wrote = Review.objects.for_trust(cycle.trust_id).filter(cycle=cycle, reviewer=OuterRef("pk"))
    return (
        StaffMember.objects.for_trust(cycle.trust_id)
        .filter(Exists(wrote))
        .select_related("user", "school")
        .order_by("school__name", "user__last_name", "user__first_name", "pk")
    )


def calibration_by_reviewer(
    *, cycle: GrowthCycle, page: Any = 1
) -> tuple[Page, list[tuple[StaffMember, Distribution]]]:
    """One page of the trust's reviewers (``CALIBRATION_REVIEWERS_PER_PAGE``; a page number
    out of range gives the nearest page), each with their distribution across the trust:
    the page's reviewers are found first, then only their reviews are counted."""
    found = Paginator(calibration_reviewers(cycle=cycle), CALIBRATION_REVIEWERS_PER_PAGE)
    shown = found.get_page(page)
    people = list(shown.object_list)
    counts = (
        Review.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle, reviewer__in=people)
        .values("reviewer_id", "final_outcome", "placed_outcome")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    by_reviewer = _distributions(counts, "reviewer_id")
    return shown, [(person, by_reviewer[person.pk]) for person in people]


def pdf_queryset(*, trust: Trust | int) -> models.QuerySet[StatementPdf]:
    return StatementPdf.objects.for_trust(_trust_id(trust)).select_related(
        "review__staff_member__user", "review__cycle"
    )


def engagement_for(*, staff: StaffMember, cycle: GrowthCycle) -> EngagementSummary:
    """The person's check-in record for the cycle so far (from the checkins app)."""
    return engagement_summary(staff=staff, cycle=cycle)


def statement_slots(review: Review) -> list[frames.Slot]:
    """The choices the writing frame of the review's cell offers."""
    frame = frame_for(trust=review.trust_id, part=1, cell=review.cell)
    return frames.parse_slots(frame.body, frame.slots)


def statement_page(review: Review) -> dict[str, Any]:
    """What the statement page shows beside its form: the cell's writing frame and its slots,
    the evidence still missing, part 2's introduction and the latest saved version."""
    frame = frame_for(trust=review.trust_id, part=1, cell=review.cell)
    needs_reason, missing = review_evidence_missing(review)
    return {
        "frame": frame,
        "slots": frames.parse_slots(frame.body, frame.slots),
        "needs_reason": needs_reason,
        "missing": missing,
        "part2_intro": part2_intro(review.trust_id),
        "latest_version": review.versions.order_by("-number").first(),
    }


def review_evidence_missing(review: Review, today: dt.date | None = None) -> tuple[bool, list[str]]:
    """What the end-of-year evidence lacks today, in words for the reviewer and the head, and
    whether submitting now needs a reason: before the review window opens, or without the
    person's July reflection."""
    today = today or timezone.localdate()
    cycle = review.cycle
    opens, _ = cycle.review_window()
    missing: list[str] = []
    early = today < opens
    if early:
        missing.append(
            f"The review window opens on {date_format(opens, 'j F Y')}; "
            f"this is {date_format(today, 'j F Y')}."
        )
    reflected = (
        JulyReflection.objects.for_trust(review.trust_id)
        .filter(staff_member_id=review.staff_member_id, cycle=cycle, submitted_at__isnull=False)
        .exists()
    )
    if not reflected:
        missing.append("The July reflection has not been submitted.")
    summary = engagement_summary(staff=review.staff_member, cycle=cycle, on=today)
    due = summary.expected - summary.excused
    if summary.held < due:
        missing.append(f"{summary.held} of the {due} check-ins due so far have been held.")
    return early or not reflected, missing


def placement_page(review: Review) -> dict[str, Any]:
    """What the placement page shows beside its form: the engagement so far and the level it
    suggests, the grid in the trust's outcome words, the Exceptional descriptors for the
    person's category, their objectives and July reflection."""
    summary = engagement_summary(staff=review.staff_member, cycle=review.cycle)
    heading, descriptors = rubric.exceptional_descriptors(review.staff_member.category)
    key = outcome_key(trust=review.trust_id)
    return {
        "summary": summary,
        "suggestion": rubric.suggest_engagement(summary),
        "grid": [
            {**row, "cells": [(c, rubric.OUTCOME_LABELS[key[c]]) for c in row["cells"]]}
            for row in rubric.grid_rows()
        ],
        "impact_levels": rubric.IMPACT_LEVELS,
        "exceptional_outcome": rubric.OUTCOME_LABELS[key[rubric.EXCEPTIONAL]],
        "exceptional_text": rubric.EXCEPTIONAL_TEXT,
        "exceptional_heading": heading,
        "exceptional_descriptors": descriptors,
        "objectives": objectives_for_review(review),
        "reflection": july_reflection_for(staff=review.staff_member, cycle=review.cycle),
    }


def decision_capacity_or_none(
    *, actor: StaffMember, reviewee: StaffMember, reviewer: StaffMember
) -> tuple[str | None, str]:
    """(capacity, "") when ``actor`` may make the final decision (on the review, or on the
    pay that follows it), else (None, why not)."""
    try:
        return decision_capacity(actor=actor, reviewee=reviewee, reviewer=reviewer), ""
    except DutyRefused as refused:
        return None, " ".join(refused.messages)


def may_decide(*, viewer: StaffMember, review: Review) -> bool:
    """Whether ``viewer`` makes the final decision on ``review`` now: it is submitted, and
    the decision is theirs."""
    if review.status != Review.Status.SUBMITTED:
        return False
    capacity, _ = decision_capacity_or_none(
        actor=viewer, reviewee=review.staff_member, reviewer=review.reviewer
    )
    return capacity is not None


def part2_page(review: Review) -> dict[str, Any]:
    """Part 2 as the review's page and the decision page show it: the trust's introduction,
    then the person's objectives with their July ratings."""
    return {
        "part2_intro": part2_intro(review.trust_id),
        "objectives": objectives_for_review(review),
    }


def decision_page(review: Review, capacity: str) -> dict[str, Any]:
    """What the final decision's page shows beside its form: the capacity the head decides
    in, the capability note for cell 1, and part 2."""
    return {
        "capacity": DecisionCapacity(capacity).label,
        "show_capability_note": review.cell == 1,
        **part2_page(review),
    }


def detail_page(review: Review) -> dict[str, Any]:
    """What the review's page shows every reader beside the statement: the comments, part 2,
    and the Exceptional descriptors for the person's category."""
    heading, descriptors = rubric.exceptional_descriptors(review.staff_member.category)
    return {
        "comments": review.comments.select_related("author__user"),
        **part2_page(review),
        "exceptional_heading": heading,
        "exceptional_descriptors": descriptors,
    }


def leave_out_met_objectives(objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    """Objectives rated met in a submitted July reflection are finished: September's carry
    forward does not offer them (objectives.selectors.register_unfinished_filter)."""
    met = ObjectiveReflection.objects.filter(
        objective=OuterRef("pk"),
        rating=ObjectiveReflection.Rating.MET,
        reflection__submitted_at__isnull=False,
    )
    return objectives.exclude(Exists(met))
