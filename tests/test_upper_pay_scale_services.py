"""Upper Pay Scale applications (seed 004; issue 17 part 5): a main-range teacher applies in
writing once a year answering the four criteria, with links to their own evidence; "sustained"
is two years or more at this level, checked against earlier cycles' decided outcomes; the
headteacher decides with a reason; a second application in the same year is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from growth.domain.duties import DecisionCapacity, DutyRefused
from reviews import pay_selectors, pay_services
from reviews.models import UpperPayApplication
from tests.pay_fixtures import PARTIALLY_MET, decided_review, earlier_cycles, on_pay

ANSWERS = {
    "standards": "I model retrieval practice for the department.",
    "engagement": "Every check-in held; my plan agreed in October.",
    "substantial_sustained": "Three years of Met outcomes.",
    "wider_contribution": "I mentor two early career teachers.",
}


def apply(world, **kwargs):
    return pay_services.ups_apply(
        actor=world.staff, cycle=world.cycle, answers=kwargs.pop("answers", ANSWERS), **kwargs
    )


def test_a_main_range_teacher_applies_answering_the_four_criteria(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    application = apply(world)
    assert application.status == UpperPayApplication.Status.SUBMITTED
    assert application.wider_contribution == ANSWERS["wider_contribution"]


def test_a_second_application_in_the_same_year_is_refused(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    apply(world)
    with pytest.raises(ValidationError) as refused:
        apply(world)
    message = " ".join(refused.value.messages)
    assert "already applied" in message and "one application each academic year" in message
    assert UpperPayApplication.objects.count() == 1


def test_a_teacher_may_apply_again_the_next_year(in_trust):
    from tests.factories import make_cycle

    world = in_trust
    on_pay(world, world.staff, "main", 6)
    apply(world)
    next_year = make_cycle(world.trust, start_year=world.cycle.start_date.year + 1)
    pay_services.ups_apply(actor=world.staff, cycle=next_year, answers=ANSWERS)
    assert UpperPayApplication.objects.count() == 2


def test_only_main_range_teachers_apply(in_trust):
    world = in_trust
    on_pay(world, world.staff, "upper", 1)
    with pytest.raises(ValidationError, match="Only teachers on the main pay range"):
        apply(world)


def test_every_criterion_must_be_answered(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    with pytest.raises(ValidationError) as refused:
        apply(world, answers={**ANSWERS, "wider_contribution": "  "})
    assert "wider_contribution" in refused.value.message_dict
    assert not UpperPayApplication.objects.exists()


def test_sustained_counts_two_earlier_cycles_of_decided_met_outcomes(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    last_year, year_before = earlier_cycles(world, 2)
    decided_review(world, cycle=last_year)
    decided_review(world, cycle=year_before)
    application = apply(world)
    assert application.sustained_years == 2
    assert application.sustained_cycles == [last_year.name, year_before.name]
    assert application.is_sustained


def test_sustained_stops_at_a_year_below_the_level(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    last_year, year_before = earlier_cycles(world, 2)
    decided_review(world, cycle=last_year)
    decided_review(world, cycle=year_before, cell=PARTIALLY_MET)
    application = apply(world)
    assert (application.sustained_years, application.is_sustained) == (1, False)


def test_the_current_cycles_review_does_not_count_as_earlier(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    decided_review(world)
    assert pay_selectors.sustained_cycles(staff=world.staff, cycle=world.cycle) == []


def test_evidence_links_are_the_applicants_own_records(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    review = decided_review(world)
    other = decided_review(world, world.support)
    application = apply(world, evidence=[f"review:{review.public_id}"])
    assert application.evidence[0]["public_id"] == str(review.public_id)
    with pytest.raises(ValidationError, match="your own"):
        pay_services.ups_apply(
            actor=world.staff,
            cycle=earlier_cycles(world, 1)[0],
            answers=ANSWERS,
            evidence=[f"review:{other.public_id}"],
        )


def test_the_head_decides_with_a_reason(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    application = apply(world)
    with pytest.raises(ValidationError, match="reason"):
        pay_services.ups_decide(actor=world.head, application=application, approve=True, reason="")
    decided = pay_services.ups_decide(
        actor=world.head, application=application, approve=True, reason="Sustained impact."
    )
    assert decided.status == UpperPayApplication.Status.APPROVED
    assert decided.decided_as == DecisionCapacity.HEADTEACHER
    with pytest.raises(ValidationError, match="already been decided"):
        pay_services.ups_decide(actor=world.head, application=decided, approve=False, reason="x")


def test_nobody_decides_their_own_application(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    application = apply(world)
    with pytest.raises(DutyRefused, match="Nobody decides their own"):
        pay_services.ups_decide(
            actor=world.staff, application=application, approve=True, reason="Me"
        )


def test_a_line_manager_does_not_decide_an_application(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    application = apply(world)
    with pytest.raises(DutyRefused):
        pay_services.ups_decide(
            actor=world.manager, application=application, approve=True, reason="Good"
        )
    assert UpperPayApplication.objects.get().status == "submitted"


def test_the_application_and_its_outcome_reach_the_pay_table(in_trust):
    world = in_trust
    on_pay(world, world.staff, "main", 6)
    application = apply(world)
    pay_services.ups_decide(
        actor=world.head, application=application, approve=False, reason="Not yet sustained."
    )
    table = pay_selectors.pay_report_table(
        pay_selectors.pay_table_for(school=world.school, cycle=world.cycle)
    )
    row = next(r for r in table.rows if r[0].text == world.staff.full_name)
    assert row[-1].text == "Not approved this year: Not yet sustained."
