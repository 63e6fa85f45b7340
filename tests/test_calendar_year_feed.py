"""One calendar: the private feed carries the year's other dates besides the check-ins —
observations, deadlines (objectives, July reflection, reviews) and the review window — and
each stays one entry whose UID never changes. Validated with the ``icalendar`` parser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from checkins import services
from growth.security.tenancy import trust_scope
from tests.objectives_fixtures import bank, ready_plan  # noqa: F401


def feed_of(client_for, person) -> dict[str, object]:
    with trust_scope(person.trust_id):
        token = services.reminder_preference_get(staff=person).feed_token
    response = client_for(None).get(reverse("checkins:feed", kwargs={"token": token}))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert calendar["version"] == "2.0"
    events = calendar.walk("VEVENT")
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids))  # each entry once
    return {str(e["summary"]): e for e in events}


def day(event, field="dtstart") -> dt.date:
    return event.decoded(field)


@pytest.mark.usefixtures("bank")
def test_it_carries_the_staff_members_observations_and_deadlines(world, client_for):
    ready_plan(world)
    with trust_scope(world.trust):
        observation = services.observation_create(
            actor=world.manager,
            cycle=world.cycle,
            observee=world.staff,
            observer=world.manager,
            date=dt.date(2026, 11, 20),
            minutes=20,
            purpose="support",
            focus_area="self",
        )
    events = feed_of(client_for, world.staff)
    seen = events["Observation (20 minutes), observed by Mo Tester"]
    assert day(seen) == dt.date(2026, 11, 20)
    assert day(seen, "dtend") == dt.date(2026, 11, 21)  # an all-day entry
    assert str(seen["uid"]) == f"observation-{observation.public_id}@professional-growth"
    assert day(events["Growth plan: objectives agreed by today"]) == dt.date(2026, 10, 31)
    reflection = events["July reflection window"]
    assert day(reflection) == dt.date(2027, 6, 21)
    assert day(reflection, "dtend") == dt.date(2027, 7, 10)  # the day after it closes
    assert day(events["Impact on Self objective: by today"]) == dt.date(2027, 7, 1)
    assert "Reviews due today" not in events  # Sam reviews nobody
    # The observer sees the same observation from their side.
    manager = feed_of(client_for, world.manager)
    assert "Observation (20 minutes), observing Sam Tester" in manager


def test_it_carries_the_review_window_and_deadlines_to_reviewers(world, client_for):
    manager = feed_of(client_for, world.manager)
    window = manager["Review window: reviews are written and submitted"]
    with trust_scope(world.trust):
        opens, closes = world.cycle.review_window()
    assert day(window) == opens
    assert day(window, "dtend") == closes + dt.timedelta(days=1)
    assert day(manager["Reviews due today"]) == world.cycle.review_deadline
    assert "Final decisions due today" not in manager
    head = feed_of(client_for, world.head)
    assert day(head["Final decisions due today"]) == world.cycle.final_decision_deadline


def test_a_cancelled_observation_stays_one_entry_marked_cancelled(world, client_for):
    with trust_scope(world.trust):
        observation = services.observation_create(
            actor=world.manager,
            cycle=world.cycle,
            observee=world.staff,
            observer=world.manager,
            date=dt.date(2026, 11, 20),
            minutes=20,
            purpose="support",
            focus_area="self",
        )
        services.observation_cancel(actor=world.manager, observation=observation)
    events = feed_of(client_for, world.staff)
    assert str(events["Observation (20 minutes), observed by Mo Tester"]["status"]) == "CANCELLED"


def test_a_changed_deadline_moves_the_entry_it_already_made(world, client_for):
    before = feed_of(client_for, world.staff)["Growth plan: objectives agreed by today"]
    with trust_scope(world.trust):
        world.cycle.objectives_deadline = dt.date(2026, 11, 6)
        world.cycle.save(update_fields=["objectives_deadline"])
    after = feed_of(client_for, world.staff)["Growth plan: objectives agreed by today"]
    assert after["uid"] == before["uid"]
    assert day(after) == dt.date(2026, 11, 6)


def test_each_persons_link_can_be_reset(world, client_for):
    client = client_for(world.staff)
    old = client.get(reverse("checkins:calendar")).context["feed_url"]
    assert client.post(reverse("checkins:calendar_revoke")).status_code == 302
    assert client_for(None).get(old).status_code == 404
    new = client.get(reverse("checkins:calendar")).context["feed_url"]
    assert client_for(None).get(new).status_code == 200
