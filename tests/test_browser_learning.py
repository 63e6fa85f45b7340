"""Professional learning in Chromium, starting from the demo trusts (tests/demo.py).

The demo's ECT 1 teacher logs a course on the form as it comes (its date, today, left as the
page fills it in) and it is saved as typed; finds one of the demo's resources by words of its
summary; and reads the recommendation a colleague of their school shared from last year's
plan review. The first school's headteacher gives a teacher with no coach the demo's coach,
and sets the school's learning budget against what the school has paid for this year. The
coaching and plan-review pages of a coached teacher (with the reviews of plans open) and the
trust admin's learning pages are axe-clean. Every page fits a laptop's and a phone's window.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from growth.domain.selectors import cycle_current
from growth.domain.services import DatedRow, cycle_save
from growth.models import GrowthCycle
from growth.security.tenancy import trust_scope
from learning import services
from learning.models import CoachAssignment, LearningBudget, LearningEntry, PlanReview
from learning.selectors import current_assignment
from objectives.models import GrowthPlan
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone

COLLEAGUE = "s1-t3"  # a teacher of English in the teacher's school, reviewed last year
UNCOACHED = "s1-t3"  # the demo coaches only the two early career teachers
RECOMMENDATION = "Start every lesson with three retrieval questions and keep them low stakes"


def share_last_years_review(demo, person) -> PlanReview:
    """`person` reviews the plan of the cycle the demo's July reflections belong to (last
    year's until this year's window opens), on a day of its window, submits the review and
    shares it with their school: what the demo's reviewed people could have done."""
    today = timezone.localdate()
    with trust_scope(demo.northbridge):
        plan = (
            GrowthPlan.objects.for_trust(demo.northbridge)
            .filter(
                staff_member=person,
                state=GrowthPlan.State.AGREED,
                cycle__reflection_opens__lte=today,
            )
            .select_related("cycle")
            .order_by("-cycle__start_date")
            .first()
        )
        assert plan is not None, f"the demo has no agreed plan of {person} to review"
        review = services.plan_review_start(
            actor=person, plan=plan, today=plan.cycle.reflection_opens
        )
        services.plan_review_save(
            actor=person,
            review=review,
            answers={
                "intended": "To make retrieval practice a habit in Year 8.",
                "did": "Read Rosenshine; tried quizzes; visited a colleague.",
                "impact": "Quiz scores rose from 54% to 71% across the term.",
                "recommendations": RECOMMENDATION,
                "other_contexts": "Works in any subject with factual recall.",
            },
            area="self",
        )
        services.plan_review_submit(actor=person, review=review)
        return services.plan_review_share(
            actor=person, review=review, scope=PlanReview.Sharing.SCHOOL
        )


def open_plan_reviews_today(demo) -> GrowthCycle:
    """Before the summer, the trust admin brings this cycle's July reflection (when plans are
    reviewed) forward to today, as on the cycle's page: its terms and closures kept as they
    are."""
    admin, today = demo.person(people.TRUST_ADMIN), timezone.localdate()
    with trust_scope(demo.northbridge):
        cycle = cycle_current(trust=demo.northbridge)
        if cycle.reflection_opens <= today:
            return cycle  # open already

        def rows(related) -> list[DatedRow]:
            return [
                DatedRow(r.name, r.start_date, r.end_date, r.public_id)
                for r in related.order_by("start_date")
            ]

        return cycle_save(
            actor=admin,
            trust=demo.northbridge,
            cycle=cycle,
            values={"reflection_opens": today},
            terms=rows(cycle.terms),
            closures=rows(cycle.closures),
        )


@pytest.mark.browser
def test_a_teacher_logs_a_course_finds_a_resource_and_reads_a_recommendation(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    teacher, colleague = demo.person(people.TEACHER), demo.person(COLLEAGUE)
    shared = share_last_years_review(demo, colleague)
    today = timezone.localdate()

    sign_in(page, teacher, demo.password)
    follow_menu(page, "Learning record")
    page.get_by_role("heading", name="My learning record").wait_for()
    assert_accessible(page, "my learning record")
    assert_fits_on_laptop_and_phone(page, "my learning record")
    page.get_by_role("link", name="Log some learning").click()
    page.get_by_label("What kind of learning").select_option("course")
    page.get_by_label("Title").fill("Questioning for deeper thinking")
    page.get_by_label("Provider").fill("Teach First")
    # The date comes filled in with today's: the learning is logged on the day, as it is.
    assert page.get_by_label("Date").input_value() == today.isoformat()
    page.get_by_label("Hours").fill("6")
    page.get_by_label("Cost (£)").fill("150")
    page.get_by_label("Who paid").select_option("school")
    assert_accessible(page, "log some learning")
    assert_fits_on_laptop_and_phone(page, "log some learning")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Learning saved to your record.").wait_for()
    page.get_by_text("Questioning for deeper thinking").wait_for()
    assert_fits_on_laptop_and_phone(page, "my learning record with the course")
    with trust_scope(demo.northbridge):
        entry = LearningEntry.objects.for_trust(demo.northbridge).get(
            staff_member=teacher, title="Questioning for deeper thinking"
        )
    assert (entry.kind, entry.provider, entry.started_on) == ("course", "Teach First", today)
    assert (entry.hours, entry.cost, entry.paid_by) == (Decimal("6"), Decimal("150"), "school")

    # The demo's resources hub: words of a resource's summary find it, and only it.
    follow_menu(page, "Resources hub")
    page.get_by_role("heading", name="Resources hub").wait_for()
    assert_fits_on_laptop_and_phone(page, "the resources hub")
    page.get_by_label("Search").fill("starters maths")
    page.get_by_role("button", name="Find resources").click()
    page.get_by_role("heading", name="Resources found (1)").wait_for()
    found = page.locator("#resource-results").get_by_role("link")
    assert found.all_inner_texts() == ["Retrieval practice: a one-page guide"]
    found.click()
    page.get_by_text("Start with three questions from last lesson").wait_for()
    assert_accessible(page, "a resource")
    assert_fits_on_laptop_and_phone(page, "a resource")

    follow_menu(page, "What colleagues learned")
    page.get_by_role("heading", name="What colleagues learned").wait_for()
    assert_accessible(page, "the library")
    assert_fits_on_laptop_and_phone(page, "the library")
    page.get_by_role("link", name=f"{colleague.full_name}, {shared.cycle.name}").click()
    page.get_by_text(RECOMMENDATION).wait_for()
    assert_accessible(page, "a colleague's review")
    assert_fits_on_laptop_and_phone(page, "a colleague's review")


@pytest.mark.browser
def test_a_head_assigns_a_coach_and_sees_the_schools_spend(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    head = demo.person(people.HEADTEACHER)
    teacher = demo.person(UNCOACHED)
    with trust_scope(demo.northbridge):
        # The demo's coach: the one who coaches its early career teachers.
        coach = current_assignment(coachee=demo.person(people.TEACHER)).coach
        assert current_assignment(coachee=teacher) is None
        cycle = cycle_current(trust=demo.northbridge)
        budget = LearningBudget.objects.for_trust(demo.northbridge).get(
            school=head.school, cycle=cycle
        )
        # What the school paid for this year's learning (in the demo, an ECT 2's course).
        spent = LearningEntry.objects.for_trust(demo.northbridge).filter(
            school=head.school,
            paid_by=LearningEntry.PaidBy.SCHOOL,
            started_on__range=(cycle.start_date, cycle.end_date),
        ).aggregate(total=Sum("cost"))["total"] or Decimal(0)

    sign_in(page, head, demo.password)
    follow_menu(page, "Who is coached")
    page.get_by_role("heading", name="Who is coached").wait_for()
    assert_accessible(page, "who is coached")
    assert_fits_on_laptop_and_phone(page, "who is coached")
    page.get_by_role("link", name=teacher.full_name).click()
    page.get_by_role("heading", name=f"Coaching: {teacher.full_name}").wait_for()
    assert_accessible(page, "a person's coaching")
    assert_fits_on_laptop_and_phone(page, "a person's coaching")
    page.get_by_role("button", name=f"Assign {coach.full_name}").click()
    page.get_by_text(f"{teacher.full_name} has a coach.").wait_for()
    with trust_scope(demo.northbridge):
        assignment = CoachAssignment.objects.for_trust(demo.northbridge).get(
            coachee=teacher, ended_on__isnull=True
        )
    assert assignment.coach == coach

    follow_menu(page, "School learning and spend")
    # The form shows the budget the head set for the year; they raise it by £1,000.
    amount = page.get_by_label("Professional learning budget for the year (£)")
    amount.wait_for()
    assert_fits_on_laptop_and_phone(page, "school learning and spend")
    assert Decimal(amount.input_value()) == budget.amount
    raised = budget.amount + 1000
    amount.fill(str(raised))
    page.get_by_role("button", name="Save budget").click()
    page.get_by_text("Budget saved.").wait_for()
    assert page.locator("#school-spend").inner_text() == f"£{spent:.2f}"
    assert page.locator("#school-left").inner_text() == f"£{raised - spent:.2f}"
    with trust_scope(demo.northbridge):
        budget.refresh_from_db()
    assert budget.amount == raised
    assert_accessible(page, "school learning and spend")
    assert_fits_on_laptop_and_phone(page, "school learning and spend with the new budget")


@pytest.mark.browser
def test_the_coaching_resources_and_review_pages_are_accessible(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    teacher = demo.person(people.TEACHER)  # coached by the demo's coach, sessions held
    with trust_scope(demo.northbridge):
        assignment = current_assignment(coachee=teacher)
        assert assignment.sessions.exists()
    open_plan_reviews_today(demo)
    sign_in(page, teacher, demo.password)
    follow_menu(page, "Review of my plan")
    # The review is open: its form, on the teacher's plan as the demo wrote it.
    page.get_by_label("What did you intend to achieve this year?").wait_for()
    assert_accessible(page, "Review of my plan")
    assert_fits_on_laptop_and_phone(page, "Review of my plan")
    follow_menu(page, "Coaching")
    page.get_by_role("heading", name=assignment.coach.full_name).wait_for()
    assert_accessible(page, "Coaching")
    assert_fits_on_laptop_and_phone(page, "Coaching")
    page.get_by_role("link", name=f"Record a session with {assignment.coach.full_name}").click()
    page.get_by_label("Focus").wait_for()
    assert_accessible(page, "record a coaching session")
    assert_fits_on_laptop_and_phone(page, "record a coaching session")
    page.context.clear_cookies()
    sign_in(page, demo.person(people.TRUST_ADMIN), demo.password)
    for label, heading in (
        ("Learning across schools", "Professional learning across the trust"),
        ("Learning settings", "Learning settings"),
    ):
        follow_menu(page, label)
        page.get_by_role("heading", name=heading).wait_for()
        assert_accessible(page, label)
        assert_fits_on_laptop_and_phone(page, label)
    page.goto(live_server.url + "/learning/resources/new/")
    page.get_by_role("heading", name="Publish a resource").wait_for()
    assert_accessible(page, "publish a resource")
    assert_fits_on_laptop_and_phone(page, "publish a resource")
