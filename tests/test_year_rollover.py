"""September sets itself up (growth/domain/rollover.py): next year's cycle from this one with its
dates moved for review, objectives carried forward in one click, career stages moved only
once HR confirms, leavers ended — and nothing of last year changed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.forms.models import model_to_dict

from checkins.models import Checkin
from growth.domain.rollover import (
    cycle_rollover,
    cycle_rollover_proposal,
    leavers_due,
    stage_moves_proposed,
)
from growth.models import Closure, GrowthCycle, GrowthProgress, StaffMember, Term, Trust
from growth.security.tenancy import trust_scope
from objectives.models import GrowthPlan, Objective
from reviews.models import Review
from reviews.services import july_reflection_save
from tests.factories import career_stages, make_staff
from tests.objectives_fixtures import bank, ready_plan  # noqa: F401

NEXT_SEPTEMBER = dt.datetime(2027, 9, 6, 10, tzinfo=dt.UTC)


def roll_over(world_or_trust, cycle=None, admin=None) -> GrowthCycle:
    trust = getattr(world_or_trust, "trust", world_or_trust)
    cycle = cycle or world_or_trust.cycle
    with trust_scope(trust):
        proposal = cycle_rollover_proposal(cycle=cycle)
        return cycle_rollover(
            actor=admin,
            trust=trust,
            source=cycle,
            values=proposal.values,
            terms=proposal.terms,
            closures=proposal.closures,
        )


def test_it_proposes_next_years_dates_for_review(world):
    with trust_scope(world.trust):
        proposal = cycle_rollover_proposal(cycle=world.cycle)
    values = proposal.values
    assert values["name"] == "2027-28"
    assert values["start_date"] == dt.date(2027, 9, 1)
    assert values["objectives_deadline"] == dt.date(2027, 10, 31)
    assert values["reflection_closes"] == dt.date(2028, 7, 9)
    autumn = proposal.terms[0]
    assert autumn.name == "Autumn 1"
    # Same day of the week as this year's first day of term, within two days of a year on.
    assert autumn.start_date.weekday() == dt.date(2026, 9, 2).weekday()
    assert abs((autumn.start_date - dt.date(2027, 9, 2)).days) <= 2
    with trust_scope(world.trust):
        assert not GrowthCycle.objects.filter(name="2027-28").exists()  # nothing saved


def _last_year(trust: Trust, cycle: GrowthCycle) -> dict:
    with trust_scope(trust):
        return {
            "cycle": model_to_dict(GrowthCycle.objects.get(pk=cycle.pk)),
            "terms": list(Term.objects.filter(cycle=cycle).values()),
            "closures": list(Closure.objects.filter(cycle=cycle).values()),
            "plans": list(GrowthPlan.objects.filter(cycle=cycle).order_by("pk").values()),
            "objectives": list(Objective.objects.filter(plan__cycle=cycle).order_by("pk").values()),
            "checkins": list(Checkin.objects.filter(cycle=cycle).order_by("pk").values()),
            "reviews": list(Review.objects.filter(cycle=cycle).order_by("pk").values()),
            "progress": GrowthProgress.objects.filter(cycle=cycle).count(),
        }


@pytest.mark.usefixtures("bank")
def test_it_carries_an_unfinished_objective_forward_in_one_click(world, client_for):
    old_plan = ready_plan(world)
    with trust_scope(world.trust):
        old_self = Objective.objects.get(plan=old_plan, area="self")
        old_words = model_to_dict(old_self)
    new = roll_over(world)
    with time_machine.travel(NEXT_SEPTEMBER):
        client = client_for(world.staff)  # signed in then: a session of 2026 has expired
        page = client.get("/objectives/").content.decode()
        assert "Carry forward from 2026-27" in page
        response = client.post(f"/objectives/objective/{old_self.public_id}/carry-forward/")
        assert response.status_code == 302
        with trust_scope(world.trust):
            carried = Objective.objects.get(plan__cycle=new, area="self")
            assert carried.to_text == old_self.to_text
            assert carried.carried_forward_from_id == old_self.pk
            assert carried.by_date == dt.date(2028, 7, 1)
            assert model_to_dict(Objective.objects.get(pk=old_self.pk)) == old_words
        plan_page = client.get(response["Location"]).content.decode()
        assert "Carried forward" in plan_page
        # Offered once: carried, it leaves the list.
        assert f"/objectives/objective/{old_self.public_id}/carry-forward/" not in plan_page
        # Last year stays readable to the line manager who could read it.
        old_url = f"/objectives/plan/{old_plan.public_id}/"
        assert client_for(world.manager).get(old_url).status_code == 200
        assert client.get(old_url).status_code == 200


def test_it_moves_career_stages_only_after_hr_confirms(world, client_for):
    career_stages()
    ect2 = make_staff(world.trust, world.school, first_name="Eve", stage="ect2")
    ect1 = world.other_school_staff
    with trust_scope(world.trust):
        proposed = {m.staff.pk: m.to_stage.code for m in stage_moves_proposed(trust=world.trust)}
    assert proposed == {ect1.pk: "ect2", ect2.pk: "mpr"}
    admin = client_for(world.admin)
    page = admin.get("/trust/new-year/").content.decode()
    assert "Eve Tester" in page and "Oli Tester" in page
    ect1.refresh_from_db()
    assert ect1.career_stage.code == "ect1"  # showing the list changed nothing
    # HR keeps Eve at ECT 2 (induction extended) and confirms Oli's move.
    response = admin.post(
        "/trust/new-year/",
        {
            f"stage_{ect1.public_id.hex}": "ect2",
            f"stage_{ect2.public_id.hex}": "",
            "action": "stages",
        },
    )
    assert response.status_code == 302
    ect1.refresh_from_db()
    ect2.refresh_from_db()
    assert ect1.career_stage.code == "ect2"
    assert ect2.career_stage.code == "ect2"
    assert client_for(world.staff).get("/trust/new-year/").status_code == 403


def test_it_refuses_a_stage_that_does_not_exist_naming_the_person(world, client_for):
    ect1 = world.other_school_staff
    response = client_for(world.admin).post(
        "/trust/new-year/", {f"stage_{ect1.public_id.hex}": "wizard", "action": "stages"}
    )
    assert response.status_code == 400
    assert "Oli Tester" in response.content.decode()
    ect1.refresh_from_db()
    assert ect1.career_stage.code == "ect1"


def test_it_ends_leavers_whose_leaving_date_has_passed(world, client_for):
    with trust_scope(world.trust):
        StaffMember.objects.filter(pk=world.colleague.pk).update(leave_date=dt.date(2026, 8, 31))
        StaffMember.objects.filter(pk=world.support.pk).update(leave_date=dt.date(2099, 8, 31))
        assert [p.pk for p in leavers_due(trust=world.trust)] == [world.colleague.pk]
    admin = client_for(world.admin)
    assert "Cal Tester" in admin.get("/trust/new-year/").content.decode()
    assert admin.post("/trust/new-year/", {"action": "leavers"}).status_code == 302
    world.colleague.refresh_from_db()
    world.support.refresh_from_db()
    assert not world.colleague.is_active
    assert world.support.is_active


def test_the_admin_reviews_the_moved_dates_and_creates_the_cycle_in_one_step(world, client_for):
    admin = client_for(world.admin)
    url = f"/trust/cycles/{world.cycle.public_id}/next-year/"
    page = admin.get(url).content.decode()
    assert 'value="2027-28"' in page
    assert 'value="2027-10-31"' in page
    with trust_scope(world.trust):
        proposal = cycle_rollover_proposal(cycle=world.cycle)
    data = {k: (v.isoformat() if v else "") for k, v in proposal.values.items() if k != "name"}
    data["name"] = "2027-28"
    data["objectives_deadline"] = "2027-11-05"  # the admin moves one date before saving
    for prefix, rows in (("terms", proposal.terms), ("closures", proposal.closures)):
        # As the page sends them: the proposed rows are the formset's initial forms.
        data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-name"] = row.name
            data[f"{prefix}-{i}-start_date"] = row.start_date.isoformat()
            data[f"{prefix}-{i}-end_date"] = row.end_date.isoformat()
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/trust/new-year/"
    with trust_scope(world.trust):
        new = GrowthCycle.objects.get(name="2027-28")
        assert new.objectives_deadline == dt.date(2027, 11, 5)
        assert new.terms.count() == 6


def test_it_refuses_next_years_dates_that_do_not_fit_naming_the_field(world, client_for):
    url = f"/trust/cycles/{world.cycle.public_id}/next-year/"
    data = {
        "name": "2027-28",
        "start_date": "2027-09-01",
        "end_date": "2028-08-31",
        "objectives_deadline": "2029-10-31",
        "reflection_opens": "2028-06-21",
        "reflection_closes": "2028-07-09",
        "review_deadline": "2028-07-16",
        "final_decision_deadline": "2028-07-21",
        "terms-TOTAL_FORMS": 0,
        "terms-INITIAL_FORMS": 0,
        "closures-TOTAL_FORMS": 0,
        "closures-INITIAL_FORMS": 0,
    }
    response = client_for(world.admin).post(url, data)
    assert response.status_code == 400
    assert "This date must fall inside the cycle." in response.content.decode()
    with trust_scope(world.trust):
        assert not GrowthCycle.objects.filter(name="2027-28").exists()


@pytest.mark.usefixtures("bank")
def test_carry_forward_offers_only_what_the_july_reflection_did_not_rate_met(world, client_for):
    old_plan = ready_plan(world)
    with trust_scope(world.trust):
        old = {o.area: o for o in Objective.objects.filter(plan=old_plan)}
        july = world.cycle.reflection_opens
        with time_machine.travel(dt.datetime.combine(july, dt.time(12), tzinfo=dt.UTC)):
            july_reflection_save(
                actor=world.staff,
                cycle=world.cycle,
                ratings={
                    old["self"].pk: ("met", "Done."),
                    old["others"].pk: ("partially_met", "Half way."),
                    old["trust"].pk: ("not_met", "Not yet."),
                },
                impact_self="Self",
                impact_others="Others",
                impact_trust="Trust",
                submit=True,
            )
    roll_over(world)
    with time_machine.travel(NEXT_SEPTEMBER):
        page = client_for(world.staff).get("/objectives/").content.decode()
    assert f"/objectives/objective/{old['self'].public_id}/carry-forward/" not in page
    assert f"/objectives/objective/{old['others'].public_id}/carry-forward/" in page
    assert f"/objectives/objective/{old['trust'].public_id}/carry-forward/" in page
