"""The reviews app's columns of each person's ``GrowthProgress`` row (growth/reporting/progress.py):
their July reflection, their review's status, reviewer and outcomes, and how far the
statement has gone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q

from growth.models import GrowthCycle, StaffMember
from growth.reporting.progress import Columns, ProgressSource, register_progress_source
from reviews.models import JulyReflection, Review


class StatementState:
    """How far a person's statement has gone, as the summary keeps it."""

    NONE = ""
    DRAFT = "draft"  # a review is open, nothing written yet
    WRITTEN = "written"  # part 1 written, not submitted
    SUBMITTED = "submitted"  # awaiting the final decision
    RELEASED = "released"  # decided and released to the person
    ACKNOWLEDGED = "acknowledged"  # read and acknowledged by the person

    LABELS = {
        NONE: "Not started",
        DRAFT: "Not written",
        WRITTEN: "Being written",
        SUBMITTED: "Awaiting final decision",
        RELEASED: "Released",
        ACKNOWLEDGED: "Acknowledged",
    }


def _statement_state(status: str, written: bool, acknowledged: bool) -> str:
    if status == Review.Status.DECIDED:
        return StatementState.ACKNOWLEDGED if acknowledged else StatementState.RELEASED
    if status == Review.Status.SUBMITTED:
        return StatementState.SUBMITTED
    return StatementState.WRITTEN if written else StatementState.DRAFT


def review_columns(cycle: GrowthCycle, people: Sequence[StaffMember], today: dt.date) -> Columns:
    ids = [p.pk for p in people]
    reflections = dict(
        JulyReflection.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle, staff_member__in=ids)
        .values_list("staff_member_id", "submitted_at")
    )
    reviews = {
        row["staff_member_id"]: row
        for row in Review.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle, staff_member__in=ids)
        .annotate(written=~Q(part1=""), acknowledged=Q(acknowledged_at__isnull=False))
        .values(
            "staff_member_id",
            "public_id",
            "status",
            "reviewer_id",
            "placed_outcome",
            "final_outcome",
            "written",
            "acknowledged",
        )
    }
    columns: Columns = {}
    for person in people:
        review = reviews.get(person.pk)
        columns[person.pk] = {
            "reflection_started": person.pk in reflections,
            "reflection_submitted_at": reflections.get(person.pk),
            "review_public_id": review["public_id"] if review else None,
            "review_status": review["status"] if review else "",
            "reviewer_id": review["reviewer_id"] if review else None,
            "placed_outcome": review["placed_outcome"] if review else "",
            "final_outcome": review["final_outcome"] if review else "",
            "statement_state": (
                _statement_state(review["status"], review["written"], review["acknowledged"])
                if review
                else StatementState.NONE
            ),
        }
    return columns


register_progress_source(
    ProgressSource(
        "reviews",
        (
            "reflection_started",
            "reflection_submitted_at",
            "review_public_id",
            "review_status",
            "reviewer_id",
            "placed_outcome",
            "final_outcome",
            "statement_state",
        ),
        review_columns,
    )
)
