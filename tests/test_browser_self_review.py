"""The self-review journey in Chromium: a teacher rates the standards and writes next steps
(autosaved), shares; the line manager reads and comments. axe checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from standards.models import Framework, Rating, SelfReview, SelfReviewRating, Standard
from tests.standards_fixtures import shipped_standards  # noqa: F401


@pytest.mark.browser
@pytest.mark.usefixtures("shipped_standards")
def test_it_rates_shares_and_the_line_manager_comments(
    follow_menu, world, live_server, page, browser, sign_in, assert_accessible
):
    sign_in(page, world.staff)
    follow_menu(page, "My self-review")
    assert_accessible(page, "start self-review")
    page.get_by_role("button", name="Start my self-review for 2026-27").click()
    expect(page.get_by_role("heading", name="My self-review · 2026-27")).to_be_visible()
    assert_accessible(page, "self-review form")

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
    review = SelfReview.objects.unscoped().get(staff_member=world.staff)
    rows = {
        r.standard.code: r
        for r in SelfReviewRating.objects.for_trust(world.trust)
        .filter(self_review=review)
        .select_related("standard")
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

    manager = browser.new_context().new_page()
    sign_in(manager, world.manager)
    expect(
        manager.get_by_role("heading", name="Self-reviews waiting for your comment")
    ).to_be_visible()
    assert_accessible(manager, "manager home")
    manager.get_by_role("region", name="Self-reviews waiting for your comment").get_by_role(
        "link", name=world.staff.full_name
    ).click()
    expect(manager.get_by_text("Visit Cal's classroom to see routines.")).to_be_visible()
    assert_accessible(manager, "manager reads the self-review")
    standard_one = Standard.objects.unscoped().get(framework=review.framework, code="1")
    manager.get_by_label("About (optional)").select_option(value=str(standard_one.pk))
    manager.get_by_label("Your comment").fill("Let's set up that visit this half term.")
    manager.get_by_role("button", name="Add comment").click()
    expect(manager.get_by_text("Your comment has been added.")).to_be_visible()
    assert_accessible(manager, "after comment")

    page.reload()
    expect(page.get_by_text("Let's set up that visit this half term.")).to_be_visible()


@pytest.mark.browser
@pytest.mark.usefixtures("shipped_standards")
def test_the_descriptors_browser_is_accessible_and_filters(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    sign_in(page, world.staff)
    follow_menu(page, "Standards")
    assert_accessible(page, "frameworks")
    page.get_by_role("link", name="Teachers' Standards").first.click()
    expect(page.get_by_role("table", name="Descriptors for MPR and UPR 1")).to_be_visible()
    assert_accessible(page, "descriptors")
    page.get_by_label("Standard", exact=True).select_option(value="8")
    page.get_by_label("Career stage").select_option(label="UPR 1")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Descriptors for UPR 1 and UPR 2/3")
    expect(table).to_contain_text("Communicate effectively with parents")
    expect(table).not_to_contain_text("Establish a safe and stimulating environment")
    assert_accessible(page, "filtered descriptors")
    page.emulate_media(media="print")
    expect(page.locator("header")).to_be_hidden()


@pytest.mark.browser
@pytest.mark.usefixtures("shipped_standards")
def test_a_trust_admin_builds_their_own_framework(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    sign_in(page, world.admin)
    follow_menu(page, "Standards")
    page.get_by_role("link", name="Add your trust's own framework").click()
    assert_accessible(page, "new framework")
    page.get_by_label("Code").fill("site-team")
    page.get_by_label("Name").fill("Site team standards")
    page.get_by_label("Support").check()
    page.get_by_role("button", name="Create framework").click()
    expect(page.get_by_role("heading", name="Edit Site team standards")).to_be_visible()
    assert_accessible(page, "edit framework")
    page.get_by_role("link", name="Add a standard").click()
    page.get_by_label("Code").fill("1")
    page.get_by_label("Text").fill("Keep the site safe and welcoming.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Keep the site safe and welcoming.")).to_be_visible()
    page.get_by_role("link", name="Edit 1").click()
    assert_accessible(page, "edit standard with descriptors")
    page.get_by_label("MPR: statements, one per line").fill("Walk the site daily.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("1 has been saved.")).to_be_visible()
    framework = Framework.objects.unscoped().get(code="site-team")
    assert framework.trust_id == world.trust.pk
    page.goto(f"{live_server.url}/standards/frameworks/{framework.public_id}/")
    assert_accessible(page, "own framework as staff see it")
