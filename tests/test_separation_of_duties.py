"""Separation of duties in the services (issue 17, part 1): nobody reads their own review
before release, places or decides their own outcome, or decides a review they wrote; the
decision then passes to the trust's designated decider, or to a deputy acting for an absent
head; every refusal says why, and every decision records who made it in which capacity."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from growth.domain.duties import DecisionCapacity, DutyRefused, decision_route
from growth.security.access import Relation, relations
from reviews import services
from reviews.models import Review
from tests.duties_fixtures import (
    heads_own_review,
    make_ceo,
    make_deputy,
    review_written_by_head,
)
from tests.reviews_fixtures import placed_review


def test_a_headteacher_is_not_their_own_headteacher(in_trust):
    world = in_trust
    assert Relation.HEADTEACHER not in relations(world.head, world.head)
    assert Relation.HEADTEACHER in relations(world.head, world.staff)


def test_it_refuses_a_head_deciding_their_own_review(in_trust):
    world = in_trust
    ceo = make_ceo(world)
    review = heads_own_review(world, ceo)
    with pytest.raises(ValidationError) as refused:
        services.review_decide(actor=world.head, review=review, outcome="exceeded", reason="Me")
    assert "Nobody makes the final decision on their own review" in str(refused.value)
    review.refresh_from_db()
    assert (review.status, review.final_outcome) == (Review.Status.SUBMITTED, "")


def test_it_refuses_a_head_deciding_a_review_they_wrote(in_trust):
    world = in_trust
    ceo = make_ceo(world)
    review = review_written_by_head(world)
    assert review.reviewer == world.head
    with pytest.raises(DutyRefused) as refused:
        services.review_decide(actor=world.head, review=review, outcome="met")
    assert "You wrote this review as the reviewer" in str(refused.value)
    assert f"it passes to {ceo.full_name}" in str(refused.value)
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED


def test_the_designated_decider_decides_where_the_head_wrote_the_review(in_trust):
    world = in_trust
    ceo = make_ceo(world)
    review = review_written_by_head(world)
    services.review_decide(actor=ceo, review=review, outcome="met")
    review.refresh_from_db()
    assert review.decided_by == ceo
    assert review.decided_as == DecisionCapacity.DESIGNATED_DECIDER
    assert review.status == Review.Status.DECIDED


def test_the_designated_decider_decides_the_heads_own_review(in_trust):
    world = in_trust
    ceo_as_reviewer = make_ceo(world, designated=False)
    from growth.domain.services import role_assign
    from growth.models import RoleAssignment
    from tests.factories import make_staff

    chair = make_staff(
        world.trust, world.central, first_name="Chao", category="central", job_title="Executive"
    )
    role_assign(actor=None, staff=chair, role=RoleAssignment.Role.DESIGNATED_DECIDER)
    review = heads_own_review(world, ceo_as_reviewer)
    # The reviewer (the CEO, who is not the designated decider) may not decide either.
    with pytest.raises(DutyRefused, match="You wrote this review as the reviewer"):
        services.review_decide(actor=ceo_as_reviewer, review=review, outcome="met")
    services.review_decide(actor=chair, review=review, outcome="met")
    review.refresh_from_db()
    assert (review.decided_by, review.decided_as) == (chair, "designated_decider")


def test_the_designated_decider_does_not_take_a_decision_the_head_is_free_to_make(in_trust):
    world = in_trust
    ceo = make_ceo(world)
    review = placed_review(world, submit=True)  # written by the line manager, not the head
    with pytest.raises(DutyRefused) as refused:
        services.review_decide(actor=ceo, review=review, outcome="met")
    assert "passes to the designated decider only where they are conflicted" in str(refused.value)
    services.review_decide(actor=world.head, review=review, outcome="met")
    review.refresh_from_db()
    assert (review.decided_by, review.decided_as) == (world.head, "headteacher")


def test_the_designated_decider_never_decides_a_review_they_wrote(in_trust):
    world = in_trust
    ceo = make_ceo(world)  # the head's line manager AND the only designated decider
    review = heads_own_review(world, ceo)
    with pytest.raises(DutyRefused, match="You wrote this review as the reviewer"):
        services.review_decide(actor=ceo, review=review, outcome="met")
    route = decision_route(reviewee=world.head, reviewer=ceo)
    assert route.passed_on and route.deciders == []


def test_it_says_who_to_ask_when_no_designated_decider_is_named(in_trust):
    world = in_trust
    review = review_written_by_head(world)
    with pytest.raises(DutyRefused) as refused:
        services.review_decide(actor=world.head, review=review, outcome="met")
    assert "a trust admin names" in str(refused.value)
    assert "Who decides" in str(refused.value)


def test_a_deputy_acts_for_the_absent_head_and_it_is_recorded(in_trust):
    world = in_trust
    deputy = make_deputy(world)
    review = placed_review(world, submit=True)
    services.review_decide(actor=deputy, review=review, outcome="met")
    review.refresh_from_db()
    assert (review.decided_by, review.decided_as) == (deputy, "acting_headteacher")


def test_a_deputy_decides_a_review_the_head_wrote(in_trust):
    world = in_trust
    deputy = make_deputy(world)
    review = review_written_by_head(world)
    services.review_decide(actor=deputy, review=review, outcome="met")
    review.refresh_from_db()
    assert (review.decided_by, review.decided_as) == (deputy, "acting_headteacher")


def test_a_deputy_never_decides_the_heads_own_review(in_trust):
    world = in_trust
    ceo = make_ceo(world)
    deputy = make_deputy(world)
    review = heads_own_review(world, ceo)
    with pytest.raises(DutyRefused, match="designated decider"):
        services.review_decide(actor=deputy, review=review, outcome="met")
    assert Relation.HEADTEACHER not in relations(deputy, world.head)


def test_a_deputy_never_decides_their_own_review(in_trust):
    world = in_trust
    deputy = make_deputy(world)
    review = placed_review(world, person=deputy, submit=True)  # the head wrote it
    with pytest.raises(DutyRefused, match="Nobody makes the final decision on their own"):
        services.review_decide(actor=deputy, review=review, outcome="exceeded", reason="x")


def test_nobody_places_or_writes_their_own_review(in_trust):
    world = in_trust
    review = placed_review(world, write=False)
    with pytest.raises(DutyRefused, match="Nobody places or writes their own review"):
        services.review_place(
            actor=world.staff, review=review, cell=10, suggested_engagement=None, evidence=[]
        )
    with pytest.raises(DutyRefused, match="Nobody places or writes their own review"):
        services.statement_save(actor=world.staff, review=review, part1="I was exceptional.")
    with pytest.raises(DutyRefused, match="Only the reviewer"):
        services.review_place(
            actor=world.head, review=review, cell=10, suggested_engagement=None, evidence=[]
        )
    review.refresh_from_db()
    assert review.cell == 5 and review.part1 == ""


def test_nobody_starts_their_own_review(in_trust):
    world = in_trust
    with pytest.raises(ValidationError, match="Nobody writes their own review"):
        services.review_start(actor=world.head, staff_member=world.head, cycle=world.cycle)


def test_the_designated_deciders_list_is_what_the_decision_route_says_in_one_query(
    in_trust, django_assert_num_queries
):
    from growth.domain.services import role_assign
    from growth.models import RoleAssignment
    from reviews.selectors import passed_to
    from tests.factories import make_staff

    world = in_trust
    ceo = make_ceo(world, designated=False)  # writes the head's review
    chair = make_staff(
        world.trust, world.central, first_name="Chao", category="central", job_title="Executive"
    )
    role_assign(actor=None, staff=chair, role=RoleAssignment.Role.DESIGNATED_DECIDER)
    reviews = [
        heads_own_review(world, ceo),  # passes on: the head's own
        review_written_by_head(world),  # passes on: the head wrote it
        placed_review(world, submit=True),  # stays: the head is free to decide it
    ]
    expected = {
        r.pk
        for r in reviews
        if decision_route(reviewee=r.staff_member, reviewer=r.reviewer).passed_on
    }
    assert len(expected) == 2
    with django_assert_num_queries(2):  # the decider's roles, then the reviews
        found = passed_to(decider=chair, cycle=world.cycle)
    assert {r.pk for r in found} == expected
    # A deputy acting for the head takes the review the head wrote back into the school.
    make_deputy(world)
    assert {r.staff_member_id for r in passed_to(decider=chair, cycle=world.cycle)} == {
        world.head.pk
    }
