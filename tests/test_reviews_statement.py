"""Writing the statement: filling from the frame, free editing, autosave and versions,
submitting, and the lock after the final decision."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from growth.security.tenancy import trust_scope
from reviews import services
from reviews.models import StatementVersion
from tests.reviews_fixtures import placed_review


def test_it_fills_part_1_from_the_frame_with_explicit_choices(world, client_for):
    review = placed_review(world, cell=2, write=False)
    client = client_for(world.manager)
    url = f"/reviews/{review.public_id}/statement/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"Examples of their good work" in page.content
    assert b"delete as appropriate" not in page.content
    response = client.post(
        url,
        {
            "action": "fill",
            "slot_areas": ["Others"],
            "slot_good_work": "Your coaching of two new TAs was excellent.",
            "slot_consider": "leading a short session on questioning",
            "considers_objectives": "on",
            "considers_job_description": "on",
            "considers_standards": "on",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.part1.startswith("You have met your Professional Growth objectives.")
    assert "particularly in Others. Your coaching of two new TAs was excellent." in review.part1
    assert review.part1.endswith("Please consider leading a short session on questioning.")
    assert review.frame_choices["areas"] == ["Others"]


def test_it_names_the_choice_still_to_make(world, client_for):
    review = placed_review(world, cell=2, write=False)
    response = client_for(world.manager).post(
        f"/reviews/{review.public_id}/statement/",
        {"action": "fill", "slot_good_work": "Kept this", "slot_consider": ""},
    )
    assert response.status_code == 400
    assert b"choose at least one of Self, Others, Trust" in response.content
    assert b"Kept this" in response.content  # the draft is kept


def test_it_autosaves_and_keeps_versions(world, client_for):
    review = placed_review(world, cell=5, write=False)
    client = client_for(world.manager)
    url = f"/reviews/{review.public_id}/autosave/"
    start = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        r1 = client.post(url, {"part1": "First draft."}, HTTP_HX_REQUEST="true")
        r2 = client.post(url, {"part1": "First draft, longer."}, HTTP_HX_REQUEST="true")
    assert r1.status_code == r2.status_code == 200
    assert b"Draft saved" in r2.content
    with trust_scope(world.trust):
        versions = list(StatementVersion.objects.filter(review=review))
    assert len(versions) == 1  # typing continues one version
    assert versions[0].part1 == "First draft, longer."
    with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
        client.post(url, {"part1": "After a break."}, HTTP_HX_REQUEST="true")
    with trust_scope(world.trust):
        assert StatementVersion.objects.filter(review=review).count() == 2
        review.refresh_from_db()
    assert review.part1 == "After a break."
    page = client.get(f"/reviews/{review.public_id}/versions/")
    assert b"First draft, longer." in page.content and b"After a break." in page.content


def test_an_autosave_keeps_what_can_be_stored_of_text_with_nul_characters(world, client_for):
    review = placed_review(world, cell=5, write=False)
    url = f"/reviews/{review.public_id}/autosave/"
    saved = client_for(world.manager).post(url, {"part1": "Well\x00 done"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and b"Draft saved" in saved.content
    with trust_scope(world.trust):
        review.refresh_from_db()
    assert review.part1 == "Well done"


def test_it_refuses_to_submit_an_empty_statement(world, client_for):
    review = placed_review(world, cell=5, write=False)
    response = client_for(world.manager).post(
        f"/reviews/{review.public_id}/statement/", {"action": "submit", "part1": ""}
    )
    assert response.status_code == 400
    assert b"Write part 1 of the statement first." in response.content


def test_it_refuses_to_submit_leftover_frame_text(in_trust):
    world = in_trust
    review = placed_review(world, cell=5, write=False)
    services.statement_save(
        actor=world.manager,
        review=review,
        part1="Great work in Self/Others/Trust (delete as appropriate).",
    )
    with pytest.raises(ValidationError) as caught:
        services.review_submit(actor=world.manager, review=review)
    assert "delete as appropriate" in str(caught.value)


def test_it_locks_the_statement_once_the_decision_is_made(world, client_for):
    review = placed_review(world, submit=True)
    with trust_scope(world.trust):
        services.review_decide(actor=world.head, review=review, outcome=review.placed_outcome)
        with pytest.raises(ValidationError):
            services.statement_save(actor=world.manager, review=review, part1="Rewritten.")
        with pytest.raises(ValidationError):
            services.review_place(
                actor=world.manager, review=review, cell=9, suggested_engagement=None, evidence=[]
            )
    client = client_for(world.manager)
    assert client.get(f"/reviews/{review.public_id}/statement/").status_code == 302
    assert client.post(f"/reviews/{review.public_id}/autosave/", {"part1": "x"}).status_code == 409
    review.refresh_from_db()
    assert "Rewritten" not in review.part1 and review.part1 != "x"


def test_an_autosave_over_the_limit_saves_nothing_and_says_which_field(world, client_for):
    review = placed_review(world, cell=5, write=False)
    client = client_for(world.manager)
    url = f"/reviews/{review.public_id}/autosave/"
    assert client.post(url, {"part1": "Kept draft."}, HTTP_HX_REQUEST="true").status_code == 200
    too_long = "x" * 10_005
    refused = client.post(url, {"part1": too_long}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    status_line = refused.content.decode()
    assert "Draft saved" not in status_line
    assert (
        "Not saved: Part 1 of the statement is too long: at most 10,000 characters "
        "(it has 10005)." in status_line
    )
    with trust_scope(world.trust):
        review.refresh_from_db()
    assert review.part1 == "Kept draft."  # neither cut nor replaced
    # The Save button says the same, in the same words.
    saved = client.post(f"/reviews/{review.public_id}/statement/", {"part1": too_long})
    assert saved.status_code == 400
    assert (
        "Part 1 of the statement is too long: at most 10,000 characters (it has 10005)."
        in saved.content.decode()
    )
