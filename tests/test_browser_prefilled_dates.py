"""In Chromium, starting from the demo trusts (tests/demo.py): every form whose date the server
fills in saves as it comes, without anyone typing a date. A browser's date input shows only an
ISO value (2026-09-15); anything else leaves it blank and the first save fails with "This field
is required".

The demo's ECT 1 teacher records the check-in the demo left them to record, its date held as
the form gives it (the date it was due); a teacher with no observation yet this term arranges
one for today and agrees its timing and focus, the date kept both times; and the teacher's line
manager holds a feedback conversation dated today by the form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from checkins.models import Checkin, FeedbackConversation, Observation
from checkins.selectors import term_of, unrequested_minutes_in_term
from growth.domain.selectors import cycle_current
from growth.models import StaffMember
from growth.security.tenancy import trust_scope
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone

# The demo's teachers of the first school, in the order a test looks for one.
TEACHERS = [people.TEACHER, people.TEACHER_AGREED, *(f"s1-t{n}" for n in range(3, 9))]


def _date_input_value(page, label: str) -> str:
    # Crispy marks a required field's label with an asterisk (and spaces around it).
    return page.get_by_label(re.compile(rf"^\s*{label}\*?\s*$")).input_value()


def free_to_be_observed_today(demo, minutes: int) -> StaffMember:
    """The first of the demo's teachers whose observation minutes this term leave room for
    `minutes` more today (the demo arranges observations on dates of its own)."""
    trust = demo.northbridge
    with trust_scope(trust):
        term = term_of(cycle=cycle_current(trust=trust), day=timezone.localdate())
        assert term is not None, "today is in a school holiday: no observation can be arranged"
        for key in TEACHERS:
            person = demo.person(key)
            used = unrequested_minutes_in_term(
                observee=person,
                term=term,
                peer_visits_count=trust.peer_visits_use_observation_minutes,
            )
            if used + minutes <= trust.observation_minutes_per_term:
                return person
    raise AssertionError(f"every demo teacher has been observed in {term.name} already")


@pytest.mark.browser
def test_a_checkin_saves_with_the_date_held_it_was_given(
    follow_menu, demo, live_server, page, sign_in
):
    teacher = demo.person(people.TEACHER)
    due = demo.checkins_left_to_record(teacher)[0]
    sign_in(page, teacher, demo.password)
    follow_menu(page, "Check-ins")
    page.get_by_role("heading", name="My check-ins").wait_for()
    assert_fits_on_laptop_and_phone(page, "my check-ins")
    page.get_by_role("link", name=f"Record check-in of {date_format(due)}").click()
    page.get_by_label("Impact on Self: progress").wait_for()
    assert _date_input_value(page, "Date held") == due.isoformat()
    assert_fits_on_laptop_and_phone(page, "record a check-in")
    page.get_by_label("Impact on Self: progress").fill("Tried modelling with Year 9.")
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Check-in recorded.").wait_for()
    with trust_scope(demo.northbridge):
        checkin = Checkin.objects.for_trust(demo.northbridge).get(staff_member=teacher, due_on=due)
    assert checkin.status == Checkin.Status.HELD
    assert checkin.held_on == due
    # The detail page writes the date the way every page does.
    assert page.get_by_text(date_format(checkin.held_on)).first.is_visible()
    assert_fits_on_laptop_and_phone(page, "the check-in")


@pytest.mark.browser
def test_an_observation_is_arranged_and_agreed_on_the_date_it_was_given(
    follow_menu, demo, live_server, page, sign_in
):
    today = timezone.localdate()
    teacher = free_to_be_observed_today(demo, minutes=20)  # the form's minutes
    manager = teacher.line_manager
    observations = Observation.objects.for_trust(demo.northbridge).filter(observee=teacher)
    before = set(observations.values_list("pk", flat=True))
    sign_in(page, teacher, demo.password)
    follow_menu(page, "Observations")
    assert _date_input_value(page, "Date") == today.isoformat()
    assert page.get_by_label("Minutes").input_value() == "20"
    assert_fits_on_laptop_and_phone(page, "observations")
    page.get_by_label("Observer").select_option(
        label=f"{manager.full_name} ({manager.job_title}, {manager.school.name})"
    )
    page.get_by_role("button", name="Arrange").click()
    page.get_by_text("Observation arranged.").wait_for()
    assert_fits_on_laptop_and_phone(page, "an observation")
    # The observee then agrees the timing and focus: the arranged date is already there.
    assert _date_input_value(page, "Date") == today.isoformat()
    page.get_by_label("Focus in a few words").fill("Questioning in Year 9")
    page.get_by_role("button", name="Agree").click()
    page.get_by_text("Timing and focus agreed.").wait_for()
    observation = observations.exclude(pk__in=before).get()
    assert (observation.observer, observation.minutes) == (manager, 20)
    assert observation.date == today
    assert observation.focus_note == "Questioning in Year 9"


@pytest.mark.browser
def test_a_feedback_conversation_saves_with_the_date_it_was_given(demo, live_server, page, sign_in):
    today = timezone.localdate()
    teacher, manager = demo.person(people.TEACHER), demo.person(people.LINE_MANAGER)
    conversations = FeedbackConversation.objects.for_trust(demo.northbridge).filter(
        staff_member=teacher
    )
    before = set(conversations.values_list("pk", flat=True))
    sign_in(page, manager, demo.password)
    page.goto(f"{live_server.url}/checkins/people/{teacher.public_id}/")
    page.get_by_role("heading", name=f"Check-ins: {teacher.full_name}").wait_for()
    assert_fits_on_laptop_and_phone(page, "a teacher's check-ins")
    page.get_by_role("link", name="Feedback conversation").click()
    assert _date_input_value(page, "Date of the conversation") == today.isoformat()
    assert_fits_on_laptop_and_phone(page, "a feedback conversation")
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
    assert_fits_on_laptop_and_phone(page, "the feedback conversation")
    conversation = conversations.exclude(pk__in=before).get()
    assert conversation.coach == manager
    assert conversation.held_on == today
    assert conversation.timeline.isoformat() == in_a_fortnight
