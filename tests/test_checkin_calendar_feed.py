"""The private calendar feed: every check-in date; a revoked token is a 404."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from icalendar import Calendar

from checkins import services
from checkins.selectors import expected_dates
from growth.security.tenancy import trust_scope
from tests.hardening_fixtures import as_app_role


def test_it_serves_all_check_in_dates_and_404s_once_the_link_is_reset(world, client_for):
    client = client_for(world.staff)
    page = client.get(reverse("checkins:calendar"))
    assert page.status_code == 200
    feed_url = page.context["feed_url"]
    anonymous = client_for(None)
    feed = anonymous.get(feed_url)
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    with trust_scope(world.trust):
        dates = expected_dates(staff=world.staff, cycle=world.cycle)
    assert sorted(e.decoded("dtstart").date() for e in events) == dates
    assert client.post(reverse("checkins:calendar_revoke")).status_code == 302
    assert anonymous.get(feed_url).status_code == 404
    new_url = client.get(reverse("checkins:calendar")).context["feed_url"]
    assert new_url != feed_url and anonymous.get(new_url).status_code == 200


def test_it_shows_a_moved_check_in_on_its_new_date_with_the_same_uid(world, client_for):
    with trust_scope(world.trust):
        first = expected_dates(staff=world.staff, cycle=world.cycle)[0]
        pref = services.reminder_preference_get(staff=world.staff)
        feed_url = reverse("checkins:feed", kwargs={"token": pref.feed_token})
        before = Calendar.from_ical(client_for(None).get(feed_url).content).walk("VEVENT")[0]
        services.checkin_excuse(
            actor=world.staff,
            staff=world.staff,
            cycle=world.cycle,
            due_on=first,
            status="moved",
            reason="Trip",
            moved_to=dt.date(2026, 9, 17),
        )
    after = Calendar.from_ical(client_for(None).get(feed_url).content).walk("VEVENT")[0]
    assert after["uid"] == before["uid"]
    assert after.decoded("dtstart").date() == dt.date(2026, 9, 17)


def test_it_404s_an_unknown_token(client_for, db):
    assert client_for(None).get("/checkins/feed/not-a-token.ics").status_code == 404


def test_it_lets_a_line_manager_choose_the_weekly_digest(world, client_for):
    client = client_for(world.manager)
    assert b"weekly email" in client.get(reverse("checkins:calendar")).content
    client.post(reverse("checkins:calendar"), {"weekly_digest": "on"})
    with trust_scope(world.trust):
        assert services.reminder_preference_get(staff=world.manager).weekly_digest


def test_it_serves_the_feed_to_an_anonymous_calendar_app_under_row_level_security(
    world, client_for
):
    with trust_scope(world.trust):
        pref = services.reminder_preference_get(staff=world.staff)
        dates = expected_dates(staff=world.staff, cycle=world.cycle)
    url = reverse("checkins:feed", kwargs={"token": pref.feed_token})
    with as_app_role():
        feed = client_for(None).get(url)
        missing = client_for(None).get(url.replace(pref.feed_token[:8], "x" * 8))
    assert feed.status_code == 200
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == len(dates)
    assert missing.status_code == 404
