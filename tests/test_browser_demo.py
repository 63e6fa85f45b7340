"""The demo as the README hands it over: seed_demo builds it (the `demo` fixture runs it), and
each role signs in with the account and password it printed, opens the pages its "try:" line
points to, and finds the demo's year on them, on a laptop and on a phone, with nothing wider
than the window."""

from __future__ import annotations

import re

import pytest

from tests.browser import WIDTHS, assert_fits

# A role as seed_demo prints it, and the header links to the pages its "try:" line names.
ROLES = {
    "Teacher (ECT 1)": ["My plan", "Check-ins"],
    "Line manager (Head of English)": ["Team plans", "Team check-ins", "Team report"],
    "Headteacher, Northbridge Primary School": ["School report"],
    "Trust admin (HR)": ["Trust report", "People"],
}


def printed_accounts(printed: str) -> tuple[str, dict[str, str]]:
    """The password and the Northbridge accounts, read from what seed_demo printed."""
    password = re.search(r"password '([^']+)'", printed).group(1)
    northbridge = printed.split("Northbridge Learning Trust:")[1].split("Fenmoor")[0]
    emails = {
        role: re.search(re.escape(role) + r"\s+(\S+@\S+)", northbridge).group(1) for role in ROLES
    }
    return password, emails


def sign_in_as(page, base: str, email: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.slow
def test_each_demo_role_finds_its_year_on_its_pages_on_a_laptop_and_a_phone(
    demo, live_server, page, follow_menu, assert_accessible
):
    password, emails = printed_accounts(demo.printed)
    for role, links in ROLES.items():
        page.set_viewport_size(dict(zip(("width", "height"), WIDTHS["laptop"], strict=True)))
        sign_in_as(page, live_server.url, emails[role], password)
        assert page.get_by_role("heading", name="My year", exact=True).is_visible(), role
        addresses = {"home": page.url}
        for link in links:
            page.goto(addresses["home"])
            follow_menu(page, link)
            page.wait_for_load_state("networkidle")
            addresses[link] = page.url
        # What the demo's year put on each role's pages.
        page.goto(addresses["home"])
        page.wait_for_load_state("networkidle")
        home = page.locator("main").inner_text()
        if role.startswith("Line manager"):
            assert "waiting for you to agree" in home and "not yet meeting" in home, home
        if role.startswith("Headteacher"):
            page.goto(addresses["School report"])
            people = page.locator("table#table-people tbody tr")
            assert people.count() >= 10
            assert "Agreed" in page.locator("table#table-people").inner_text()
        if role.startswith("Trust admin"):
            page.goto(addresses["Trust report"])
            schools = page.locator("table#table-schools tbody tr")
            assert schools.count() == 4
            assert "Northbridge Primary School" in page.locator("table#table-schools").inner_text()
            assert all(" of " in row for row in schools.all_inner_texts())
            assert_accessible(page, "the demo's trust report")
        for size, viewport in WIDTHS.items():
            page.set_viewport_size(dict(zip(("width", "height"), viewport, strict=True)))
            for name, address in addresses.items():
                page.goto(address)
                page.wait_for_load_state("networkidle")
                assert_fits(page, f"{name} of {role} on a {size}")
