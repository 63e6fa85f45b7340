"""The suggested engagement level from a real check-in record, shown with its evidence on the
placement page; differing from it needs a reason."""

from __future__ import annotations

import datetime as dt

import time_machine

from checkins import services as checkins
from checkins.selectors import engagement_summary, expected_dates
from growth.security.tenancy import trust_scope
from reviews import rubric
from reviews.models import Review
from tests.reviews_fixtures import placed_review

DECEMBER = dt.datetime(2026, 12, 19, 12, 0, tzinfo=dt.UTC)
AREAS = ["self", "others", "trust"]


def _record(world, person, *, every: int = 1, areas=AREAS) -> int:
    """Hold every ``every``-th due check-in so far, reflecting on ``areas`` in turn."""
    today = DECEMBER.date()
    with trust_scope(world.trust):
        dates = [d for d in expected_dates(staff=person, cycle=world.cycle) if d <= today]
        for i, due in enumerate(dates):
            if i % every:
                continue
            checkins.checkin_record(
                actor=person,
                staff=person,
                cycle=world.cycle,
                due_on=due,
                data=checkins.CheckinData(
                    held_on=due, reflections={areas[i % len(areas)]: "Progress noted."}
                ),
            )
    return len(dates)


@time_machine.travel(DECEMBER)
def test_it_suggests_high_engagement_from_a_full_balanced_record(in_trust):
    world = in_trust
    due = _record(world, world.staff)
    assert due >= 6
    summary = engagement_summary(staff=world.staff, cycle=world.cycle)
    assert (summary.held, summary.expected) == (due, due)
    suggestion = rubric.suggest_engagement(summary)
    assert suggestion.level == rubric.HIGH
    assert f"Held {due} of {due} expected check-ins" in suggestion.reasons[0]


@time_machine.travel(DECEMBER)
def test_it_suggests_low_engagement_from_a_sparse_one_area_record(in_trust):
    world = in_trust
    _record(world, world.support, every=2, areas=["self"])
    summary = engagement_summary(staff=world.support, cycle=world.cycle)
    assert summary.balance == "limited"
    assert rubric.suggest_engagement(summary).level == rubric.LOW


@time_machine.travel(DECEMBER)
def test_it_shows_the_suggestion_and_needs_a_reason_to_differ(world, client_for):
    due = _record(world, world.staff)
    review = placed_review(world, write=False)
    client = client_for(world.manager)
    url = f"/reviews/{review.public_id}/placement/"
    page = client.get(url)
    assert b"Suggested engagement level:</strong> Engages highly in all check-ins" in page.content
    assert f"{due} / {due}".encode() in page.content
    refused = client.post(url, {"cell": "5"})
    assert refused.status_code == 400
    assert b"give a reason" in refused.content
    agreed = client.post(url, {"cell": "6"})
    assert agreed.status_code == 302
    differs = client.post(url, {"cell": "5", "override_reason": "Two were only five minutes."})
    assert differs.status_code == 302
    with trust_scope(world.trust):
        review = Review.objects.get(pk=review.pk)
    assert review.suggested_engagement == rubric.HIGH
    assert review.engagement_override_reason == "Two were only five minutes."
    assert any("expected check-ins" in line for line in review.engagement_evidence)
