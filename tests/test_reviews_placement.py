"""Placing a person on the grid: outcome from the trust's key, the Not-met gate, the
override reason, the Exceptional descriptors, and who may do it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from growth.security.tenancy import trust_scope
from reviews import services
from reviews.models import Review
from tests.reviews_fixtures import placed_review

NOV = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _start(world, person=None):
    person = person or world.staff
    with trust_scope(world.trust):
        return services.review_start(
            actor=person.line_manager, staff_member=person, cycle=world.cycle
        )


def test_it_lets_the_line_manager_start_a_review_from_the_list(world, client_for):
    client = client_for(world.manager)
    page = client.get("/reviews/")
    assert page.status_code == 200
    assert world.staff.full_name.encode() in page.content
    response = client.post(f"/reviews/start/{world.staff.public_id}/")
    with trust_scope(world.trust):
        review = Review.objects.get(staff_member=world.staff)
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{review.public_id}/placement/"
    assert review.reviewer == world.manager


def test_it_refuses_to_start_a_review_for_someone_not_managed(world, client_for):
    assert (
        client_for(world.manager).post(f"/reviews/start/{world.colleague.public_id}/").status_code
        == 404
    )
    assert (
        client_for(world.head).post(f"/reviews/start/{world.staff.public_id}/").status_code == 403
    )


@time_machine.travel(NOV)
def test_it_places_and_takes_the_outcome_from_the_trusts_key(world, client_for):
    review = _start(world)
    with trust_scope(world.trust):
        services.outcome_key_update(
            actor=world.admin,
            trust=world.trust,
            key={**services.rubric.DEFAULT_OUTCOME_KEY, 4: "met"},
        )
    client = client_for(world.manager)
    page = client.get(f"/reviews/{review.public_id}/placement/")
    assert page.status_code == 200
    # No check-ins held by November: the suggestion is the bottom row, so 4 needs no reason.
    assert b"Suggested engagement level:</strong> Engages inconsistently" in page.content
    response = client.post(f"/reviews/{review.public_id}/placement/", {"cell": "4"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.cell, review.placed_outcome) == (4, "met")
    assert review.suggested_engagement == 1


@time_machine.travel(NOV)
def test_it_will_not_enter_not_met_without_the_headteacher_consulted(world, client_for):
    review = _start(world)
    client = client_for(world.manager)
    url = f"/reviews/{review.public_id}/placement/"
    response = client.post(url, {"cell": "1"})
    assert response.status_code == 400
    assert b"consulted the headteacher" in response.content
    review.refresh_from_db()
    assert review.cell is None
    response = client.post(
        url, {"cell": "1", "consulted_on": "2026-11-20", "consulted_note": "Agreed with Hana."}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.cell, review.placed_outcome) == (1, "not_met")
    assert review.headteacher_consulted_on == dt.date(2026, 11, 20)


def test_it_enforces_the_not_met_gate_in_the_database_too(in_trust):
    world = in_trust
    review = _start(world)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(cell=1)


@time_machine.travel(NOV)
def test_it_needs_a_reason_to_override_the_suggested_engagement(in_trust):
    world = in_trust
    review = _start(world)
    with pytest.raises(ValidationError) as caught:
        services.review_place(
            actor=world.manager, review=review, cell=9, suggested_engagement=2, evidence=["x"]
        )
    assert "override_reason" in caught.value.message_dict
    services.review_place(
        actor=world.manager,
        review=review,
        cell=9,
        suggested_engagement=2,
        evidence=["Held 9 of 12"],
        override_reason="Two check-ins were missed for jury service.",
    )
    review.refresh_from_db()
    assert review.engagement_override_reason.startswith("Two check-ins")
    # Agreeing with the suggestion needs no reason, and clears an old one.
    services.review_place(
        actor=world.manager, review=review, cell=8, suggested_engagement=2, evidence=[]
    )
    review.refresh_from_db()
    assert review.engagement_override_reason == ""


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        (
            "staff",
            b"Quality of teaching is regularly outstanding.",
            b"Customers&#x27; expectations",
        ),
        ("support", b"Customers&#x27; expectations frequently exceeded", b"Quality of teaching is"),
    ],
)
def test_it_shows_the_exceptional_descriptors_for_the_persons_role(
    world, client_for, who, shown, hidden
):
    person = getattr(world, who)
    review = placed_review(world, person=person, cell=10)
    page = client_for(world.manager).get(f"/reviews/{review.public_id}/placement/")
    assert shown in page.content
    assert hidden not in page.content
    # 10 is already chosen, so the descriptors are shown without waiting for the script.
    assert b'id="exceptional-descriptors" class="card card-body mb-3" hidden' not in page.content
    assert b'id="exceptional-descriptors"' in page.content
    detail = client_for(world.manager).get(f"/reviews/{review.public_id}/")
    assert shown in detail.content


def test_it_lets_only_the_line_manager_place(world, other_world, client_for):
    review = _start(world)
    url = f"/reviews/{review.public_id}/placement/"
    assert client_for(world.manager).get(url).status_code == 200
    assert client_for(world.head).get(url).status_code == 403
    assert client_for(world.admin).get(url).status_code == 403
    assert client_for(world.staff).get(url).status_code == 404  # a draft is not there for them
    assert client_for(world.colleague).get(url).status_code == 404
    assert client_for(other_world.head).get(url).status_code == 404
    assert client_for(other_world.admin).get(url).status_code == 404


def test_it_rejects_a_cell_off_the_grid(world, client_for):
    review = _start(world)
    response = client_for(world.manager).post(
        f"/reviews/{review.public_id}/placement/", {"cell": "11"}
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
