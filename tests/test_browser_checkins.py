"""In Chromium, from the demo: the ECT 1 teacher records the check-in they have left
unrecorded, keeping the date the form pre-fills (the day it was due), and it is saved as held
with its two reflections, the colleague recognised, the thinking tool and the 360 feedback;
their line manager records the same overdue check-in as cancelled with a reason and opens the
feedback conversation form. Every check-in page passes axe and fits a laptop's and a phone's
width."""

from __future__ import annotations

import pytest
from django.utils.formats import date_format

from checkins.models import Checkin
from growth.security.tenancy import trust_scope
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone


@pytest.mark.browser
def test_it_records_a_checkin_in_the_browser(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    teacher = demo.person(people.TEACHER)
    colleague = demo.person("s1-t4")  # a maths teacher of the same school
    due = demo.checkins_left_to_record(teacher)[-1]
    sign_in(page, teacher, demo.password)
    page.get_by_role("heading", name="My check-ins").first.wait_for()
    assert_accessible(page, "home with check-in panel")
    assert_fits_on_laptop_and_phone(page, "home with check-in panel")
    follow_menu(page, "Check-ins")
    page.get_by_role("heading", name="My check-ins").wait_for()
    assert_accessible(page, "my check-ins")
    assert_fits_on_laptop_and_phone(page, "my check-ins")
    page.get_by_role("link", name=f"Record check-in of {date_format(due)}").click()
    page.get_by_label("Impact on Self: progress").wait_for()
    assert_accessible(page, "record a check-in")
    assert_fits_on_laptop_and_phone(page, "record a check-in")
    # The form offers the day the check-in was due: the teacher keeps it.
    assert page.get_by_label("Date held").input_value() == due.isoformat()
    page.get_by_label("Impact on Self: progress").fill("Tried modelling with Year 9.")
    page.get_by_label("Impact on Others: progress").fill("Coached a new colleague.")
    page.get_by_label("I am …").fill("modelling my thinking aloud")
    page.get_by_label("so that …").fill("students see what success looks like")
    page.get_by_label("Recognition of others").select_option(
        label=f"{colleague.full_name} ({colleague.job_title})"
    )
    page.get_by_label("Thinking Maps").check()
    page.get_by_label("Took part in 360 feedback").check()
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Check-in recorded.").wait_for()
    assert_accessible(page, "check-in detail")
    assert_fits_on_laptop_and_phone(page, "check-in detail")
    with trust_scope(demo.northbridge):
        checkin = Checkin.objects.get(staff_member=teacher, due_on=due)
        assert checkin.status == "held"
        assert checkin.held_on == due
        assert checkin.reflections.count() == 2
        assert list(checkin.thinking_tools.values_list("name", flat=True)) == ["Thinking Maps"]
        assert list(checkin.recognised.all()) == [colleague]
        assert checkin.took_part_in_360
    for path, where in (
        ("/checkins/observations/", "observations"),
        ("/checkins/calendar/", "calendar and reminders"),
        ("/checkins/observations/peer-visits/", "peer visits"),
    ):
        page.goto(live_server.url + path)
        assert_accessible(page, path)
        assert_fits_on_laptop_and_phone(page, where)


@pytest.mark.browser
def test_the_managers_pages_are_accessible(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    manager, teacher = demo.person(people.LINE_MANAGER), demo.person(people.TEACHER)
    due = demo.checkins_left_to_record(teacher)[-1]
    sign_in(page, manager, demo.password)
    assert_fits_on_laptop_and_phone(page, "the line manager's home")
    follow_menu(page, "Team check-ins")
    page.get_by_role("heading", name="Team check-ins").wait_for()
    assert_accessible(page, "team check-ins")
    assert_fits_on_laptop_and_phone(page, "team check-ins")
    page.get_by_role("link", name=teacher.full_name).first.click()
    page.get_by_role("heading", name=f"Check-ins: {teacher.full_name}").wait_for()
    assert_fits_on_laptop_and_phone(page, "the teacher's check-ins")
    page.get_by_role("link", name=f"Missed, moved or cancelled ({date_format(due)})").click()
    assert_accessible(page, "excuse form")
    assert_fits_on_laptop_and_phone(page, "excuse form")
    page.get_by_label("What happened").select_option("cancelled")
    page.get_by_label("Reason").fill("Staff training ran over.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Check-in updated.").wait_for()
    with trust_scope(demo.northbridge):
        checkin = Checkin.objects.get(staff_member=teacher, due_on=due)
        assert checkin.status == "cancelled"
        assert checkin.reason == "Staff training ran over."
    page.get_by_role("link", name="Feedback conversation").click()
    page.get_by_role("heading", name=f"Feedback conversation with {teacher.full_name}").wait_for()
    assert_accessible(page, "feedback conversation form")
    assert_fits_on_laptop_and_phone(page, "feedback conversation form")
