"""In Chromium, starting from the demo trusts (tests/demo.py): a teacher clears their "Waiting
for me" list, a trust admin rolls the year over, and a teacher reads their notifications and
chooses the digest. Every page passes axe and fits 1280 and 375 pixels without scrolling
sideways.

- A demo teacher whose list holds just an observation their line manager proposed and a
  feedback conversation whose next step they have not confirmed confirms the step and agrees
  the observation (its date as proposed), and the list is empty.
- The trust admin makes next year's cycle from the demo's latest one (its name and deadlines
  moved on a year, its terms carried over), then confirms the career stage moves the page
  proposes for the demo's early career teachers, as proposed.
- A demo teacher whose growth plan was agreed reads that notification among their unread
  ones, marks them all read (and nobody else's) and has growth plan news in the weekly digest.
"""

from __future__ import annotations

import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkins import services as checkin_services
from checkins.models import FeedbackConversation, Observation
from checkins.selectors import checkin_schedule_for
from growth.domain.rollover import a_year_on, next_name
from growth.domain.selectors import cycle_current
from growth.models import CareerStage, GrowthCycle, Notification, StaffMember
from growth.navigation.inbox import inbox_for
from growth.security.tenancy import trust_scope
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone

SHOTS = os.environ.get("SCHOOL_YEAR_SHOTS", "")

AGREE = "Agree the timing and focus of "
CONFIRM = "Confirm the next step from your feedback conversation with "
CHECK_IN_DUE = "Hold and record your check-in"
# The policy's mechanical moves (seed 004): ECT 1 to ECT 2, ECT 2 to the main pay range.
STAGE_MOVES = {"ect1": "ect2", "ect2": "mpr"}
PLAN_AGREED = "Your growth plan has been agreed"


def fits(page, name: str) -> None:
    assert_fits_on_laptop_and_phone(page, name)
    if SHOTS:
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})


def expect_waiting(page, count: int) -> None:
    """The header's "Waiting for me" count, once the page the last click opened is there."""
    expect(page.locator("header [data-inbox-count]")).to_have_attribute(
        "data-inbox-count", str(count)
    )


def waiting_for_an_observation_and_a_conversation(demo) -> tuple[StaffMember, str, str]:
    """A demo teacher whose "Waiting for me" holds only an observation to agree and a
    feedback conversation to confirm (the demo's line managers propose the next observation
    for about half their teachers; about a third of its teachers have not confirmed their
    last conversation's next step), with the titles of the two. On a check-in day, they
    have held and recorded the check-in due today first."""
    trust, today = demo.northbridge, timezone.localdate()
    with trust_scope(trust):
        cycle = cycle_current(trust=trust)
        teachers = (
            StaffMember.objects.for_trust(trust)
            .filter(is_active=True, category=StaffMember.Category.TEACHING)
            .select_related("user", "line_manager__user")
            .order_by("user__email")
        )
        for person in teachers:
            titles = [item.title for item in inbox_for(viewer=person).items]
            agree = [t for t in titles if t.startswith(AGREE)]
            confirm = [t for t in titles if t.startswith(CONFIRM)]
            rest = [t for t in titles if t not in agree + confirm]
            if len(agree) != 1 or len(confirm) != 1 or rest not in ([], [CHECK_IN_DUE]):
                continue
            if rest:
                entries, _ = checkin_schedule_for(staff=person, cycle=cycle)
                if [e.state for e in entries if e.state in ("overdue", "due")] != ["due"]:
                    continue  # behind with their check-ins: not this test's teacher
                checkin_services.checkin_record(
                    actor=person,
                    staff=person,
                    cycle=cycle,
                    due_on=today,
                    data=checkin_services.CheckinData(
                        held_on=today, reflections={"self": "Kept up the retrieval quizzes."}
                    ),
                )
            return person, agree[0], confirm[0]
    raise AssertionError("no demo teacher is waiting for just an observation and a conversation")


@pytest.mark.browser
def test_a_teacher_clears_their_inbox(demo, live_server, page, sign_in, assert_accessible):
    teacher, agree, confirm = waiting_for_an_observation_and_a_conversation(demo)
    with trust_scope(demo.northbridge):
        proposed = Observation.objects.for_trust(demo.northbridge).get(
            observee=teacher, status=Observation.Status.PROPOSED
        )
    sign_in(page, teacher, demo.password)
    assert page.get_by_role("heading", name="Waiting for me").is_visible()  # the home panel
    expect_waiting(page, 2)
    assert_accessible(page, "home with the inbox panel")
    fits(page, "home")
    page.locator("header").get_by_role("link", name="Waiting for me").first.click()
    page.get_by_role("link", name=agree).wait_for()
    assert page.get_by_role("link", name=confirm).is_visible()
    assert_accessible(page, "inbox")
    fits(page, "inbox")

    page.get_by_role("link", name=confirm).click()
    page.wait_for_load_state()
    fits(page, "feedback-conversation")
    page.get_by_label("Lock it in").fill("I will cold call so that everyone thinks.")
    page.get_by_role("button", name="Confirm this next step").click()
    expect_waiting(page, 1)

    page.locator("header").get_by_role("link", name="Waiting for me").first.click()
    page.get_by_role("link", name=agree).click()
    page.get_by_role("button", name="Agree", exact=True).wait_for()
    fits(page, "observation")
    # The date and focus come filled in as proposed: the teacher agrees them as they are.
    page.get_by_role("button", name="Agree", exact=True).click()
    page.get_by_text("Timing and focus agreed.").wait_for()
    expect_waiting(page, 0)

    page.locator("header").get_by_role("link", name="Waiting for me").first.click()
    expect(page.get_by_text("Nothing is waiting for you.")).to_be_visible()
    assert_accessible(page, "empty inbox")
    fits(page, "empty-inbox")
    with trust_scope(demo.northbridge):
        conversation = FeedbackConversation.objects.for_trust(demo.northbridge).get(
            staff_member=teacher, colleague_summary="I will cold call so that everyone thinks."
        )
        assert conversation.confirmed_by_colleague_at is not None
        agreed = Observation.objects.for_trust(demo.northbridge).get(pk=proposed.pk)
    assert agreed.status == Observation.Status.AGREED
    assert (agreed.date, agreed.focus_area) == (proposed.date, proposed.focus_area)


@pytest.mark.browser
def test_an_admin_rolls_the_year_over(
    demo, live_server, page, sign_in, follow_menu, assert_accessible
):
    trust = demo.northbridge
    with trust_scope(trust):
        latest = GrowthCycle.objects.for_trust(trust).order_by("-start_date").first()
        terms = latest.terms.count()
        early_career = list(
            StaffMember.objects.for_trust(trust)
            .filter(is_active=True, career_stage__code__in=list(STAGE_MOVES))
            .select_related("user", "career_stage")
        )
    assert terms and len(early_career) > 1
    new_name = next_name(latest.name)

    sign_in(page, demo.person(people.TRUST_ADMIN), demo.password)
    follow_menu(page, "Trust settings")
    page.get_by_role("link", name="Cycles and terms").click()
    link = page.get_by_role("link", name=f"Create next year's cycle from {latest.name}")
    link.wait_for()
    fits(page, "cycles")
    link.click()
    page.get_by_role("heading", name=f"Next year from {latest.name}").wait_for()
    assert page.locator("#id_name").input_value() == new_name
    assert page.get_by_label("Objectives agreed by").input_value() == (
        a_year_on(latest.objectives_deadline).isoformat()
    )
    assert_accessible(page, "next year's dates")
    fits(page, "rollover")
    page.get_by_role("button", name=f"Create {new_name}").click()
    expect(page.get_by_text(f"Cycle {new_name} created from {latest.name}.")).to_be_visible()
    with trust_scope(trust):
        new = GrowthCycle.objects.for_trust(trust).get(name=new_name)
        assert new.terms.count() == terms
        assert new.objectives_deadline == a_year_on(latest.objectives_deadline)

    assert page.get_by_role("heading", name="A new year: people").is_visible()
    assert_accessible(page, "new year people")
    fits(page, "new-year")
    # Each early career teacher's move comes proposed as the policy has it: HR confirms.
    for person in early_career:
        stage = page.get_by_label(f"Stage for {person.full_name}", exact=True)
        assert stage.input_value() == STAGE_MOVES[person.career_stage.code]
    page.get_by_role("button", name="Confirm these career stages").click()
    expect(page.get_by_text(f"{len(early_career)} career stages moved on.")).to_be_visible()
    stages = {s.pk: s.code for s in CareerStage.objects.all()}
    for person in early_career:
        with trust_scope(trust):
            moved = StaffMember.objects.for_trust(trust).get(pk=person.pk)
        assert stages[moved.career_stage_id] == STAGE_MOVES[person.career_stage.code]


@pytest.mark.browser
def test_a_teacher_reads_their_notifications_and_chooses_the_digest(
    demo, live_server, page, sign_in, assert_accessible
):
    trust = demo.northbridge
    with trust_scope(trust):
        agreed = (
            Notification.objects.for_trust(trust)
            .filter(
                kind="plans",
                subject=PLAN_AGREED,
                read_at__isnull=True,
                recipient__category=StaffMember.Category.TEACHING,
            )
            .select_related("recipient__user")
            .order_by("recipient__user__email")
            .first()
        )
        assert agreed is not None, "the demo tells its teachers when their plan is agreed"
        teacher = agreed.recipient
        unread = Notification.objects.for_trust(trust).filter(read_at__isnull=True)
        mine, others = unread.filter(recipient=teacher).count(), unread.exclude(recipient=teacher)
        others_unread = others.count()
    sign_in(page, teacher, demo.password)
    page.locator("header").get_by_role("button", name="Account").click()
    page.locator("header").get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name=PLAN_AGREED).first).to_be_visible()
    assert_accessible(page, "notifications")
    fits(page, "notifications")
    page.get_by_role("button", name=f"Mark all {mine} unread as read").click()
    expect(page.get_by_role("button", name=re.compile(r"^Mark all"))).to_have_count(0)
    page.get_by_role("link", name="Choose how each kind reaches you").click()
    page.locator("#id_plans_1").wait_for()
    assert_accessible(page, "notification choices")
    fits(page, "notification-settings")
    page.locator("#id_plans_1").check()  # Growth plans: the weekly digest
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    with trust_scope(trust):
        teacher = StaffMember.objects.for_trust(trust).get(pk=teacher.pk)
        assert teacher.notification_preference.deliveries["plans"] == "digest"
        assert not unread.filter(recipient=teacher).exists()
        assert others.count() == others_unread
