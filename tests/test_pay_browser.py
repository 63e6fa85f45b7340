"""In Chromium (issue 17, parts 4 and 5): a main-range teacher applies for the Upper Pay
Scale from the menu, answering the four criteria with a link to their evidence; the
headteacher decides with a reason; the pay table shows the outcome and the reason, and the
head confirms a pay recommendation there. Every page passes axe and fits 1280 and 375 px."""

from __future__ import annotations

import pytest

from reviews.models import PayDecision, UpperPayApplication
from tests.pay_fixtures import decided_review, earlier_cycles, on_pay
from tests.test_separation_of_duties_browser import fits
from tests.test_upper_pay_scale_services import ANSWERS

SHOTS = "/tmp/pay-shots"


@pytest.mark.browser
def test_a_teacher_applies_the_head_decides_and_the_pay_table_shows_it(
    world, live_server, page, sign_in, assert_accessible, browser, follow_menu
):
    on_pay(world, world.staff, "main", 5)
    last_year, year_before = earlier_cycles(world, 2)
    decided_review(world, cycle=last_year)
    decided_review(world, cycle=year_before)
    decided_review(world)  # this year's, for the pay recommendation

    sign_in(page, world.staff)
    follow_menu(page, "Upper Pay Scale")
    assert page.get_by_text("Your earlier decided reviews show 2 years in a row").is_visible()
    assert_accessible(page, "upper pay scale: apply")
    fits(page)
    page.screenshot(path=f"{SHOTS}/ups-apply.png", full_page=True)
    page.get_by_label("Highly competent in all of the Teachers' Standards").fill(
        ANSWERS["standards"]
    )
    page.get_by_label("Fully engaged in professional growth").fill(ANSWERS["engagement"])
    page.get_by_label("Substantial and sustained").fill(ANSWERS["substantial_sustained"])
    page.get_by_label("Wider contribution").fill(ANSWERS["wider_contribution"])
    page.get_by_label(f"Review {last_year.name}: Met").check()
    page.get_by_role("button", name="Send my application to the headteacher").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your application is with your headteacher").is_visible()
    assert_accessible(page, "upper pay scale: application")
    fits(page)

    head = browser.new_context().new_page()
    sign_in(head, world.head)
    follow_menu(head, "Pay progression")
    assert_accessible(head, "pay table")
    fits(head)
    head.get_by_role("link", name="Awaiting the headteacher's decision").click()
    assert head.get_by_role("link", name=f"Review {last_year.name}: Met").is_visible()
    assert head.get_by_text("Yes: 2 years in a row at this level").is_visible()
    assert_accessible(head, "upper pay scale: decide")
    fits(head)
    head.get_by_label("Approve: they move onto the Upper Pay Scale").check()
    head.get_by_label("Reason (the teacher sees it)").fill("Sustained impact across the team.")
    head.get_by_role("button", name="Record the decision").click()
    head.wait_for_load_state()
    assert head.get_by_text("Approved: moves onto the Upper Pay Scale").first.is_visible()

    follow_menu(head, "Pay progression")
    row = head.locator("tr").filter(has_text=world.staff.full_name)
    assert "Approved: moves onto the Upper Pay Scale: Sustained impact across the team." in (
        row.inner_text()
    )
    assert "Achieved expectations" in row.inner_text()
    head.screenshot(path=f"{SHOTS}/pay-table.png", full_page=True)
    row.get_by_role("link", name="Confirm or amend").click()
    assert_accessible(head, "pay decision")
    fits(head)
    head.screenshot(path=f"{SHOTS}/pay-decide.png", full_page=True)
    head.get_by_role("button", name="Record the pay decision").click()
    head.wait_for_load_state()
    assert head.get_by_text(f"Pay decision recorded for {world.staff.full_name}").is_visible()
    assert "Progresses to the next point" in (
        head.locator("tr").filter(has_text=world.staff.full_name).inner_text()
    )
    assert PayDecision.objects.for_trust(world.trust).get().decision == "confirmed"
    assert UpperPayApplication.objects.for_trust(world.trust).get().status == "approved"


@pytest.mark.browser
def test_the_trust_pages_pass_axe_and_fit(
    world, live_server, page, sign_in, assert_accessible, follow_menu
):
    on_pay(world, world.staff, "main", 3)
    decided_review(world)
    sign_in(page, world.admin)
    for label, name in (("Pay totals", "pay-totals"), ("Pay mapping", "pay-mapping")):
        follow_menu(page, label)
        assert_accessible(page, label)
        fits(page)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    page.get_by_label("Partially met: recommendation").select_option("progress")
    page.get_by_role("button", name="Save the mapping").click()
    page.wait_for_load_state()
    assert page.get_by_text("The pay progression mapping is saved.").is_visible()
    follow_menu(page, "Pay totals")
    page.get_by_role("link", name=world.school.name).click()
    assert_accessible(page, "pay table as HR")
    fits(page)
