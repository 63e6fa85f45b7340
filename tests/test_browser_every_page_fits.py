"""In Chromium, from the demo: for each role, every page one link away from the home page or
from a page of the header's menus opens and is no wider than the window, at a laptop's
1280 px and a phone's 375 px. `test_browser_navigation` checks the menus' own pages; this
follows their links (a person's page, a review, an observation, a school's report, a form), one
page per kind of page, as the signed-in person would click them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone, header_menus

ROLES = {
    "staff": people.TEACHER,
    "manager": people.LINE_MANAGER,
    "head": people.HEADTEACHER,
    "admin": people.TRUST_ADMIN,
}

# Links that leave the pages a person reads: signing out, the site's own admin, and files
# (downloads, calendar feeds, PDFs), which the browser saves rather than shows.
NOT_PAGES = ("/accounts/logout/", "/admin/", "/static/", "/media/")

LINKS = "els => els.map(e => e.getAttribute('href'))"


def _menu_addresses(staff) -> list[str]:
    nav = header_menus(staff)
    return [link.url for link in nav.links] + [
        link.url for menu in nav.menus for link in menu.links
    ]


def _kind_of_page(href: str | None) -> tuple[str, str] | None:
    """(the view's name, the address) of a link to one of the site's pages, else None."""
    if not href or not href.startswith("/") or href.startswith("//"):
        return None
    parts = urlsplit(href)
    if "export=" in parts.query or parts.path.startswith(NOT_PAGES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name, href


def _is_html(page, url: str) -> bool:
    """Whether the address answers with a page (not a file to save), checked before the
    browser opens it; every address must answer without a server error."""
    response = page.request.get(url, max_redirects=5)
    assert response.status < 500, f"{url} answered {response.status}"
    return response.ok and response.headers.get("content-type", "").startswith("text/html")


@pytest.mark.browser
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_a_link_away_from_the_menus_fits_the_window(
    demo, live_server, page, sign_in, role
):
    staff = demo.person(ROLES[role])
    sign_in(page, staff, demo.password)
    starts = ["/", *_menu_addresses(staff)]
    seen_kinds: set[str] = set()
    to_open: list[str] = []
    for address in starts:
        page.goto(live_server.url + address)
        if address == "/":
            page.wait_for_load_state("networkidle")  # the home page's panels load after it
        for href in page.eval_on_selector_all("a[href]", LINKS):
            found = _kind_of_page(href)
            if found and found[0] not in seen_kinds:
                seen_kinds.add(found[0])
                to_open.append(found[1])
    opened = []
    for address in to_open:
        url = live_server.url + address
        if not _is_html(page, url):
            continue
        page.goto(url)
        assert_fits_on_laptop_and_phone(page, f"{address} for {role}")
        opened.append(address)
    # The crawl reached beyond the menus' own pages (a person's page, for every role).
    assert len(opened) > len(starts) // 2, opened
    assert any(resolve(urlsplit(a).path).view_name == "checkins:person" for a in opened), opened
