"""Each role's home page and the reports in Chromium, on the demo's year of plans, check-ins and
reviews: the role's section is there (the headteacher's under their school's name), the trust
report's charts are drawn from their data blocks (no CSP violation), a school's report opens
from it, the line manager's team report lists their team, and every page passes axe and fits a
laptop's and a phone's width."""

import pytest

from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone

THEIR_SCHOOL = object()  # the headteacher's section is headed with their school's name

# The demo person of each role, and the sections of their home page beyond "My year".
ROLES = {
    "staff": (people.TEACHER, []),
    "manager": (people.LINE_MANAGER, ["My team"]),
    "head": (people.HEADTEACHER, [THEIR_SCHOOL]),
    "admin": (people.TRUST_ADMIN, ["Schools to follow up"]),
}


@pytest.mark.browser
@pytest.mark.parametrize("role", list(ROLES))
def test_it_shows_each_role_its_home_and_is_accessible(
    demo, live_server, page, sign_in, assert_accessible, role
):
    key, sections = ROLES[role]
    person = demo.person(key)
    sign_in(page, person, demo.password)
    for heading in ["My year", *sections]:
        heading = person.school.name if heading is THEIR_SCHOOL else heading
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    assert_accessible(page, f"home as {role}")
    assert_fits_on_laptop_and_phone(page, f"home as {role}")


@pytest.mark.browser
def test_it_draws_the_reports_charts_accessibly(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    school = demo.person(people.TEACHER).school
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, demo.person(people.TRUST_ADMIN), demo.password)
    follow_menu(page, "Trust report")
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Every school", exact=True).is_visible()
    page.wait_for_function("document.querySelectorAll('canvas').length > 0")
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('[data-chart] canvas'))"
        ".every(c => c.width > 0 && window.Chart && Chart.getChart(c))"
    )
    assert drawn
    assert_accessible(page, "trust report")
    assert_fits_on_laptop_and_phone(page, "trust report")
    page.get_by_role("link", name=school.name).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=school.name, exact=True).is_visible()
    assert_accessible(page, "school report")
    assert_fits_on_laptop_and_phone(page, "school report")
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.browser
def test_it_shows_a_line_manager_the_team_report(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    manager = demo.person(people.LINE_MANAGER)
    sign_in(page, manager, demo.password)
    follow_menu(page, "Team report")
    page.wait_for_load_state()
    for key in ("s1-t1", "s1-t2", "s1-t3"):  # the head of English's three teachers
        assert page.get_by_role("link", name=demo.person(key).full_name).first.is_visible(), key
    assert_accessible(page, "team report")
    assert_fits_on_laptop_and_phone(page, "team report")
