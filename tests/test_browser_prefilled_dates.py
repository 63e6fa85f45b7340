"""In Chromium: every form whose date the server fills in saves as it comes, without anyone
typing a date. A browser's date input shows only an ISO value (2026-09-15); anything else
leaves it blank and the first save fails with "This field is required"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from checkins.models import Checkin, FeedbackConversation, Observation
from growth.security.tenancy import trust_scope


def _date_input_value(page, label: str) -> str:
    # Crispy marks a required field's label with an asterisk (and spaces around it).
    return page.get_by_label(re.compile(rf"^\s*{label}\*?\s*$")).input_value()


@pytest.mark.browser
def test_a_checkin_saves_with_the_date_held_it_was_given(
    follow_menu, world, live_server, page, sign_in
):
    sign_in(page, world.staff)
    follow_menu(page, "Check-ins")
    page.get_by_role("link", name="Record check-in of 15 Sep 2026").click()
    assert _date_input_value(page, "Date held") == "2026-09-15"
    page.get_by_label("Impact on Self: progress").fill("Tried modelling with Year 9.")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Check-in recorded.").wait_for()
    with trust_scope(world.trust):
        checkin = Checkin.objects.get(staff_member=world.staff)
    assert checkin.held_on == dt.date(2026, 9, 15)
    # The detail page writes the date the way every page does.
    assert page.get_by_text(date_format(checkin.held_on)).first.is_visible()


@pytest.mark.browser
def test_an_observation_is_arranged_and_agreed_on_the_date_it_was_given(
    follow_menu, world, live_server, page, sign_in
):
    today = timezone.localdate()
    sign_in(page, world.staff)
    follow_menu(page, "Observations")
    assert _date_input_value(page, "Date") == today.isoformat()
    page.get_by_label("Observer").select_option(
        label=f"{world.manager.full_name} ({world.manager.job_title}, {world.school.name})"
    )
    page.get_by_role("button", name="Arrange").click()
    page.get_by_text("Observation arranged.").wait_for()
    # The observee then agrees the timing and focus: the arranged date is already there.
    assert _date_input_value(page, "Date") == today.isoformat()
    page.get_by_label("Focus in a few words").fill("Questioning in Year 9")
    page.get_by_role("button", name="Agree").click()
    page.get_by_text("Timing and focus agreed.").wait_for()
    with trust_scope(world.trust):
        observation = Observation.objects.get(observee=world.staff)
    assert observation.date == today
    assert observation.focus_note == "Questioning in Year 9"


@pytest.mark.browser
def test_a_feedback_conversation_saves_with_the_date_it_was_given(
    world, live_server, page, sign_in
):
    today = timezone.localdate()
    sign_in(page, world.manager)
    page.goto(f"{live_server.url}/checkins/people/{world.staff.public_id}/")
    page.get_by_role("link", name="Feedback conversation").click()
    assert _date_input_value(page, "Date of the conversation") == today.isoformat()
    page.get_by_role("textbox", name="Praise").fill("Your modelling made the task clear.")
    page.get_by_role("textbox", name="Probe").fill("What did the quieter students do?")
    page.get_by_role("textbox", name="Next action step").fill("Cold-call after modelling.")
    page.locator('input[name=support_level][value="1"]').check()
    page.get_by_role("textbox", name="Plan ahead").fill("Use it in Thursday's lesson.")
    # The one date nobody filled in: the browser's date input takes typed digits.
    in_a_fortnight = (today + dt.timedelta(days=14)).isoformat()
    page.get_by_role("textbox", name="Timeline: in place by").fill(in_a_fortnight)
    page.get_by_role("textbox", name="By next week I am …").fill("cold-calling after modelling")
    page.get_by_role("textbox", name="so that the students …").fill("all think about the question")
    page.get_by_role("button", name="Save and confirm").click()
    page.get_by_text("Feedback conversation saved.").wait_for()
    with trust_scope(world.trust):
        conversation = FeedbackConversation.objects.get(staff_member=world.staff)
    assert conversation.held_on == today
