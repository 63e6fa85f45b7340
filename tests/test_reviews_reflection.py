"""The July reflection: each objective rated with evidence and impact, in the cycle's window;
the reviewer sees it on the placement page and it reaches the PDF."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from growth.security.tenancy import trust_scope
from objectives.selectors import objectives_of
from reviews import services
from reviews.models import ObjectiveReflection
from reviews.pdf import statement_context
from tests.objectives_fixtures import ready_plan
from tests.reviews_fixtures import placed_review

JULY = dt.datetime(2027, 7, 1, 9, 0, tzinfo=dt.UTC)
NOVEMBER = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _form(objectives, ratings, **extra):
    data = {"impact_self": "More confident questioning.", "impact_others": "", "impact_trust": ""}
    for objective, rating in zip(objectives, ratings, strict=True):
        data[f"rating_{objective.public_id}"] = rating
        data[f"evidence_{objective.public_id}"] = f"Evidence for {objective.area}"
    data.update(extra)
    return data


@time_machine.travel(JULY)
def test_it_records_each_objective_with_evidence_and_impact(world, client_for):
    ready_plan(world)
    with trust_scope(world.trust):
        objectives = objectives_of(staff=world.staff, cycle=world.cycle)
    client = client_for(world.staff)
    page = client.get("/reviews/reflection/")
    assert page.status_code == 200
    assert b"How far did you meet it?" in page.content
    response = client.post(
        "/reviews/reflection/",
        _form(objectives, ["met", "partially_met", "not_met"], action="submit"),
    )
    assert response.status_code == 302
    with trust_scope(world.trust):
        rows = {r.objective_id: r for r in ObjectiveReflection.objects.all()}
    assert [rows[o.pk].rating for o in objectives] == ["met", "partially_met", "not_met"]
    assert rows[objectives[0].pk].evidence == "Evidence for self"
    assert b"You have submitted your July reflection for 2026-27" in client.get("/").content


@time_machine.travel(JULY)
def test_it_names_the_objective_still_to_rate_on_submit(world, client_for):
    ready_plan(world)
    with trust_scope(world.trust):
        objectives = objectives_of(staff=world.staff, cycle=world.cycle)
    response = client_for(world.staff).post(
        "/reviews/reflection/", _form(objectives, ["met", "", "met"], action="submit")
    )
    assert response.status_code == 400
    assert b"Impact on Others: choose met, partially met or not met." in response.content
    assert b"More confident questioning." in response.content  # the draft is kept
    with trust_scope(world.trust):
        assert not ObjectiveReflection.objects.exists()


@time_machine.travel(NOVEMBER)
def test_it_is_closed_outside_the_july_window(world, client_for):
    ready_plan(world)
    with trust_scope(world.trust):
        objectives = objectives_of(staff=world.staff, cycle=world.cycle)
    response = client_for(world.staff).post(
        "/reviews/reflection/", _form(objectives, ["met", "met", "met"])
    )
    assert response.status_code == 400
    assert b"open from 21 Jun 2027 to 9 Jul 2027" in response.content
    # The dashboards' "My year" table names the column; what must not be offered is the link.
    assert b'href="/reviews/reflection/"' not in client_for(world.staff).get("/").content


@time_machine.travel(JULY)
def test_it_refuses_someone_elses_objective(in_trust):
    world = in_trust
    ready_plan(world, staff=world.colleague)
    theirs = objectives_of(staff=world.colleague, cycle=world.cycle)[0]
    with pytest.raises(ValidationError):
        services.july_reflection_save(
            actor=world.staff,
            cycle=world.cycle,
            ratings={theirs.pk: ("met", "")},
            impact_self="",
            impact_others="",
            impact_trust="",
        )


@time_machine.travel(JULY)
def test_it_shows_the_reflection_to_the_reviewer_and_in_the_pdf(world, client_for):
    ready_plan(world)
    with trust_scope(world.trust):
        objectives = objectives_of(staff=world.staff, cycle=world.cycle)
    client_for(world.staff).post(
        "/reviews/reflection/", _form(objectives, ["met", "met", "partially_met"])
    )
    review = placed_review(world)
    page = client_for(world.manager).get(f"/reviews/{review.public_id}/placement/")
    assert b"More confident questioning." in page.content
    assert b"Partially met" in page.content
    with trust_scope(world.trust):
        context = statement_context(review)
    assert [o["rating"] for o in context["objectives"]] == ["Met", "Met", "Partially met"]
    assert context["objectives"][0]["area"] == "Impact on Self"


@time_machine.travel(JULY)
def test_it_offers_the_reflection_on_home_inside_the_window(world, client_for):
    ready_plan(world)
    assert b'href="/reviews/reflection/"' in client_for(world.staff).get("/").content
