"""A check-in recorded in Chromium, and every check-in page axe-clean."""

from __future__ import annotations

import pytest

from checkins.models import Checkin
from growth.security.tenancy import trust_scope


@pytest.mark.browser
def test_it_records_a_checkin_in_the_browser(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    sign_in(page, world.staff)
    assert_accessible(page, "home with check-in panel")
    follow_menu(page, "Check-ins")
    page.get_by_role("heading", name="My check-ins").wait_for()
    assert_accessible(page, "my check-ins")
    page.get_by_role("link", name="Record check-in of 15 Sep 2026").click()
    page.get_by_label("Impact on Self: progress").wait_for()
    assert_accessible(page, "record a check-in")
    page.get_by_label("Date held").fill("2026-09-15")
    page.get_by_label("Impact on Self: progress").fill("Tried modelling with Year 9.")
    page.get_by_label("Impact on Others: progress").fill("Coached a new colleague.")
    page.get_by_label("I am …").fill("modelling my thinking aloud")
    page.get_by_label("so that …").fill("students see what success looks like")
    page.get_by_label("Recognition of others").select_option(
        label=f"{world.colleague.full_name} ({world.colleague.job_title})"
    )
    page.get_by_label("Thinking Maps").check()
    page.get_by_label("Took part in 360 feedback").check()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Check-in recorded.").wait_for()
    assert_accessible(page, "check-in detail")
    with trust_scope(world.trust):
        checkin = Checkin.objects.get(staff_member=world.staff)
        assert checkin.status == "held"
        assert checkin.reflections.count() == 2
        assert list(checkin.thinking_tools.values_list("name", flat=True)) == ["Thinking Maps"]
    for path in (
        "/checkins/observations/",
        "/checkins/calendar/",
        "/checkins/observations/peer-visits/",
    ):
        page.goto(live_server.url + path)
        assert_accessible(page, path)


@pytest.mark.browser
def test_the_managers_pages_are_accessible(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    sign_in(page, world.manager)
    follow_menu(page, "Team check-ins")
    page.get_by_role("heading", name="Team check-ins").wait_for()
    assert_accessible(page, "team check-ins")
    page.get_by_role("link", name=world.staff.full_name).first.click()
    page.get_by_role("link", name="Missed, moved or cancelled (15 Sep 2026)").click()
    assert_accessible(page, "excuse form")
    page.get_by_label("What happened").select_option("cancelled")
    page.get_by_label("Reason").fill("Staff training ran over.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Check-in updated.").wait_for()
    page.get_by_role("link", name="Feedback conversation").click()
    assert_accessible(page, "feedback conversation form")
