"""The journey in Chromium: the reviewer places and writes, the headteacher amends with a
reason, the person reads, downloads the PDF and acknowledges. Every page is axe-checked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from growth.security.tenancy import trust_scope
from reviews.models import Review


@pytest.mark.browser
def test_it_runs_the_review_journey(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    # The reviewer places and writes.
    sign_in(page, world.manager)
    follow_menu(page, "Reviews")
    assert_accessible(page, "reviews index")
    page.get_by_role("button", name=f"Start review of {world.staff.full_name}").click()
    page.get_by_role("heading", name=f"Place {world.staff.full_name} on the grid").wait_for()
    assert_accessible(page, "placement")
    page.locator("#cell-10").check()
    assert page.get_by_text("Quality of teaching is regularly outstanding.").is_visible()
    page.locator("#cell-1").check()
    assert page.get_by_label("Date you consulted the headteacher").is_visible()
    page.locator("#cell-5").check()
    page.get_by_role("button", name="Save placement").click()
    # No check-ins yet, so the suggestion is the bottom row: differing needs a reason.
    page.get_by_text("give a reason").first.wait_for()
    assert_accessible(page, "placement with errors")
    page.get_by_label("Reason for differing from the suggested engagement level").fill(
        "Check-ins were recorded on paper this term."
    )
    page.get_by_role("button", name="Save placement").click()
    page.get_by_role("heading", name=f"Statement for {world.staff.full_name}").wait_for()
    assert_accessible(page, "statement")
    page.get_by_label("Others", exact=True).check()
    page.get_by_label("Examples of their good work").fill(
        "Your peer coaching helped two colleagues plan their first observations"
    )
    page.get_by_label("What they could consider next (Please consider …)").fill(
        "sharing your coaching approach at a staff briefing"
    )
    page.get_by_role("button", name="Fill part 1 from the frame").click()
    part1 = page.get_by_label("Part 1 of the statement")
    assert "particularly on Others." in part1.input_value()
    part1.press("End")
    part1.type(" Thank you for a thoughtful year.")
    page.get_by_text("Draft saved at").wait_for()
    # Before the summer term's review window, with no July reflection: a reason is needed.
    assert page.get_by_text("The July reflection has not been submitted.").is_visible()
    page.get_by_label("The person is leaving").check()
    page.get_by_role("button", name="Submit for the final decision").click()
    page.get_by_text("Sent to the headteacher for the final decision.").wait_for()
    assert_accessible(page, "review detail (reviewer)")

    # The headteacher amends with a reason.
    page.context.clear_cookies()
    sign_in(page, world.head)
    follow_menu(page, "Final decisions")
    assert_accessible(page, "moderation")
    page.get_by_role("link", name=f"Decide for {world.staff.full_name}").click()
    assert_accessible(page, "decide")
    page.get_by_label("Partially met").check()
    page.get_by_role("button", name="Record the final decision").click()
    assert page.get_by_text("Amending the outcome needs a reason.").is_visible()
    page.get_by_label("Reason for amending").fill("Impact on Trust is not yet evidenced.")
    page.get_by_role("button", name="Record the final decision").click()
    page.get_by_text("the statement is locked and released").wait_for()
    assert_accessible(page, "moderation after decision")

    # The person reads, downloads and acknowledges.
    page.context.clear_cookies()
    sign_in(page, world.staff)
    page.get_by_role("link", name="Read your statement").click()
    assert page.get_by_text("Thank you for a thoughtful year.").is_visible()
    assert page.get_by_text(
        "Partially met professional growth expectations for 2026-27"
    ).is_visible()
    assert_accessible(page, "statement (person)")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    data = Path(download_info.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Thank you for a thoughtful year." in text
    assert "Impact on Trust is not yet evidenced." in text
    page.get_by_label("Your comment (optional)").fill("I agree and will gather evidence.")
    page.get_by_role("button", name="I have read my statement").click()
    page.get_by_text("your acknowledgement is recorded").wait_for()
    assert_accessible(page, "acknowledged")

    with trust_scope(world.trust):
        review = Review.objects.get(staff_member=world.staff)
        assert review.versions.count() >= 1
    assert review.decision == "amended" and review.final_outcome == "partially_met"
    assert review.staff_comment == "I agree and will gather evidence."
