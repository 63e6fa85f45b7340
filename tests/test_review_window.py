"""The review window (issue 17, part 3): a cycle's window (trust-set, by default the summer
term); submitting before it opens or without the July reflection needs a reason from a fixed
list and shows the missing evidence; the headteacher sees those reviews flagged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from growth.security.tenancy import trust_scope
from reviews import services
from reviews.models import JulyReflection, Review
from tests.reviews_fixtures import placed_review

DECEMBER = dt.date(2026, 12, 1)
IN_WINDOW = dt.date(2027, 6, 25)


def reflect(world, person) -> None:
    with trust_scope(world.trust):
        JulyReflection.objects.create(
            trust=world.trust,
            staff_member=person,
            cycle=world.cycle,
            impact_self="Better questioning",
            submitted_at=dt.datetime(2027, 6, 24, tzinfo=dt.UTC),
        )


def test_the_window_defaults_to_the_summer_term(in_trust):
    world = in_trust
    assert world.cycle.review_window() == (dt.date(2027, 4, 12), dt.date(2027, 7, 21))
    world.cycle.review_window_opens = dt.date(2027, 6, 1)
    world.cycle.review_window_closes = dt.date(2027, 7, 16)
    world.cycle.full_clean()
    assert world.cycle.review_window() == (dt.date(2027, 6, 1), dt.date(2027, 7, 16))


def test_submitting_on_1_december_without_a_reason_is_refused_and_names_what_is_missing(
    in_trust,
):
    world = in_trust
    review = placed_review(world)
    with pytest.raises(ValidationError) as refused:
        services.review_submit(actor=world.manager, review=review, today=DECEMBER)
    message = str(refused.value)
    assert "The review window opens on 12 April 2027; this is 1 December 2026." in message
    assert "The July reflection has not been submitted." in message
    assert "Choose a reason: the person is leaving, long-term absence, or other." in message
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT


def test_other_needs_words(in_trust):
    world = in_trust
    review = placed_review(world)
    with pytest.raises(ValidationError, match="Other reason: say why"):
        services.review_submit(
            actor=world.manager, review=review, early_reason="other", today=DECEMBER
        )
    services.review_submit(
        actor=world.manager,
        review=review,
        early_reason="other",
        early_reason_text="Moving to a secondment in January.",
        today=DECEMBER,
    )
    review.refresh_from_db()
    assert (review.early_reason, review.early_reason_text) == (
        "other",
        "Moving to a secondment in January.",
    )


def test_an_early_submission_with_a_reason_keeps_the_missing_evidence(in_trust):
    world = in_trust
    review = placed_review(world)
    services.review_submit(
        actor=world.manager, review=review, early_reason="long_term_absence", today=DECEMBER
    )
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert review.early_reason == "long_term_absence" and review.is_flagged
    assert "The July reflection has not been submitted." in review.missing_evidence


def test_in_the_window_with_the_reflection_no_reason_is_asked(in_trust):
    world = in_trust
    reflect(world, world.staff)
    review = placed_review(world)
    services.review_submit(
        actor=world.manager, review=review, early_reason="leaving", today=IN_WINDOW
    )
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assert (review.early_reason, review.is_flagged) == ("", False)


def test_in_the_window_without_the_reflection_a_reason_is_still_needed(in_trust):
    world = in_trust
    review = placed_review(world)
    with pytest.raises(ValidationError, match="The July reflection has not been submitted"):
        services.review_submit(actor=world.manager, review=review, today=IN_WINDOW)


def test_the_reviewer_sees_the_missing_evidence_and_the_reasons(world, client_for):
    review = placed_review(world)
    client = client_for(world.manager)
    page = client.get(f"/reviews/{review.public_id}/statement/").content.decode()
    assert "Evidence still missing" in page
    assert "The July reflection has not been submitted." in page
    assert "Long-term absence" in page
    refused = client.post(
        f"/reviews/{review.public_id}/statement/",
        {"action": "submit", "part1": review.part1, "considers_objectives": "on"},
    )
    assert refused.status_code == 400
    assert "Choose a reason" in refused.content.decode()
    accepted = client.post(
        f"/reviews/{review.public_id}/statement/",
        {
            "action": "submit",
            "part1": review.part1,
            "considers_objectives": "on",
            "early_reason": "leaving",
        },
    )
    assert accepted.status_code == 302


def test_the_head_sees_the_flag_before_deciding(world, client_for):
    review = placed_review(world, submit=True, early_reason="long_term_absence")
    client = client_for(world.head)
    assert "Early: long-term absence" in client.get("/reviews/moderation/").content.decode()
    decide = client.get(f"/reviews/{review.public_id}/decide/").content.decode()
    assert "Flagged:" in decide
    assert "The July reflection has not been submitted." in decide


def test_the_trust_admin_sets_the_window_on_the_cycle(world, client_for):
    from django.forms.models import model_to_dict

    client = client_for(world.admin)
    url = f"/trust/cycles/{world.cycle.public_id}/"
    page = client.get(url)
    assert "Review window opens (empty: the summer term)" in page.content.decode()
    with trust_scope(world.trust):
        data = {
            k: v
            for k, v in model_to_dict(world.cycle).items()
            if k not in ("id", "trust") and v is not None
        }
    data.update(
        {
            "review_window_opens": "2027-07-20",
            "review_window_closes": "2027-07-01",
            "terms-TOTAL_FORMS": "0",
            "terms-INITIAL_FORMS": "0",
            "closures-TOTAL_FORMS": "0",
            "closures-INITIAL_FORMS": "0",
        }
    )
    bad = client.post(url, data)
    assert bad.status_code == 400
    assert "The review window closes before it opens." in bad.content.decode()
