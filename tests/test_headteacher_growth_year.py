"""The headteacher's own growth year (issue 17, part 2): their reviewer is the person the
trust names (their line manager in the central team by default), an adviser may read and
comment, the final decision is the designated decider's, and their plan, check-ins and
review are hidden from their own school's staff."""

from __future__ import annotations

import pytest

from growth.domain.duties import DutyRefused
from growth.domain.services import leader_review_arrange
from growth.models import StaffMember
from growth.security.tenancy import trust_scope
from objectives.services import plan_start
from reviews import services
from reviews.models import ReviewComment
from tests.duties_fixtures import heads_own_review, make_ceo, make_deputy
from tests.factories import make_staff


def test_the_heads_line_manager_reviews_them_by_default(world, client_for):
    ceo = make_ceo(world)
    page = client_for(ceo).get("/reviews/").content.decode()
    assert world.head.full_name in page
    review = heads_own_review(world, ceo)
    assert review.reviewer == ceo


def test_the_reviewer_the_trust_names_writes_the_heads_review(world, client_for):
    ceo = make_ceo(world)
    director = make_staff(
        world.trust, world.central, first_name="Dee", category="central", job_title="Director"
    )
    with trust_scope(world.trust):
        leader_review_arrange(actor=None, leader=world.head, reviewer=director, adviser=None)
        with pytest.raises(DutyRefused, match=r"the reviewer the trust names \(Dee"):
            services.review_start(actor=ceo, staff_member=world.head, cycle=world.cycle)
    client = client_for(director)
    assert world.head.full_name in client.get("/reviews/").content.decode()
    response = client.post(f"/reviews/start/{world.head.public_id}/")
    assert response.status_code == 302
    with trust_scope(world.trust):
        review = world.head.reviews.get()
    assert review.reviewer == director
    assert client.get(f"/reviews/{review.public_id}/placement/").status_code == 200


def test_an_adviser_reads_and_comments_but_neither_writes_nor_decides(world, client_for):
    ceo = make_ceo(world)
    adviser = make_staff(
        world.trust,
        world.central,
        first_name="Ade",
        category=StaffMember.Category.CENTRAL,
        job_title="External adviser",
    )
    with trust_scope(world.trust):
        leader_review_arrange(actor=None, leader=world.head, reviewer=None, adviser=adviser)
    review = heads_own_review(world, ceo)
    client = client_for(adviser)
    page = client.get(f"/reviews/{review.public_id}/")
    assert page.status_code == 200
    assert review.part1[:40] in page.content.decode()
    response = client.post(
        f"/reviews/{review.public_id}/comment/", {"body": "The governors' survey is strong."}
    )
    assert response.status_code == 302
    with trust_scope(world.trust):
        assert ReviewComment.objects.get(review=review).author == adviser
    assert (
        "The governors&#x27; survey is strong."
        in client_for(ceo).get(f"/reviews/{review.public_id}/").content.decode()
    )
    assert client.get(f"/reviews/{review.public_id}/placement/").status_code == 403
    assert (
        client.post(f"/reviews/{review.public_id}/decide/", {"outcome": "met"}).status_code == 403
    )
    # An empty comment is refused with the reason, and nothing is saved.
    client.post(f"/reviews/{review.public_id}/comment/", {"body": "  "})
    with trust_scope(world.trust):
        assert ReviewComment.objects.filter(review=review).count() == 1


def test_the_heads_growth_year_is_hidden_from_their_own_school(world, client_for):
    ceo = make_ceo(world)
    deputy = make_deputy(world)
    with trust_scope(world.trust):
        plan = plan_start(actor=world.head, staff=world.head, cycle=world.cycle)
    review = heads_own_review(world, ceo)
    for person in (deputy, world.manager, world.staff):
        client = client_for(person)
        assert client.get(f"/objectives/plan/{plan.public_id}/").status_code == 404
        assert client.get(f"/checkins/people/{world.head.public_id}/").status_code == 404
        assert client.get(f"/reviews/{review.public_id}/").status_code == 404
    # The head reads their own plan and check-ins, but not their review before release.
    head = client_for(world.head)
    assert head.get(f"/objectives/plan/{plan.public_id}/").status_code == 200
    assert head.get(f"/reviews/{review.public_id}/").status_code == 404
    # Their line manager in the central team reads all three.
    line_manager = client_for(ceo)
    assert line_manager.get(f"/objectives/plan/{plan.public_id}/").status_code == 200
    assert line_manager.get(f"/checkins/people/{world.head.public_id}/").status_code == 200


def test_nobody_from_the_heads_own_school_can_be_named_to_review_them(in_trust):
    world = in_trust
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="choose someone from outside the school"):
        leader_review_arrange(actor=None, leader=world.head, reviewer=world.manager, adviser=None)
