"""In Chromium, from the demo, for each role at a laptop's 1280 px and a phone's 375 px: every link
of the header is visible or one click (two on a phone) away, every page the menus lead to fits
the window and has a title of words, and the home page passes axe. The demo's people of each
role sign in: the ECT 1 teacher, a teaching assistant, the head of English, the first school's
headteacher, and the trust's HR manager (trust admin and line manager of the HR adviser), who
for the widest header first makes themself manager of Central Services on their own page, as
in a small trust where HR runs everything."""

from __future__ import annotations

import pytest

from growth.domain.services import person_role_give
from growth.models import RoleAssignment
from growth.security.tenancy import trust_scope
from tests import demo as people
from tests.browser import WIDTHS, assert_fits, header_menus

ROLES = {
    "staff": people.TEACHER,
    "support": people.TEACHING_ASSISTANT,
    "manager": people.LINE_MANAGER,
    "head": people.HEADTEACHER,
    "admin": people.TRUST_ADMIN,
}


def _check_header(page, nav, phone: bool) -> list[str]:
    """Every link of the header is visible, or shown by opening its menu (on a phone, after
    opening the menu button); returns their addresses."""
    header = page.locator("header")
    toggler = page.get_by_role("button", name="Menu", exact=True)
    assert toggler.is_visible() == phone
    if phone:
        toggler.click()
        page.locator("#main-nav.show").wait_for()
    addresses = []
    for link in nav.links:
        assert header.get_by_role("link", name=link.label, exact=True).is_visible()
        addresses.append(link.url)
    for label, links in [(m.label, m.links) for m in nav.menus] + [("Account", [])]:
        header.get_by_role("button", name=label).click()
        for link in links:
            shown = header.get_by_role("link", name=link.label, exact=True)
            shown.wait_for(state="visible")
            box = shown.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
            addresses.append(link.url)
        if label == "Account":
            header.get_by_role("button", name="Sign out").wait_for(state="visible")
            header.get_by_role("link", name="Two-factor sign-in").wait_for(state="visible")
        assert_fits(page, f"the open {label} menu")
        page.keyboard.press("Escape")
    return addresses


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_reaches_every_menu_link_and_no_page_is_wider_than_the_window(
    demo, live_server, page, sign_in, assert_accessible, role, width
):
    staff = demo.person(ROLES[role])
    if role == "admin":
        # The widest header: a trust admin who also manages a team and line-manages someone.
        with trust_scope(demo.northbridge):
            central = staff.school
            person_role_give(
                actor=staff, staff=staff, role=RoleAssignment.Role.HEADTEACHER, school=central
            )
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    sign_in(page, staff, demo.password)
    phone = width == "phone"
    nav = header_menus(staff)
    assert_fits(page, f"home of {role} at {width} width")
    assert_accessible(page, f"home of {role} at {width} width")
    addresses = _check_header(page, nav, phone)
    if role == "admin":
        assert [m.label for m in nav.menus] == ["My growth", "My team", "My school", "Trust"]
    for address in addresses:
        page.goto(live_server.url + address)
        assert_fits(page, f"{address} for {role} at {width} width")
        # The tab's title is words, never markup.
        assert "<" not in page.title() and page.title().endswith("· Professional Growth")
