"""In Chromium (issue 17, part 1): the trust admin names the designated decider on the
"Who decides" page; a headteacher who wrote a review is turned away from its decision with
the reason; the designated decider finds it and decides it. Every page passes axe and fits
the window at 1280 and 375 pixels."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.models import Review
from tests.duties_fixtures import make_ceo, review_written_by_head


def fits(page) -> None:
    """Nothing in the page's own content is wider than the window. (The header menu of
    templates/base.html is another engineer's, and is left out of this check.)"""
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        # A table may scroll inside its own box (.table-responsive); the page may not.
        overflow = page.evaluate(
            "(() => { const m = document.querySelector('main');"
            " return Math.max(m.scrollWidth - m.clientWidth,"
            " m.getBoundingClientRect().right - document.documentElement.clientWidth); })()"
        )
        assert overflow <= 1, f"{page.url} is {overflow}px wider than {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
def test_a_conflicted_head_is_refused_and_the_designated_decider_decides(
    world, live_server, page, sign_in, assert_accessible, browser, follow_menu
):
    ceo = make_ceo(world, designated=False)
    review = review_written_by_head(world)

    sign_in(page, world.admin)
    page.goto(f"{live_server.url}/trust/settings/")
    page.get_by_role("link", name="Who decides").click()
    assert_accessible(page, "who decides")
    fits(page)
    page.get_by_label("Role").select_option("designated_decider")
    page.get_by_label("Person").select_option(label=f"{ceo.full_name}, {ceo.job_title}")
    page.get_by_role("button", name="Give this role").click()
    expect(page.get_by_text(f"{ceo.full_name} now holds that role.")).to_be_visible()

    head = browser.new_context().new_page()
    sign_in(head, world.head)
    head.goto(f"{live_server.url}/reviews/moderation/")
    assert head.get_by_text("You wrote this: another decider decides it").is_visible()
    head.goto(f"{live_server.url}/reviews/{review.public_id}/decide/")
    assert (
        head.get_by_role("alert")
        .filter(has_text="You wrote this review as the reviewer")
        .is_visible()
    )
    assert_accessible(head, "decision refused")
    fits(head)

    decider = browser.new_context().new_page()
    sign_in(decider, ceo)
    follow_menu(decider, "Decisions passed to you")
    assert_accessible(decider, "decisions passed to you")
    fits(decider)
    decider.get_by_role("link", name=f"Decide for {world.colleague.full_name}").click()
    # The decision page, once it has loaded (``is_visible`` does not wait for the click's
    # navigation; on a busy machine it asked the list page).
    expect(decider.get_by_text("Trust's designated decider")).to_be_visible()
    assert_accessible(decider, "decide as designated decider")
    decider.get_by_role("button", name="Record the final decision").click()
    decider.wait_for_load_state()
    review.refresh_from_db()
    assert (review.status, review.decided_by, review.decided_as) == (
        Review.Status.DECIDED,
        ceo,
        "designated_decider",
    )
