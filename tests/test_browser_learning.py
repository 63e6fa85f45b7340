"""Professional learning in Chromium: a teacher logs a course, finds a resource and reads a
colleague's recommendation; a headteacher assigns a coach and sees the school's spend. Every
page axe-clean and no wider than a laptop's or a phone's window."""

from __future__ import annotations

from decimal import Decimal

import pytest

from growth.security.tenancy import trust_scope
from learning import services
from learning.models import CoachAssignment, LearningEntry
from tests.browser import WIDTHS, assert_fits
from tests.learning_fixtures import (
    RECOMMENDATION,
    coach_with_session,
    log_learning,
    make_coach,
    plan_with_standard,
    review_window_open,
    shared_review,
)


def fits(page, where: str) -> None:
    for size, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert_fits(page, f"{where} on a {size}")
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS["laptop"], strict=True)))


@pytest.mark.browser
def test_a_teacher_logs_a_course_finds_a_resource_and_reads_a_recommendation(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    with trust_scope(world.trust):
        services.resource_publish(
            actor=world.admin,
            data=services.ResourceData(
                title="Retrieval practice starter pack",
                format="page",
                summary="Low-stakes quizzes that help pupils remember",
                body="Start each lesson with three questions on last week's learning.",
                area="self",
            ),
        )
    shared_review(world, world.colleague, scope="school")

    sign_in(page, world.staff)
    follow_menu(page, "Learning record")
    page.get_by_role("heading", name="My learning record").wait_for()
    assert_accessible(page, "my learning record")
    page.get_by_role("link", name="Log some learning").click()
    page.get_by_label("What kind of learning").select_option("course")
    page.get_by_label("Title").fill("Questioning for deeper thinking")
    page.get_by_label("Provider").fill("Teach First")
    page.get_by_label("Date").fill("2026-10-05")
    page.get_by_label("Hours").fill("6")
    page.get_by_label("Cost (£)").fill("150")
    page.get_by_label("Who paid").select_option("school")
    assert_accessible(page, "log some learning")
    fits(page, "log some learning")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Learning saved to your record.").wait_for()
    page.get_by_text("Questioning for deeper thinking").wait_for()
    fits(page, "my learning record")
    with trust_scope(world.trust):
        entry = LearningEntry.objects.get(staff_member=world.staff)
    assert (entry.hours, entry.cost, entry.paid_by) == (Decimal("6"), Decimal("150"), "school")

    follow_menu(page, "Resources hub")
    page.get_by_label("Search").fill("remember quizzes")
    page.get_by_role("button", name="Find resources").click()
    page.get_by_role("link", name="Retrieval practice starter pack").click()
    page.get_by_text("Start each lesson with three questions").wait_for()
    assert_accessible(page, "a resource")
    fits(page, "a resource")

    follow_menu(page, "What colleagues learned")
    assert_accessible(page, "the library")
    fits(page, "the library")
    page.get_by_role("link", name=f"{world.colleague.full_name}, {world.cycle.name}").click()
    page.get_by_text(RECOMMENDATION).wait_for()
    assert_accessible(page, "a colleague's review")
    fits(page, "a colleague's review")


@pytest.mark.browser
def test_a_head_assigns_a_coach_and_sees_the_schools_spend(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    coach = make_coach(world)
    log_learning(world.staff, hours=Decimal("3"), cost=Decimal("120"), paid_by="school")
    sign_in(page, world.head)
    follow_menu(page, "Who is coached")
    page.get_by_role("heading", name="Who is coached").wait_for()
    assert_accessible(page, "who is coached")
    fits(page, "who is coached")
    page.get_by_role("link", name=world.staff.full_name).click()
    assert_accessible(page, "a person's coaching")
    fits(page, "a person's coaching")
    page.get_by_role("button", name=f"Assign {coach.full_name}").click()
    page.get_by_text(f"{world.staff.full_name} has a coach.").wait_for()
    with trust_scope(world.trust):
        assert CoachAssignment.objects.get(coachee=world.staff).coach == coach

    follow_menu(page, "School learning and spend")
    page.get_by_label("Professional learning budget for the year (£)").fill("1000")
    page.get_by_role("button", name="Save budget").click()
    page.get_by_text("Budget saved.").wait_for()
    assert page.locator("#school-spend").inner_text() == "£120.00"
    assert page.locator("#school-left").inner_text() == "£880.00"
    assert_accessible(page, "school learning and spend")
    fits(page, "school learning and spend")


@pytest.mark.browser
def test_the_coaching_resources_and_review_pages_are_accessible(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    assignment, _ = coach_with_session(world)
    review_window_open(world)
    plan_with_standard(world, world.staff)
    sign_in(page, world.staff)
    for label in ("Review of my plan", "Coaching"):
        follow_menu(page, label)
        assert_accessible(page, label)
        fits(page, label)
    page.get_by_role("link", name=f"Record a session with {assignment.coach.full_name}").click()
    assert_accessible(page, "record a coaching session")
    page.context.clear_cookies()
    sign_in(page, world.admin)
    for label in ("Learning across schools", "Learning settings"):
        follow_menu(page, label)
        assert_accessible(page, label)
        fits(page, label)
    page.goto(live_server.url + "/learning/resources/new/")
    assert_accessible(page, "publish a resource")
    fits(page, "publish a resource")
