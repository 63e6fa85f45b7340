"""The self-review journey in Chromium, from the demo trusts: a teacher who has not yet
started this cycle's self-review (the demo's ECT 1 teacher, when seed_demo left theirs
unstarted) rates the standards and writes next steps (autosaved), is told what is left when
sharing too early, shares; their line manager finds it among the self-reviews waiting for a
comment, reads it and comments, and the teacher sees the comment. The demo's ECT 1 teacher
reads the descriptors of their own career stage beside the next one's and filters them; the
demo's HR manager (trust admin) builds the trust's own framework. axe checks every page, and
the main pages fit a laptop's and a phone's width; the self-review page a line manager
comments on is held to that in a test of its own, marked as the known fault it is (its
comment form's select is too wide for a phone) so that it fails once the page is fixed and
the mark is stale."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from growth.domain.selectors import cycle_current
from growth.models import CareerStage, GrowthCycle, StaffMember
from growth.security.tenancy import trust_scope
from standards.models import Framework, Rating, SelfReview, SelfReviewRating, Standard
from standards.selectors import framework_for
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone


def teacher_yet_to_start(demo, cycle: GrowthCycle) -> StaffMember:
    """A Northbridge teacher with an active line manager who has not started this cycle's
    self-review against the Teachers' Standards: the demo's ECT 1 teacher when seed_demo left
    theirs unstarted (it draws who has not started each cycle), else the first such teacher."""
    with trust_scope(demo.northbridge):
        started = SelfReview.objects.filter(cycle=cycle).values("staff_member")
        candidates = [
            person
            for person in StaffMember.objects.filter(
                category=StaffMember.Category.TEACHING,
                is_active=True,
                line_manager__is_active=True,
            )
            .exclude(pk__in=started)
            .select_related("user", "line_manager__user")
            .order_by("user__email")
            if framework_for(staff=person).code == "teachers-standards"
        ]
    assert candidates, "seed_demo left every Northbridge teacher's self-review started"
    preferred = demo.person(people.TEACHER)
    return next((p for p in candidates if p.pk == preferred.pk), candidates[0])


@pytest.mark.browser
def test_it_rates_shares_and_the_line_manager_comments(
    follow_menu, demo, live_server, page, browser, sign_in, assert_accessible
):
    cycle = cycle_current(trust=demo.northbridge)
    teacher = teacher_yet_to_start(demo, cycle)
    manager = teacher.line_manager

    sign_in(page, teacher, demo.password)
    follow_menu(page, "My self-review")
    assert_accessible(page, "start self-review")
    assert_fits_on_laptop_and_phone(page, "start self-review")
    page.get_by_role("button", name=f"Start my self-review for {cycle.name}").click()
    expect(page.get_by_role("heading", name=f"My self-review · {cycle.name}")).to_be_visible()
    assert_accessible(page, "self-review form")
    assert_fits_on_laptop_and_phone(page, "self-review form")

    # Rate 1.1 and write the +1 for standard 1: the draft saves itself.
    def autosaved(response) -> bool:
        return response.url.endswith("/save/") and response.request.method == "POST"

    group = page.get_by_role("group", name=re.compile(r"^1\.1 \(1a\) Establish a safe"))
    with page.expect_response(autosaved):
        group.get_by_label("I am not always meeting this expectation").check()
    with page.expect_response(autosaved):
        page.get_by_label(re.compile(r"^Next step\(s\) for 1 Set high")).fill(
            "Visit Cal's classroom to see routines."
        )
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved at")
    with trust_scope(demo.northbridge):
        review = SelfReview.objects.get(staff_member=teacher, cycle=cycle)
        rows = {
            r.standard.code: r
            for r in SelfReviewRating.objects.filter(self_review=review).select_related("standard")
        }
    assert rows["1.1"].rating == Rating.NOT_ALWAYS
    assert rows["1"].next_steps == "Visit Cal's classroom to see routines."

    # Sharing too early names what is left, and keeps what was typed.
    page.get_by_label("When I'm at my best, what are my strengths?").fill("Questioning")
    page.get_by_role("button", name="Share with my line manager").click()
    expect(page.get_by_role("alert")).to_contain_text("Still to do: 1.2 (1b)")
    expect(page.get_by_label("When I'm at my best, what are my strengths?")).to_have_value(
        "Questioning"
    )
    assert_accessible(page, "share refused")
    assert_fits_on_laptop_and_phone(page, "share refused")

    unrated = page.locator("input[type=radio][value=mostly]")
    for index in range(unrated.count()):
        radio = unrated.nth(index)
        name = radio.get_attribute("name")
        if not page.locator(f"input[name='{name}']:checked").count():
            radio.check()
    page.get_by_role("button", name="Share with my line manager").click()
    expect(
        page.get_by_text("Your self-review has been shared with your line manager.")
    ).to_be_visible()
    expect(page.get_by_text("I am not always meeting this expectation").first).to_be_visible()
    assert_accessible(page, "shared self-review")
    assert_fits_on_laptop_and_phone(page, "shared self-review")
    with trust_scope(demo.northbridge):
        review.refresh_from_db()
    assert review.state == SelfReview.State.SHARED

    reader = browser.new_context().new_page()
    sign_in(reader, manager, demo.password)
    expect(
        reader.get_by_role("heading", name="Self-reviews waiting for your comment")
    ).to_be_visible()
    assert_accessible(reader, "manager home")
    assert_fits_on_laptop_and_phone(reader, "manager home")
    reader.get_by_role("region", name="Self-reviews waiting for your comment").get_by_role(
        "link", name=teacher.full_name
    ).click()
    expect(reader.get_by_text("Visit Cal's classroom to see routines.")).to_be_visible()
    assert_accessible(reader, "manager reads the self-review")
    assert_fits_on_laptop_and_phone(reader, "the self-review the manager reads")
    standard_one = Standard.objects.unscoped().get(framework=review.framework, code="1")
    reader.get_by_label("About (optional)").select_option(value=str(standard_one.pk))
    reader.get_by_label("Your comment").fill("Let's set up that visit this half term.")
    reader.get_by_role("button", name="Add comment").click()
    expect(reader.get_by_text("Your comment has been added.")).to_be_visible()
    assert_accessible(reader, "after comment")

    page.reload()
    expect(page.get_by_text("Let's set up that visit this half term.")).to_be_visible()


@pytest.mark.browser
def test_the_descriptors_browser_is_accessible_and_filters(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    teacher = demo.person(people.TEACHER)
    stages = list(CareerStage.objects.order_by("order"))
    own = stages.index(teacher.career_stage)
    upr1 = next(s for s in stages if s.code == "upr1")
    after_upr1 = stages[stages.index(upr1) + 1]
    assert teacher.career_stage != upr1  # so that choosing UPR 1 changes the table

    sign_in(page, teacher, demo.password)
    follow_menu(page, "Standards")
    assert_accessible(page, "frameworks")
    assert_fits_on_laptop_and_phone(page, "frameworks")
    page.get_by_role("link", name="Teachers' Standards").first.click()
    # The teacher's own stage beside the next one's, as the page opens.
    own_caption = f"Descriptors for {stages[own].name} and {stages[own + 1].name}"
    expect(page.get_by_role("table", name=own_caption)).to_be_visible()
    assert_accessible(page, "descriptors")
    assert_fits_on_laptop_and_phone(page, "descriptors")
    page.get_by_label("Standard", exact=True).select_option(value="8")
    page.get_by_label("Career stage").select_option(label=upr1.name)
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name=f"Descriptors for {upr1.name} and {after_upr1.name}")
    expect(table).to_contain_text("Communicate effectively with parents")
    expect(table).not_to_contain_text("Establish a safe and stimulating environment")
    assert_accessible(page, "filtered descriptors")
    assert_fits_on_laptop_and_phone(page, "filtered descriptors")
    page.emulate_media(media="print")
    expect(page.locator("header")).to_be_hidden()


@pytest.mark.browser
def test_a_trust_admin_builds_their_own_framework(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    admin = demo.person(people.TRUST_ADMIN)
    assert not Framework.objects.unscoped().filter(code="site-team").exists()
    sign_in(page, admin, demo.password)
    follow_menu(page, "Standards")
    page.get_by_role("link", name="Add your trust's own framework").click()
    assert_accessible(page, "new framework")
    assert_fits_on_laptop_and_phone(page, "new framework")
    page.get_by_label("Code").fill("site-team")
    page.get_by_label("Name").fill("Site team standards")
    page.get_by_label("Support").check()
    page.get_by_role("button", name="Create framework").click()
    expect(page.get_by_role("heading", name="Edit Site team standards")).to_be_visible()
    assert_accessible(page, "edit framework")
    assert_fits_on_laptop_and_phone(page, "edit framework")
    page.get_by_role("link", name="Add a standard").click()
    page.get_by_label("Code").fill("1")
    page.get_by_label("Text").fill("Keep the site safe and welcoming.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Keep the site safe and welcoming.")).to_be_visible()
    page.get_by_role("link", name="Edit 1").click()
    assert_accessible(page, "edit standard with descriptors")
    assert_fits_on_laptop_and_phone(page, "edit standard with descriptors")
    page.get_by_label("MPR: statements, one per line").fill("Walk the site daily.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("1 has been saved.")).to_be_visible()
    framework = Framework.objects.unscoped().get(code="site-team")
    assert framework.trust_id == demo.northbridge.pk
    page.goto(f"{live_server.url}/standards/frameworks/{framework.public_id}/")
    assert_accessible(page, "own framework as staff see it")
    assert_fits_on_laptop_and_phone(page, "own framework as staff see it")
