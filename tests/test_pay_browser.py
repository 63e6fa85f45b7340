"""Pay progression in Chromium (issue 17, parts 4 and 5), from the demo trusts. Hillcrest's
history teacher, on the main range (M4), has a review decided Met in each of the two years
before this one (the demo's last year, and the year before it, which the trust adds) and this
year, written and decided through the services. They apply for the Upper Pay Scale from the
menu, told their earlier reviews show two years in a row, answering the four criteria with a
link to last year's review; the headteacher sees the application sustained and approves it
with a reason; the pay table shows the outcome with its reason and the rating, and the head
confirms the pay recommendation there as the page offers it. The HR manager (trust admin)
reads the pay totals and mapping pages, changes the mapping and opens a school's pay table.
Every page passes axe and fits a laptop's and a phone's width."""

from __future__ import annotations

import pytest

from growth.demo.scale import school_year
from growth.domain.selectors import cycle_current, cycles_all
from growth.domain.services import DatedRow, cycle_save
from growth.models import GrowthCycle, StaffMember
from growth.security.tenancy import trust_scope
from reviews import services
from reviews.models import PayDecision, PayMappingEntry, Review, UpperPayApplication
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone
from tests.reviews_fixtures import placed_review
from tests.test_upper_pay_scale_services import ANSWERS

SHOTS = "/tmp/pay-shots"

# Hillcrest's history teacher, on the main range below its top (M4) and line managed by the
# deputy: not among the people whose reviews the demo writes (growth/demo/activity.py,
# reviewed_keys), so their review history is the test's own in any month.
MAIN_RANGE_TEACHER = "s2-t7"
HEADTEACHER = "s2-head"
MET = 5  # the default key's Met cell in the middle of the grid
# An earlier year's review, written after its July reflection window without one.
ON_PAPER = {"early_reason": "other", "early_reason_text": "The July reflection was on paper."}


def decide_a_met_review(
    person: StaffMember,
    cycle: GrowthCycle,
    head: StaffMember,
    *,
    early_reason: str = "leaving",
    early_reason_text: str = "",
) -> Review:
    """The person's review for ``cycle`` as their reviewer and headteacher write it: placed
    in the Met cell, the statement filled from the frame, submitted and confirmed."""
    review = placed_review(
        person=person,
        cycle=cycle,
        cell=MET,
        submit=True,
        early_reason=early_reason,
        early_reason_text=early_reason_text,
    )
    with trust_scope(person.trust_id):
        services.review_decide(actor=head, review=review, outcome=review.placed_outcome)
        review.refresh_from_db()
    return review


def add_the_cycle_before(demo) -> GrowthCycle:
    """The trust's admin adds the school year before the demo's first, as the demo's are."""
    first = cycles_all(demo.northbridge)[0]
    year = first.start_date.year - 1
    dates, terms = school_year(year)
    with trust_scope(demo.northbridge):
        return cycle_save(
            actor=demo.person(people.TRUST_ADMIN),
            trust=demo.northbridge,
            cycle=None,
            values={"name": f"{year}-{str(year + 1)[-2:]}", **dates},
            terms=[DatedRow(name, start, end) for name, start, end in terms],
            closures=[],
        )


@pytest.mark.browser
def test_a_teacher_applies_the_head_decides_and_the_pay_table_shows_it(
    demo, live_server, page, sign_in, assert_accessible, browser, follow_menu
):
    teacher, head_of_school = demo.person(MAIN_RANGE_TEACHER), demo.person(HEADTEACHER)
    assert (teacher.pay_range, teacher.pay_point) == ("main", 4)
    this_year = cycle_current(trust=demo.northbridge)
    with trust_scope(demo.northbridge):
        assert not Review.objects.filter(staff_member=teacher).exists()
    # Met in each of the two years before this one, and this year (for the pay table).
    last_year = next(c for c in cycles_all(demo.northbridge) if c.end_date < this_year.start_date)
    year_before = add_the_cycle_before(demo)
    decide_a_met_review(teacher, year_before, head_of_school, **ON_PAPER)
    decide_a_met_review(teacher, last_year, head_of_school, **ON_PAPER)
    this_years = decide_a_met_review(teacher, this_year, head_of_school)

    sign_in(page, teacher, demo.password)
    follow_menu(page, "Upper Pay Scale")
    assert page.get_by_text("Your earlier decided reviews show 2 years in a row").is_visible()
    assert page.get_by_text(f"{last_year.name}, {year_before.name}").is_visible()
    assert_accessible(page, "upper pay scale: apply")
    assert_fits_on_laptop_and_phone(page, "upper pay scale: apply")
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
    assert_fits_on_laptop_and_phone(page, "upper pay scale: application")

    head = browser.new_context().new_page()
    sign_in(head, head_of_school, demo.password)
    follow_menu(head, "Pay progression")
    assert_accessible(head, "pay table")
    assert_fits_on_laptop_and_phone(head, "pay table")
    head.get_by_role("link", name="Awaiting the headteacher's decision").click()
    assert head.get_by_role("link", name=f"Review {last_year.name}: Met").is_visible()
    assert head.get_by_text("Yes: 2 years in a row at this level").is_visible()
    assert_accessible(head, "upper pay scale: decide")
    assert_fits_on_laptop_and_phone(head, "upper pay scale: decide")
    head.get_by_label("Approve: they move onto the Upper Pay Scale").check()
    head.get_by_label("Reason (the teacher sees it)").fill("Sustained impact across the team.")
    head.get_by_role("button", name="Record the decision").click()
    head.wait_for_load_state()
    assert head.get_by_text("Approved: moves onto the Upper Pay Scale").first.is_visible()

    follow_menu(head, "Pay progression")
    row = head.locator("tr").filter(has_text=teacher.full_name)
    assert "Approved: moves onto the Upper Pay Scale: Sustained impact across the team." in (
        row.inner_text()
    )
    assert "Achieved expectations" in row.inner_text()
    head.screenshot(path=f"{SHOTS}/pay-table.png", full_page=True)
    row.get_by_role("link", name="Confirm or amend").click()
    assert_accessible(head, "pay decision")
    assert_fits_on_laptop_and_phone(head, "pay decision")
    head.screenshot(path=f"{SHOTS}/pay-decide.png", full_page=True)
    head.get_by_role("button", name="Record the pay decision").click()
    head.wait_for_load_state()
    assert head.get_by_text(f"Pay decision recorded for {teacher.full_name}").is_visible()
    assert "Progresses to the next point" in (
        head.locator("tr").filter(has_text=teacher.full_name).inner_text()
    )
    with trust_scope(demo.northbridge):
        assert PayDecision.objects.get(review=this_years).decision == "confirmed"
        application = UpperPayApplication.objects.get(staff_member=teacher, cycle=this_year)
    assert application.status == "approved"
    assert application.sustained_cycles == [last_year.name, year_before.name]


@pytest.mark.browser
def test_the_trust_pages_pass_axe_and_fit(
    demo, live_server, page, sign_in, assert_accessible, follow_menu
):
    teacher = demo.person(MAIN_RANGE_TEACHER)
    # This year's review decided, so that the pages show a recommendation to act on.
    decide_a_met_review(teacher, cycle_current(trust=demo.northbridge), demo.person(HEADTEACHER))
    sign_in(page, demo.person(people.TRUST_ADMIN), demo.password)
    for label, name in (("Pay totals", "pay-totals"), ("Pay mapping", "pay-mapping")):
        follow_menu(page, label)
        assert_accessible(page, label)
        assert_fits_on_laptop_and_phone(page, label)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    page.get_by_label("Partially met: recommendation").select_option("progress")
    page.get_by_role("button", name="Save the mapping").click()
    page.wait_for_load_state()
    assert page.get_by_text("The pay progression mapping is saved.").is_visible()
    with trust_scope(demo.northbridge):
        entry = PayMappingEntry.objects.get(outcome="partially_met")
    assert entry.recommendation == "progress"
    follow_menu(page, "Pay totals")
    page.get_by_role("link", name=teacher.school.name).click()
    assert page.locator("tr").filter(has_text=teacher.full_name).is_visible()
    assert_accessible(page, "pay table as HR")
    assert_fits_on_laptop_and_phone(page, "pay table as HR")
