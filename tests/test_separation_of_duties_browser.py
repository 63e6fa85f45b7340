"""Separation of duties in Chromium (issue 17, part 1), from the demo trusts. The headteacher
of Northbridge Primary, the deputy's line manager, writes and submits the deputy's review
this cycle (through the services, as the reviews pages would), so no usual decider of that
school is free of it. The HR manager (trust admin) names the Director of Central Services
the trust's designated decider on the "Who decides" page; the headteacher is turned away from
the decision with the reason; the director finds it among the decisions passed to them and
decides it, in that capacity. Every page passes axe and fits a laptop's and a phone's
width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from growth.domain.duties import leader_reviewer
from growth.domain.selectors import cycle_current
from growth.models import RoleAssignment
from growth.security.tenancy import trust_scope
from reviews import frames, services
from reviews.models import Review
from reviews.selectors import frame_for
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone
from tests.reviews_fixtures import sample_choices

MET = 5  # the default key's Met cell in the middle of the grid


def review_written_by_the_head(demo) -> Review:
    """The deputy's review for this cycle, placed, written and submitted (early: the deputy
    is leaving) by their line manager, the headteacher."""
    deputy, head = demo.person(people.DEPUTY), demo.person(people.HEADTEACHER)
    assert deputy.line_manager == head and leader_reviewer(deputy) == head
    with trust_scope(demo.northbridge):
        review = services.review_start(
            actor=head, staff_member=deputy, cycle=cycle_current(trust=demo.northbridge)
        )
        services.review_place(
            actor=head, review=review, cell=MET, suggested_engagement=None, evidence=[]
        )
        frame = frame_for(trust=demo.northbridge, part=1, cell=MET)
        choices = sample_choices(frames.parse_slots(frame.body, frame.slots))
        text, cleaned = services.statement_fill(review=review, choices=choices)
        services.statement_save(actor=head, review=review, part1=text, frame_choices=cleaned)
        services.review_submit(actor=head, review=review, early_reason="leaving")
        review.refresh_from_db()
    return review


@pytest.mark.browser
def test_a_conflicted_head_is_refused_and_the_designated_decider_decides(
    demo, live_server, page, sign_in, assert_accessible, browser, follow_menu
):
    director = demo.person(people.CENTRAL_DIRECTOR)
    deputy = demo.person(people.DEPUTY)
    with trust_scope(demo.northbridge):
        assert not RoleAssignment.objects.filter(
            role=RoleAssignment.Role.DESIGNATED_DECIDER
        ).exists()
    review = review_written_by_the_head(demo)
    assert review.status == Review.Status.SUBMITTED

    sign_in(page, demo.person(people.TRUST_ADMIN), demo.password)
    page.goto(f"{live_server.url}/trust/settings/")
    page.get_by_role("link", name="Who decides").click()
    assert_accessible(page, "who decides")
    assert_fits_on_laptop_and_phone(page, "who decides")
    page.get_by_label("Role").select_option("designated_decider")
    page.get_by_label("Person").select_option(label=f"{director.full_name}, {director.job_title}")
    page.get_by_role("button", name="Give this role").click()
    expect(page.get_by_text(f"{director.full_name} now holds that role.")).to_be_visible()

    head = browser.new_context().new_page()
    sign_in(head, demo.person(people.HEADTEACHER), demo.password)
    head.goto(f"{live_server.url}/reviews/moderation/")
    assert head.get_by_text("You wrote this: another decider decides it").is_visible()
    assert_accessible(head, "moderation, a review the head wrote")
    assert_fits_on_laptop_and_phone(head, "moderation, a review the head wrote")
    head.goto(f"{live_server.url}/reviews/{review.public_id}/decide/")
    assert (
        head.get_by_role("alert")
        .filter(has_text="You wrote this review as the reviewer")
        .is_visible()
    )
    assert_accessible(head, "decision refused")
    assert_fits_on_laptop_and_phone(head, "decision refused")

    decider = browser.new_context().new_page()
    sign_in(decider, director, demo.password)
    follow_menu(decider, "Decisions passed to you")
    assert_accessible(decider, "decisions passed to you")
    assert_fits_on_laptop_and_phone(decider, "decisions passed to you")
    decider.get_by_role("link", name=f"Decide for {deputy.full_name}").click()
    # The decision page, once it has loaded (``is_visible`` does not wait for the click's
    # navigation; on a busy machine it asked the list page).
    expect(decider.get_by_text("Trust's designated decider")).to_be_visible()
    assert_accessible(decider, "decide as designated decider")
    assert_fits_on_laptop_and_phone(decider, "decide as designated decider")
    # The outcome the head placed is chosen already: the decider confirms it as it is.
    decider.get_by_role("button", name="Record the final decision").click()
    expect(decider.get_by_text(f"Final decision recorded for {deputy.full_name}")).to_be_visible()
    with trust_scope(demo.northbridge):
        review.refresh_from_db()
    assert (review.status, review.decided_by, review.decided_as) == (
        Review.Status.DECIDED,
        director,
        "designated_decider",
    )
    assert (review.decision, review.final_outcome) == (Review.Decision.CONFIRMED, "met")
