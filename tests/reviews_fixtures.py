"""Helpers for the reviews tests: a review placed and written by the line manager."""

from __future__ import annotations

import datetime as dt

from checkins.selectors import EngagementSummary
from growth.models import StaffMember
from growth.security.tenancy import trust_scope
from reviews import services
from reviews.models import Review
from tests.factories import TrustWorld

GOOD_WORK = "Your retrieval quizzes raised Year 9's recall scores from 55% to 72%"


# The suggestion reads the check-ins app's own summary; tests build it from known figures.
FakeSummary = EngagementSummary


def sample_choices(slots) -> dict:
    """A complete set of choices for any frame."""
    values: dict = {}
    for slot in slots:
        if slot.kind == "areas":
            values[slot.name] = ["Self", "Trust"]
        elif slot.kind == "choice":
            values[slot.name] = slot.options[-1]
        else:
            values[slot.name] = f"{slot.label} words"
    return values


def placed_review(
    world: TrustWorld | None = None,
    *,
    person: StaffMember | None = None,
    cell: int = 5,
    write: bool = True,
    submit: bool = False,
    early_reason: str = "leaving",
    early_reason_text: str = "",
    cycle=None,
) -> Review:
    """A review placed (and written, and submitted) by the person's reviewer: the world's
    staff member in its cycle unless ``person`` and ``cycle`` are given. The tests run before
    the summer term's review window, so submitting gives ``early_reason``."""
    from growth.domain.duties import leader_reviewer

    person = person or world.staff
    reviewer = leader_reviewer(person)
    with trust_scope(person.trust_id):
        review = services.review_start(
            actor=reviewer, staff_member=person, cycle=cycle or world.cycle
        )
        services.review_place(
            actor=reviewer,
            review=review,
            cell=cell,
            suggested_engagement=None,
            evidence=[],
            consulted_on=dt.date(2026, 11, 2) if cell == 1 else None,
        )
        if write:
            from reviews import frames
            from reviews.selectors import frame_for

            frame = frame_for(trust=person.trust, part=1, cell=cell)
            choices = sample_choices(frames.parse_slots(frame.body, frame.slots))
            choices.update({k: GOOD_WORK for k in choices if k == "good_work"})
            text, cleaned = services.statement_fill(review=review, choices=choices)
            services.statement_save(
                actor=reviewer, review=review, part1=text, frame_choices=cleaned
            )
        if submit:
            services.review_submit(
                actor=reviewer,
                review=review,
                early_reason=early_reason,
                early_reason_text=early_reason_text,
            )
        review.refresh_from_db()
    return review
