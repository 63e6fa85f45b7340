"""Each role's home page and the reports in Chromium: the role's section is there, the charts
are drawn from their data blocks (no CSP violation), and axe finds nothing serious."""

import pytest

from tests.dashboards_fixtures import grow

ROLE_SECTIONS = {
    "staff": ["My year"],
    "manager": ["My year", "My team"],
    "head": ["My year", "Alpha Primary"],
    "admin": ["My year", "Every school"],
}


@pytest.mark.browser
@pytest.mark.parametrize("role", ["staff", "manager", "head", "admin"])
def test_it_shows_each_role_its_home_and_is_accessible(
    world, live_server, page, sign_in, assert_accessible, role
):
    grow(world, 2)
    sign_in(page, getattr(world, role))
    for heading in ROLE_SECTIONS[role]:
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    assert_accessible(page, f"home as {role}")


@pytest.mark.browser
def test_it_draws_the_reports_charts_accessibly(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    grow(world, 3)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, world.admin)
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
    page.get_by_role("link", name=world.school.name).first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=world.school.name, exact=True).is_visible()
    assert_accessible(page, "school report")
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.browser
def test_it_shows_a_line_manager_the_team_report(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    grow(world, 2)
    sign_in(page, world.manager)
    follow_menu(page, "Team report")
    page.wait_for_load_state()
    assert page.get_by_role("link", name=world.staff.full_name).first.is_visible()
    assert_accessible(page, "team report")
