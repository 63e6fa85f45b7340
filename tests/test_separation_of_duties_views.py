"""Separation of duties through the pages, posting directly as a person would who knows the
address (issue 17, part 1), and the trust admin's "Who decides" page."""

from __future__ import annotations

from growth.models import AuditEvent, LeaderReviewArrangement, RoleAssignment
from growth.security.tenancy import trust_scope
from reviews.models import Review
from tests.duties_fixtures import heads_own_review, make_ceo, make_deputy, review_written_by_head
from tests.reviews_fixtures import placed_review


def test_a_head_cannot_open_their_own_review_before_release(world, client_for):
    ceo = make_ceo(world)
    review = heads_own_review(world, ceo)
    client = client_for(world.head)
    for page in ("", "decide/", "versions/", "pdf/", "statement/", "placement/"):
        assert client.get(f"/reviews/{review.public_id}/{page}").status_code == 404, page
    response = client.post(
        f"/reviews/{review.public_id}/decide/", {"outcome": "exceeded", "reason": "Me"}
    )
    assert response.status_code == 404
    review.refresh_from_db()
    assert (review.status, review.final_outcome) == (Review.Status.SUBMITTED, "")
    moderation = client.get("/reviews/moderation/").content.decode()
    assert f'<th scope="row">{world.head.full_name}</th>' not in moderation


def test_a_head_cannot_decide_a_review_they_wrote_by_posting(world, client_for):
    ceo = make_ceo(world)
    review = review_written_by_head(world)
    client = client_for(world.head)
    page = client.get(f"/reviews/{review.public_id}/decide/")
    assert page.status_code == 403
    assert "You wrote this review as the reviewer" in page.content.decode()
    assert ceo.full_name in page.content.decode()
    response = client.post(f"/reviews/{review.public_id}/decide/", {"outcome": "exceeded"})
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED and review.final_outcome == ""


def test_the_designated_decider_finds_and_makes_the_decision(world, client_for):
    ceo = make_ceo(world)
    review = review_written_by_head(world)
    client = client_for(ceo)
    listing = client.get("/reviews/passed-to-you/")
    assert listing.status_code == 200
    assert world.colleague.full_name in listing.content.decode()
    page = client.get(f"/reviews/{review.public_id}/decide/")
    assert page.status_code == 200
    assert "Trust&#x27;s designated decider" in page.content.decode()
    response = client.post(f"/reviews/{review.public_id}/decide/", {"outcome": "met"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.decided_by, review.decided_as) == (ceo, "designated_decider")
    detail = client_for(world.colleague).get(f"/reviews/{review.public_id}/").content.decode()
    assert f"Final decision by {ceo.full_name} (trust&#x27;s designated decider)" in detail
    with trust_scope(world.trust):
        event = AuditEvent.objects.get(action="reviews.review.confirmed")
    assert event.after["decided_as"] == "designated_decider"


def test_the_designated_decider_cannot_take_a_decision_the_head_is_free_to_make(world, client_for):
    ceo = make_ceo(world)
    review = placed_review(world, submit=True)
    client = client_for(ceo)
    assert world.staff.full_name not in client.get("/reviews/passed-to-you/").content.decode()
    # The CEO is not a trust admin nor the head here: the review is not theirs to see.
    assert client.post(f"/reviews/{review.public_id}/decide/", {"outcome": "met"}).status_code in (
        403,
        404,
    )
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED


def test_a_deputy_decides_through_the_page_in_their_capacity(world, client_for):
    deputy = make_deputy(world)
    review = placed_review(world, submit=True)
    client = client_for(deputy)
    assert (
        "Deputy acting for the headteacher"
        in client.get(f"/reviews/{review.public_id}/decide/").content.decode()
    )
    assert (
        client.post(f"/reviews/{review.public_id}/decide/", {"outcome": "met"}).status_code == 302
    )
    review.refresh_from_db()
    assert review.decided_as == "acting_headteacher"


def test_the_person_cannot_place_or_write_their_own_review_by_posting(world, client_for):
    review = placed_review(world, write=False)
    client = client_for(world.staff)
    assert client.post(f"/reviews/{review.public_id}/placement/", {"cell": "10"}).status_code == 404
    assert (
        client.post(f"/reviews/{review.public_id}/autosave/", {"part1": "Exceptional"}).status_code
        == 404
    )
    review.refresh_from_db()
    assert review.cell == 5 and review.part1 == ""


def test_only_the_designated_decider_sees_the_passed_on_list(world, client_for):
    assert client_for(world.head).get("/reviews/passed-to-you/").status_code == 403
    assert client_for(world.admin).get("/reviews/passed-to-you/").status_code == 403


def test_the_trust_admin_names_the_deciders_and_the_heads_reviewer(world, client_for):
    ceo = make_ceo(world, designated=False)
    deputy = make_deputy(world)
    client = client_for(world.admin)
    page = client.get("/trust/duties/")
    assert page.status_code == 200
    assert world.head.full_name in page.content.decode()
    response = client.post(
        "/trust/duties/", {"role": "designated_decider", "staff": ceo.pk, "school": ""}
    )
    assert response.status_code == 302
    bad = client.post("/trust/duties/", {"role": "acting_headteacher", "staff": deputy.pk})
    assert bad.status_code == 400
    assert "Choose the school whose headteacher the deputy acts for." in bad.content.decode()
    with trust_scope(world.trust):
        assert RoleAssignment.objects.filter(staff_member=ceo, role="designated_decider").exists()
        role = RoleAssignment.objects.get(staff_member=ceo, role="designated_decider")
    prefix = str(world.head.public_id)
    saved = client.post(
        f"/trust/duties/leaders/{world.head.public_id}/",
        {f"{prefix}-reviewer": world.admin.pk, f"{prefix}-adviser": world.other_head.pk},
    )
    assert saved.status_code == 302
    with trust_scope(world.trust):
        arrangement = LeaderReviewArrangement.objects.get(staff_member=world.head)
    assert (arrangement.reviewer, arrangement.adviser) == (world.admin, world.other_head)
    # Someone from the head's own school is refused, with the reason.
    refused = client.post(
        f"/trust/duties/leaders/{world.head.public_id}/", {f"{prefix}-reviewer": world.manager.pk}
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert client.post(f"/trust/duties/{role.public_id}/revoke/").status_code == 302
    with trust_scope(world.trust):
        assert not RoleAssignment.objects.filter(staff_member=ceo, role="designated_decider")
    assert client_for(world.head).get("/trust/duties/").status_code == 403
