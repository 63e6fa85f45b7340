"""The end-of-year review in Chromium, from the demo trusts: the head of English starts this
cycle's review of their ECT 2 teacher (whose check-ins the demo has recorded since
September), places them in a Met cell off the suggested engagement row, which needs a reason,
writes the statement from the frame and submits it with a reason (no July reflection: the
person is leaving); the headteacher amends the outcome, which needs a reason too; the teacher
reads the statement, downloads the PDF and acknowledges it. Every page is axe-checked, and
the main pages fit a laptop's and a phone's width; what is saved is checked at the end."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from growth.domain.selectors import cycle_current
from growth.security.tenancy import trust_scope
from reviews.models import JulyReflection, Review
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone

# The head of English's ECT 2 teacher: not among the people whose July reflection and review
# the demo writes (growth/demo/activity.py, reviewed_keys), so nothing of their review is
# there in any month.
REVIEWED = people.TEACHER_AGREED

# The Met cells in the middle column of the default key: 5 in the "most check-ins" row, 6 in
# the "all check-ins" row. The reviewer takes the one off the suggested row.
MET_CELLS = ("5", "6")


@pytest.mark.browser
def test_it_runs_the_review_journey(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    reviewer, head = demo.person(people.LINE_MANAGER), demo.person(people.HEADTEACHER)
    person = demo.person(REVIEWED)
    assert person.line_manager == reviewer and person.school == head.school
    cycle = cycle_current(trust=demo.northbridge)
    with trust_scope(demo.northbridge):
        assert not Review.objects.filter(staff_member=person, cycle=cycle).exists()
        assert not JulyReflection.objects.filter(staff_member=person, cycle=cycle).exists()

    # The reviewer places and writes.
    sign_in(page, reviewer, demo.password)
    follow_menu(page, "Reviews")
    assert_accessible(page, "reviews index")
    assert_fits_on_laptop_and_phone(page, "reviews index")
    page.get_by_role("button", name=f"Start review of {person.full_name}").click()
    page.get_by_role("heading", name=f"Place {person.full_name} on the grid").wait_for()
    assert_accessible(page, "placement")
    assert_fits_on_laptop_and_phone(page, "placement")
    page.locator("#cell-10").check()
    assert page.get_by_text("Quality of teaching is regularly outstanding.").is_visible()
    page.locator("#cell-1").check()
    assert page.get_by_label("Date you consulted the headteacher").is_visible()
    suggested_row = page.get_by_role("row").filter(has=page.get_by_text("Suggested", exact=True))
    suggested = {
        suggested_row.locator("input[data-cell]").nth(i).get_attribute("value")
        for i in range(suggested_row.locator("input[data-cell]").count())
    }
    assert len(suggested) == 3
    cell = next(c for c in MET_CELLS if c not in suggested)
    assert page.locator(f"label[for=cell-{cell}]").inner_text().endswith("· Met")
    page.locator(f"#cell-{cell}").check()
    page.get_by_role("button", name="Save placement").click()
    # Off the suggested engagement row: differing needs a reason.
    page.get_by_text("give a reason").first.wait_for()
    assert_accessible(page, "placement with errors")
    page.get_by_label("Reason for differing from the suggested engagement level").fill(
        "Check-ins were recorded on paper this term."
    )
    page.get_by_role("button", name="Save placement").click()
    page.get_by_role("heading", name=f"Statement for {person.full_name}").wait_for()
    assert_accessible(page, "statement")
    assert_fits_on_laptop_and_phone(page, "statement")
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
    # No July reflection (and, before the summer term's review window, early): a reason is
    # needed.
    assert page.get_by_text("The July reflection has not been submitted.").is_visible()
    page.get_by_label("The person is leaving").check()
    page.get_by_role("button", name="Submit for the final decision").click()
    page.get_by_text("Sent to the headteacher for the final decision.").wait_for()
    assert_accessible(page, "review detail (reviewer)")
    assert_fits_on_laptop_and_phone(page, "review detail (reviewer)")

    # The headteacher amends with a reason.
    page.context.clear_cookies()
    sign_in(page, head, demo.password)
    follow_menu(page, "Final decisions")
    assert_accessible(page, "moderation")
    assert_fits_on_laptop_and_phone(page, "moderation")
    page.get_by_role("link", name=f"Decide for {person.full_name}").click()
    assert_accessible(page, "decide")
    assert_fits_on_laptop_and_phone(page, "decide")
    page.get_by_label("Partially met").check()
    page.get_by_role("button", name="Record the final decision").click()
    assert page.get_by_text("Amending the outcome needs a reason.").is_visible()
    page.get_by_label("Reason for amending").fill("Impact on Trust is not yet evidenced.")
    page.get_by_role("button", name="Record the final decision").click()
    page.get_by_text("the statement is locked and released").wait_for()
    assert_accessible(page, "moderation after decision")

    # The person reads, downloads and acknowledges.
    page.context.clear_cookies()
    sign_in(page, person, demo.password)
    page.get_by_role("link", name="Read your statement").click()
    assert page.get_by_text("Thank you for a thoughtful year.").is_visible()
    assert page.get_by_text(
        f"Partially met professional growth expectations for {cycle.name}"
    ).is_visible()
    assert_accessible(page, "statement (person)")
    assert_fits_on_laptop_and_phone(page, "statement (person)")
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

    with trust_scope(demo.northbridge):
        review = Review.objects.get(staff_member=person, cycle=cycle)
        assert review.versions.count() >= 1
    assert review.cell == int(cell) and review.placed_outcome == "met"
    assert review.engagement_override_reason == "Check-ins were recorded on paper this term."
    assert review.decision == "amended" and review.final_outcome == "partially_met"
    assert review.staff_comment == "I agree and will gather evidence."
