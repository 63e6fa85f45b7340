"""Pay progression as the policy says it (seed 004, seed 003's ratings; issue 17 part 4):
the recommendation follows from the decided outcome through the trust's editable mapping,
with the overall rating beside it; the head confirms or amends with a reason; nobody decides
their own pay or the pay that follows from a review they wrote."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from growth.domain.duties import DecisionCapacity, DutyRefused
from growth.models import AuditEvent
from reviews import pay_selectors, pay_services
from reviews.models import PayDecision
from reviews.pay_rules import PayRating, PayRecommendation
from tests.duties_fixtures import make_ceo
from tests.pay_fixtures import EXCEEDED, PARTIALLY_MET, decided_review, on_pay


def test_met_and_engaged_teachers_are_recommended_to_progress_as_achieved_expectations(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    decided_review(world)
    row = pay_selectors.pay_table_for(school=world.school, cycle=world.cycle).rows
    sam = next(r for r in row if r.person == world.staff)
    assert (sam.rating_label, sam.recommendation) == ("Achieved expectations", "progress")


def test_exceeded_is_rated_exceptional(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    decided_review(world, cell=EXCEEDED)
    sam = pay_selectors.pay_table_for(school=world.school, cycle=world.cycle).rows
    assert next(r for r in sam if r.person == world.staff).rating_label == "Exceptional"


def test_low_engagement_is_referred_to_the_head(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    decided_review(world, cell=PARTIALLY_MET)
    rows = pay_selectors.pay_table_for(school=world.school, cycle=world.cycle).rows
    assert next(r for r in rows if r.person == world.staff).recommendation == "refer"


def test_the_trusts_own_mapping_changes_the_recommendation(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    decided_review(world, cell=PARTIALLY_MET)
    mapping = pay_selectors.pay_mapping(trust=world.trust)
    mapping["partially_met"] = (PayRating.ACHIEVED, PayRecommendation.PROGRESS)
    pay_services.pay_mapping_update(actor=world.admin, trust=world.trust, mapping=mapping)
    rows = pay_selectors.pay_table_for(school=world.school, cycle=world.cycle).rows
    assert next(r for r in rows if r.person == world.staff).recommendation == "progress"
    assert AuditEvent.objects.filter(action="reviews.pay_mapping.update").exists()


def test_the_head_confirms_a_recommendation_and_it_is_recorded_in_their_capacity(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world)
    pay = pay_services.pay_decide(actor=world.head, review=review, outcome="progress")
    assert (pay.decision, pay.outcome, pay.rating) == ("confirmed", "progress", "achieved")
    assert pay.decided_as == DecisionCapacity.HEADTEACHER
    assert (pay.pay_range, pay.pay_point) == ("main", 3)
    assert AuditEvent.objects.filter(action="reviews.pay.confirmed").exists()


def test_amending_a_recommendation_needs_a_reason(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world)
    with pytest.raises(ValidationError, match="needs a reason"):
        pay_services.pay_decide(actor=world.head, review=review, outcome="hold")
    assert not PayDecision.objects.exists()
    pay = pay_services.pay_decide(
        actor=world.head, review=review, outcome="hold", reason="Joined in May"
    )
    assert pay.decision == "amended"


def test_a_referral_is_decided_with_a_reason(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world, cell=PARTIALLY_MET)
    with pytest.raises(ValidationError, match="referred to you"):
        pay_services.pay_decide(actor=world.head, review=review, outcome="progress")
    pay = pay_services.pay_decide(
        actor=world.head, review=review, outcome="progress", reason="Long absence explained"
    )
    assert pay.decision == "referred"


def test_a_teacher_at_the_top_of_their_range_is_not_eligible(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    review = decided_review(world)
    with pytest.raises(ValidationError, match="not eligible"):
        pay_services.pay_decide(actor=world.head, review=review, outcome="progress")


def test_the_pay_decision_waits_for_the_reviews_final_decision(in_trust):
    from tests.reviews_fixtures import placed_review

    world = in_trust
    on_pay(world, world.staff, "main", 3)
    review = placed_review(world, submit=True)
    with pytest.raises(ValidationError, match="final decision comes first"):
        pay_services.pay_decide(actor=world.head, review=review, outcome="progress")


def test_it_refuses_a_second_pay_decision(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world)
    pay_services.pay_decide(actor=world.head, review=review, outcome="progress")
    with pytest.raises(ValidationError, match="already recorded"):
        pay_services.pay_decide(actor=world.head, review=review, outcome="hold", reason="x")


# --- Separation of duties --------------------------------------------------------------------


def test_nobody_decides_their_own_pay(in_trust):
    world = in_trust
    make_ceo(world, designated=False)  # the head's reviewer
    chair = _chair(world)
    on_pay(world, world.head, "leading_practitioner", 4)
    review = decided_review_by(world, world.head, chair)
    with pytest.raises(DutyRefused, match="Nobody decides their own pay"):
        pay_services.pay_decide(actor=world.head, review=review, outcome="progress")
    pay = pay_services.pay_decide(actor=chair, review=review, outcome="progress")
    assert pay.decided_as == DecisionCapacity.DESIGNATED_DECIDER


def _chair(world):
    from growth.domain.services import role_assign
    from growth.models import RoleAssignment
    from tests.factories import make_staff

    chair = make_staff(
        world.trust, world.central, first_name="Chao", category="central", job_title="Executive"
    )
    role_assign(actor=None, staff=chair, role=RoleAssignment.Role.DESIGNATED_DECIDER)
    return chair


def test_the_head_does_not_decide_pay_that_follows_from_a_review_they_wrote(in_trust):
    world = in_trust
    ceo = make_ceo(world)
    on_pay(world, world.colleague, "main", 2)  # the head line-manages Cal: the head wrote it
    review = decided_review_by(world, world.colleague, ceo)
    with pytest.raises(DutyRefused, match="You wrote this review as the reviewer"):
        pay_services.pay_decide(actor=world.head, review=review, outcome="progress")
    assert pay_selectors.pay_passed_to(decider=ceo, cycle=world.cycle) == [review]
    assert pay_services.pay_decide(actor=ceo, review=review, outcome="progress").pk
    assert pay_selectors.pay_passed_to(decider=ceo, cycle=world.cycle) == []


def test_a_line_manager_who_is_not_the_head_cannot_decide_pay(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world)
    with pytest.raises(DutyRefused):
        pay_services.pay_decide(actor=world.manager, review=review, outcome="progress")


def test_a_deputy_acting_for_the_head_decides_pay(in_trust):
    from tests.duties_fixtures import make_deputy

    world = in_trust
    deputy = make_deputy(world)
    on_pay(world, world.staff, "main", 3)
    review = decided_review(world)
    pay = pay_services.pay_decide(actor=deputy, review=review, outcome="progress")
    assert pay.decided_as == DecisionCapacity.ACTING_HEADTEACHER


def decided_review_by(world, person, decider):
    """A review of ``person`` decided by whoever may (the designated decider here)."""
    from reviews import services
    from tests.reviews_fixtures import placed_review

    review = placed_review(world, person=person, submit=True)
    services.review_decide(actor=decider, review=review, outcome=review.placed_outcome)
    review.refresh_from_db()
    return review
