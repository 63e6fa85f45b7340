"""Helpers for the reviews tests: a review placed and written by the line manager."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from growth.models import StaffMember
from growth.tenancy import trust_scope
from reviews import services
from reviews.models import Review
from tests.factories import TrustWorld

GOOD_WORK = "Your retrieval quizzes raised Year 9's recall scores from 55% to 72%"


@dataclass
class FakeSummary:
    """An EngagementSummary-shaped record for the pure suggestion tests."""

    expected: int
    held: int
    excused: int = 0
    reflecting_on_objectives: int = 0
    area_counts: dict | None = None
    recognitions: int = 0
    tools_used: int = 0
    took_part_in_360: bool = False

    @property
    def held_ratio(self) -> float:
        due = self.expected - self.excused
        return self.held / due if due > 0 else 0.0

    @property
    def objective_share(self) -> float:
        return self.reflecting_on_objectives / self.held if self.held else 0.0

    @property
    def balance(self) -> str:
        counts = [v for v in (self.area_counts or {}).values()]
        if not counts or min(counts) == 0:
            return "limited"
        return "equal" if max(counts) - min(counts) <= 1 else "some"


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
    world: TrustWorld,
    *,
    person: StaffMember | None = None,
    cell: int = 5,
    write: bool = True,
    submit: bool = False,
) -> Review:
    person = person or world.staff
    reviewer = person.line_manager
    with trust_scope(world.trust):
        review = services.review_start(actor=reviewer, staff_member=person, cycle=world.cycle)
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

            frame = frame_for(trust=world.trust, part=1, cell=cell)
            choices = sample_choices(frames.parse_slots(frame.body, frame.slots))
            choices.update({k: GOOD_WORK for k in choices if k == "good_work"})
            text, cleaned = services.statement_fill(review=review, choices=choices)
            services.statement_save(
                actor=reviewer, review=review, part1=text, frame_choices=cleaned
            )
        if submit:
            services.review_submit(actor=reviewer, review=review)
        review.refresh_from_db()
    return review
