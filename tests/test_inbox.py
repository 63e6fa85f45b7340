""" "Waiting for me" (growth/navigation/inbox.py): each kind of item appears when it is due and
leaves when it is done; the list costs the same queries for a small and a large team."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkins import services as checkin_services
from checkins.selectors import expected_dates
from growth.navigation.inbox import inbox_for
from growth.reporting.progress import progress_refresh
from growth.security.tenancy import trust_scope
from objectives import services as plan_services
from objectives.selectors import objectives_of
from reviews import services as review_services
from standards.services import (
    self_review_comment,
    self_review_save,
    self_review_share,
    self_review_start,
)
from tests.dashboards_fixtures import add_people, grow
from tests.objectives_fixtures import bank, ready_plan  # noqa: F401
from tests.reviews_fixtures import placed_review
from tests.standards_fixtures import rate_everything, shipped_standards  # noqa: F401

NOVEMBER = dt.date(2026, 11, 10)
JULY = dt.datetime(2027, 7, 1, 12, tzinfo=dt.UTC)


def titles(person, today=NOVEMBER) -> list[str]:
    with trust_scope(person.trust_id):
        return [item.title for item in inbox_for(viewer=person, today=today).items]


@pytest.mark.usefixtures("bank")
def test_it_asks_for_a_plan_then_its_agreement_then_nothing(world):
    assert "Write your growth plan" in titles(world.staff)
    plan = ready_plan(world)
    with trust_scope(world.trust):
        plan_services.plan_submit(actor=world.staff, plan=plan)
    assert "Write your growth plan" not in titles(world.staff)
    assert "Agree Sam Tester's growth plan" in titles(world.manager)
    with trust_scope(world.trust):
        plan_services.plan_request_changes(actor=world.manager, plan=plan, comment="Sharper")
    assert "Agree Sam Tester's growth plan" not in titles(world.manager)
    assert "Rework your growth plan" in titles(world.staff)
    with trust_scope(world.trust):
        plan.refresh_from_db()
        plan_services.plan_submit(actor=world.staff, plan=plan)
        plan.refresh_from_db()
        plan_services.plan_agree(actor=world.manager, plan=plan)
    assert not [t for t in titles(world.staff) if "plan" in t]
    assert "Agree Sam Tester's growth plan" not in titles(world.manager)


def test_it_asks_for_a_check_in_once_one_is_due_and_not_after_it_is_recorded(world):
    with trust_scope(world.trust):
        first = expected_dates(staff=world.staff, cycle=world.cycle)[0]
        progress_refresh(people=[world.staff], cycle=world.cycle, today=first - dt.timedelta(1))
    assert "Check in with Sam Tester" not in titles(world.manager, first - dt.timedelta(1))
    with trust_scope(world.trust):
        progress_refresh(people=[world.staff], cycle=world.cycle, today=first)
    assert "Check in with Sam Tester" in titles(world.manager, first)
    assert "Hold and record your check-in" in titles(world.staff, first)
    with trust_scope(world.trust):
        checkin_services.checkin_record(
            actor=world.manager,
            staff=world.staff,
            cycle=world.cycle,
            data=checkin_services.CheckinData(held_on=first),
            due_on=first,
        )
        progress_refresh(people=[world.staff], cycle=world.cycle, today=first)
    assert "Check in with Sam Tester" not in titles(world.manager, first)
    assert "Hold and record your check-in" not in titles(world.staff, first)


def test_it_asks_the_observee_to_agree_an_observation_until_they_do(world):
    with trust_scope(world.trust):
        observation = checkin_services.observation_create(
            actor=world.manager,
            cycle=world.cycle,
            observee=world.staff,
            observer=world.manager,
            date=dt.date(2026, 11, 20),
            minutes=20,
            purpose="support",
            focus_area="self",
        )
    wanted = "Agree the timing and focus of Mo Tester's observation"
    assert wanted in titles(world.staff)
    assert wanted not in titles(world.manager)
    with trust_scope(world.trust):
        checkin_services.observation_agree(
            actor=world.staff, observation=observation, date=observation.date, focus_area="self"
        )
    assert wanted not in titles(world.staff)


def test_it_asks_the_colleague_to_confirm_feedback_until_they_do(world):
    with trust_scope(world.trust):
        conversation = checkin_services.feedback_create(
            actor=world.manager,
            staff=world.staff,
            data=checkin_services.FeedbackData(
                held_on=dt.date(2026, 11, 5),
                praise="Clear modelling",
                probing_question="What next?",
                next_action_step="Cold call",
                support_level=2,
                plan_ahead="Plan the questions",
                timeline=dt.date(2026, 11, 12),
                lock_in_i_am="cold calling",
                lock_in_so_that="everyone thinks",
            ),
        )
    wanted = "Confirm the next step from your feedback conversation with Mo Tester"
    assert wanted in titles(world.staff)
    with trust_scope(world.trust):
        checkin_services.feedback_confirm(
            actor=world.staff, conversation=conversation, summary="I will cold call."
        )
    assert wanted not in titles(world.staff)


@pytest.mark.usefixtures("shipped_standards")
def test_it_asks_the_manager_to_read_a_shared_self_review_until_they_comment(world):
    with trust_scope(world.trust):
        review = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
        self_review_save(
            actor=world.staff,
            review=review,
            ratings=rate_everything(review),
            next_steps={},
            reflections={},
        )
    wanted = "Read Sam Tester's self-review and comment"
    assert wanted not in titles(world.manager)
    with trust_scope(world.trust):
        self_review_share(actor=world.staff, review=review)
    assert wanted in titles(world.manager)
    with trust_scope(world.trust):
        self_review_comment(actor=world.manager, review=review, text="Thank you")
    assert wanted not in titles(world.manager)


@time_machine.travel(JULY)
@pytest.mark.usefixtures("bank")
def test_it_asks_for_the_july_reflection_review_decision_and_acknowledgement_in_turn(world):
    ready_plan(world)
    july = JULY.date()
    assert "Write your July reflection" in titles(world.staff, july)
    assert "Write Sam Tester's review" in titles(world.manager, july)
    with trust_scope(world.trust):
        objectives = objectives_of(staff=world.staff, cycle=world.cycle)
        review_services.july_reflection_save(
            actor=world.staff,
            cycle=world.cycle,
            ratings={o.pk: ("met", "") for o in objectives},
            impact_self="More confident questioning.",
            impact_others="Shared with the department.",
            impact_trust="Reading across the trust.",
            submit=True,
        )
    assert "Write your July reflection" not in titles(world.staff, july)
    review = placed_review(world, submit=True)
    assert "Write Sam Tester's review" not in titles(world.manager, july)
    decision = "Make the final decision on Sam Tester's review"
    assert decision in titles(world.head, july)
    assert decision not in titles(world.manager, july)
    with trust_scope(world.trust):
        review_services.review_decide(
            actor=world.head, review=review, outcome=review.placed_outcome
        )
    assert decision not in titles(world.head, july)
    statement = "Read and acknowledge your growth statement"
    assert statement in titles(world.staff, july)
    with trust_scope(world.trust):
        review.refresh_from_db()
        review_services.review_acknowledge(actor=world.staff, review=review)
    assert statement not in titles(world.staff, july)


def test_it_lists_the_newest_first_within_a_group(world):
    with trust_scope(world.trust):
        for day in (dt.date(2026, 11, 18), dt.date(2026, 11, 25)):
            checkin_services.observation_create(
                actor=world.manager,
                cycle=world.cycle,
                observee=world.staff,
                observer=world.manager,
                date=day,
                minutes=10,
                purpose="support",
                focus_area="self",
            )
        inbox = inbox_for(viewer=world.staff, today=NOVEMBER)
    group = next(g for g in inbox.groups if g.key == "observations")
    assert [i.due for i in group.items] == [dt.date(2026, 11, 25), dt.date(2026, 11, 18)]


def _queries_for(world, viewer) -> int:
    with trust_scope(world.trust), CaptureQueriesContext(connection) as captured:
        inbox = inbox_for(viewer=viewer, today=dt.date(2026, 12, 1))
    assert inbox.count  # the team is behind with something: the list is not empty
    return len(captured)


@pytest.mark.parametrize("team_size", [3, 30])
def test_it_costs_a_fixed_number_of_queries_whatever_the_team_size(
    world, client_for, django_assert_max_num_queries, team_size
):
    grow(world, team_size)
    # One query per source at most: plans, check-ins, observations, feedback, self-reviews,
    # reviews, decisions, learning (and the cycle, and the leaders the viewer is named to
    # review, read before the rows).
    with trust_scope(world.trust), django_assert_max_num_queries(10):
        inbox_for(viewer=world.manager, today=dt.date(2026, 12, 1))
    client = client_for(world.manager)
    client.get("/inbox/")  # warm the per-process caches
    with django_assert_max_num_queries(16):
        response = client.get("/inbox/")
    assert response.status_code == 200


def test_it_costs_the_same_queries_for_a_team_of_3_and_of_30(world):
    add_people(world, 3)
    _queries_for(world, world.manager)  # the first fills the per-process caches
    small = _queries_for(world, world.manager)
    add_people(world, 27)
    assert _queries_for(world, world.manager) == small


def test_it_shows_the_count_in_the_header_of_every_page(world, client_for):
    with trust_scope(world.trust):
        waiting = inbox_for(viewer=world.staff).count
    assert waiting >= 1
    client = client_for(world.staff)
    for url in ("/", "/checkins/", "/objectives/"):
        page = client.get(url, follow=True).content.decode()
        # The header loads its count after the page, from one small request of its own.
        assert 'hx-get="/inbox/count/"' in page, url
    count = client.get("/inbox/count/").content.decode()
    assert f'data-inbox-count="{waiting}"' in count
    page = client.get("/inbox/").content.decode()
    assert "Write your growth plan" in page
    assert 'href="/objectives/"' in page


def test_it_is_on_every_role_home(world, client_for):
    for person in world.everyone.values():
        client = client_for(person)
        page = client.get("/").content.decode()
        assert 'id="panel-inbox"' in page and 'hx-get="/inbox/panel/"' in page
        assert client.get("/inbox/panel/").status_code == 200


def test_a_leaders_review_waits_for_the_reviewer_the_trust_named_not_their_line_manager(world):
    from growth.domain.services import leader_review_arrange
    from tests.duties_fixtures import make_ceo
    from tests.factories import make_staff

    ceo = make_ceo(world)  # the head's line manager
    july = JULY.date()
    wanted = f"Write {world.head.full_name}'s review"
    assert wanted in titles(ceo, july)
    executive = make_staff(
        world.trust, world.central, first_name="Eli", category="central", job_title="Executive"
    )
    with trust_scope(world.trust):
        leader_review_arrange(actor=None, leader=world.head, reviewer=executive, adviser=None)
    assert wanted in titles(executive, july)
    assert wanted not in titles(ceo, july)
    # Not before the review window opens.
    assert wanted not in titles(executive, NOVEMBER)
