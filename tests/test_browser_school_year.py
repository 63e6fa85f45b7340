"""In Chromium: a teacher clears their "Waiting for me" list, and a trust admin rolls the year
over (next year's cycle from this one, then the career stage moves HR confirms). Every page
passes axe and fits 1280 and 375 pixels without scrolling sideways."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import time_machine

from checkins import services as checkin_services
from growth.models import GrowthCycle
from growth.security.tenancy import trust_scope
from objectives import services as plan_services
from tests.objectives_fixtures import bank, ready_plan  # noqa: F401

SEPTEMBER = dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC)  # before the first check-in
SHOTS = os.environ.get("SCHOOL_YEAR_SHOTS", "")


def fits(page, name: str) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, f"{name} scrolls sideways at {width}px"
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def header_count(page) -> str:
    return page.locator("header [data-inbox-count]").get_attribute("data-inbox-count")


@pytest.mark.browser
@pytest.mark.usefixtures("bank")
def test_a_teacher_clears_their_inbox(world, live_server, page, sign_in, assert_accessible):
    with time_machine.travel(SEPTEMBER, tick=True):
        plan = ready_plan(world)
        with trust_scope(world.trust):
            plan_services.plan_submit(actor=world.staff, plan=plan)
            plan.refresh_from_db()
            plan_services.plan_agree(actor=world.manager, plan=plan)
            checkin_services.observation_create(
                actor=world.manager,
                cycle=world.cycle,
                observee=world.staff,
                observer=world.manager,
                date=dt.date(2026, 9, 21),
                minutes=20,
                purpose="support",
                focus_area="self",
            )
            checkin_services.feedback_create(
                actor=world.manager,
                staff=world.staff,
                data=checkin_services.FeedbackData(
                    held_on=dt.date(2026, 9, 9),
                    praise="Clear modelling",
                    probing_question="What next?",
                    next_action_step="Cold call",
                    support_level=2,
                    plan_ahead="Plan the questions",
                    timeline=dt.date(2026, 9, 16),
                    lock_in_i_am="cold calling",
                    lock_in_so_that="everyone thinks",
                ),
            )
        sign_in(page, world.staff)
        assert page.get_by_role("heading", name="Waiting for me").is_visible()  # the home panel
        assert header_count(page) == "2"
        assert_accessible(page, "home with the inbox panel")
        page.locator("header").get_by_role("link", name="Waiting for me").first.click()
        page.wait_for_load_state()
        assert_accessible(page, "inbox")
        fits(page, "inbox")

        page.get_by_role(
            "link", name="Confirm the next step from your feedback conversation"
        ).click()
        page.wait_for_load_state()
        page.get_by_label("Lock it in").fill("I will cold call so that everyone thinks.")
        page.get_by_role("button", name="Confirm this next step").click()
        page.wait_for_load_state()
        assert header_count(page) == "1"

        page.locator("header").get_by_role("link", name="Waiting for me").first.click()
        page.get_by_role(
            "link", name="Agree the timing and focus of Mo Tester's observation"
        ).click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Agree", exact=True).click()
        page.wait_for_load_state()
        assert header_count(page) == "0"

        page.locator("header").get_by_role("link", name="Waiting for me").first.click()
        page.wait_for_load_state()
        assert page.get_by_text("Nothing is waiting for you.").is_visible()
        assert_accessible(page, "empty inbox")


@pytest.mark.browser
def test_an_admin_rolls_the_year_over(
    world, live_server, page, sign_in, follow_menu, assert_accessible
):
    sign_in(page, world.admin)
    follow_menu(page, "Trust settings")
    page.get_by_role("link", name="Cycles and terms").click()
    page.get_by_role("link", name="Create next year's cycle from 2026-27").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Next year from 2026-27").is_visible()
    assert page.locator("#id_name").input_value() == "2027-28"
    assert page.get_by_label("Objectives agreed by").input_value() == "2027-10-31"
    assert_accessible(page, "next year's dates")
    fits(page, "rollover")
    page.get_by_role("button", name="Create 2027-28").click()
    page.wait_for_load_state()
    assert page.get_by_text("Cycle 2027-28 created from 2026-27.").is_visible()
    with trust_scope(world.trust):
        new = GrowthCycle.objects.get(name="2027-28")
        assert new.terms.count() == 6

    assert page.get_by_role("heading", name="A new year: people").is_visible()
    assert_accessible(page, "new year people")
    fits(page, "new-year")
    oli = world.other_school_staff
    page.get_by_label("Stage for Oli Tester").select_option("ect2")
    page.get_by_role("button", name="Confirm these career stages").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 career stage moved on.").is_visible()
    oli.refresh_from_db()
    assert oli.career_stage.code == "ect2"


@pytest.mark.browser
def test_a_teacher_reads_their_notifications_and_chooses_the_digest(
    world, live_server, page, sign_in, assert_accessible
):
    from growth.models import Notification
    from growth.notifications.services import notify

    with trust_scope(world.trust):
        notify(
            trust_id=world.trust.pk,
            to=[world.staff.email],
            kind="plans",
            subject="Your growth plan has been agreed",
            body="Mo Tester agreed your growth plan.",
        )
    sign_in(page, world.staff)
    page.locator("header").get_by_role("button", name="Account").click()
    page.locator("header").get_by_role("link", name="Notifications").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your growth plan has been agreed").is_visible()
    assert_accessible(page, "notifications")
    fits(page, "notifications")
    page.get_by_role("button", name="Mark all 1 unread as read").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Choose how each kind reaches you").click()
    page.wait_for_load_state()
    assert_accessible(page, "notification choices")
    fits(page, "notification-settings")
    page.locator("#id_plans_1").check()  # Growth plans: the weekly digest
    page.get_by_role("button", name="Save my choices").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your notification choices are saved.").is_visible()
    with trust_scope(world.trust):
        assert world.staff.notification_preference.deliveries["plans"] == "digest"
        assert not Notification.objects.filter(read_at__isnull=True).exists()
