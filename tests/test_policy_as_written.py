"""The policy as written, where the app departed from it (issue 17, part 6). Each test says
which words of the policy it holds the app to."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from growth.security.tenancy import trust_scope
from objectives import services as objective_services
from objectives.selectors import plan_page, sorted_objectives
from reviews import services as review_services
from tests.objectives_fixtures import bank, fill_objective, ready_plan  # noqa: F401
from tests.reviews_fixtures import placed_review


def test_the_objective_checklist_refuses_the_banks_unfilled_x(in_trust, bank):  # noqa: F811
    """Seed 002's bank phrases hold "x" for the person's own words ("Results of x")."""
    world = in_trust
    plan = ready_plan(world)
    objective = sorted_objectives(plan)[0]
    fill_objective(world.staff, objective, through=["Observing Staff member X's approach to x"])
    failing = [c for c in plan_page(plan).failing]
    assert [c.label for c in failing] == ["Every x from the objectives bank is filled in"]
    assert "Observing Staff member X's approach to x" in failing[0].why
    with pytest.raises(ValidationError, match="Replace the x with your own words"):
        objective_services.plan_submit(actor=world.staff, plan=plan)
    fill_objective(world.staff, objective, through=["Observing Jo Bell's approach to exit tickets"])
    assert not plan_page(plan).failing


def test_cell_1_shows_the_capability_note_to_the_head_and_hr_only(world, client_for):
    """Seed 002: cell 1 "may be on capability process", a process "split from Managing
    Performance Concerns Policy & Capability": the app shows the head and HR, and nobody else,
    that cell 1 was placed, with the trust's link to that policy, and records no case."""
    world.trust.performance_concerns_policy_url = "https://alpha.example/policies/concerns"
    world.trust.save()
    review = placed_review(world, cell=1, submit=True)
    url = f"/reviews/{review.public_id}/"
    note = "Cell 1: may be on the capability process"
    for person in (world.head, world.admin):
        page = client_for(person).get(url).content.decode()
        assert note in page and "https://alpha.example/policies/concerns" in page
    decide = client_for(world.head).get(f"/reviews/{review.public_id}/decide/").content.decode()
    assert note in decide
    assert note not in client_for(world.manager).get(url).content.decode()
    assert "capability" not in client_for(world.manager).get(
        f"/reviews/{review.public_id}/placement/"
    ).content.decode().replace("Cell 1: may be", "")
    with trust_scope(world.trust):
        review_services.review_decide(actor=world.head, review=review, outcome="not_met")
    released = client_for(world.staff).get(url).content.decode()
    assert note not in released and "capability" not in released


def _observe(world, *, minutes, day, purpose="support", observer=None):
    import datetime as dt

    from checkins import services as checkin_services

    return checkin_services.observation_create(
        actor=world.manager,
        cycle=world.cycle,
        observee=world.staff,
        observer=observer or world.manager,
        date=dt.date(*day),
        minutes=minutes,
        purpose=purpose,
        focus_area="self",
    )


def test_observations_are_capped_at_the_trusts_minutes_a_term_times_its_terms(in_trust):
    """Seed 002: observations "capped at 30 minutes a term x 6": the year's cap follows the
    trust's own observation_terms_per_year."""
    world = in_trust
    world.trust.observation_terms_per_year = 2
    world.trust.save()
    _observe(world, minutes=30, day=(2026, 9, 21))
    _observe(world, minutes=30, day=(2026, 11, 9))
    with pytest.raises(ValidationError) as refused:
        _observe(world, minutes=20, day=(2027, 1, 11))  # a new term, but the year is used up
    assert "0 of the 60 minutes of observation a year left (30 a term over 2 terms)" in str(
        refused.value
    )


def test_a_peer_learning_visit_does_not_use_the_hosts_minutes_unless_the_trust_says_so(
    in_trust,
):
    """Seed 004: each teacher observes a colleague once a year to learn; that visit is the
    visitor's learning, not an observation of the host."""
    world = in_trust
    _observe(world, minutes=30, day=(2026, 9, 21), purpose="learn", observer=world.colleague)
    _observe(world, minutes=30, day=(2026, 9, 28))  # the host's own 30 minutes are untouched
    world.trust.peer_visits_use_observation_minutes = True
    world.trust.save()
    with pytest.raises(ValidationError, match="0 of the 30 minutes"):
        _observe(world, minutes=30, day=(2026, 10, 5), purpose="learn", observer=world.head)
