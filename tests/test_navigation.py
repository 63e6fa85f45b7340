"""The navigation shows each role only the pages it may use."""

from __future__ import annotations

import re

import pytest

from tests.factories import give_every_role


def nav_labels(client) -> list[str]:
    html = client.get("/").content.decode()
    main_nav = html.split('<ul class="navbar-nav me-auto">', 1)[1]
    main_nav = main_nav.split('<ul class="navbar-nav">')[0]
    return re.findall(r'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*>([^<]+)</a>', main_nav)


def menu_labels(client) -> list[str]:
    html = client.get("/").content.decode()
    return re.findall(r'data-bs-toggle="dropdown" aria-expanded="false">([^<]+)', html)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", ["Home"]),
        ("support", ["Home"]),
        ("manager", ["Home", "People"]),
        ("head", ["Home", "People"]),
        ("admin", ["Home", "People", "Import staff", "Trust settings"]),
    ],
)
def test_it_shows_each_role_its_own_links(world, client_for, role, expected):
    labels = nav_labels(client_for(getattr(world, role)))
    core = [
        label for label in labels if label in {"Home", "People", "Import staff", "Trust settings"}
    ]
    assert core == expected


def test_the_current_page_is_marked_for_screen_readers(world, client_for):
    html = client_for(world.admin).get("/trust/import-staff/").content.decode()
    assert 'aria-current="page" href="/trust/import-staff/">Import staff' in html
    # ...and the menu holding it says so too.
    assert 'Trust<span class="visually-hidden"> (this page is in this menu)' in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", ["My growth", "Account"]),
        ("manager", ["My growth", "My team", "Account"]),
        ("head", ["My growth", "My team", "My school", "Account"]),
        ("admin", ["My growth", "My team", "Trust", "Account"]),
    ],
)
def test_it_groups_the_links_in_menus_by_role(world, client_for, role, expected):
    assert menu_labels(client_for(getattr(world, role))) == expected


def test_the_trust_admin_with_every_role_has_every_menu(world, client_for):
    give_every_role(world)
    labels = menu_labels(client_for(world.admin))
    assert labels == ["My growth", "My team", "My school", "Trust", "Account"]


def test_the_header_wears_the_trusts_name_and_colour(world, client_for):
    world.trust.brand_colour = "#5b2a86"
    world.trust.save(update_fields=["brand_colour"])
    response = client_for(world.staff).get("/")
    html = response.content.decode()
    assert world.trust.name in html.split("</header>")[0]
    # static/js/app.js sets the colour from the page: no inline style for the CSP to allow.
    assert 'data-trust-colour="#5b2a86"' in html
    assert "<style" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_a_favicon_is_served(world, client_for):
    html = client_for(world.staff).get("/").content.decode()
    assert 'rel="icon"' in html
    assert client_for(None).get("/favicon.ico").status_code == 302


def test_the_admin_link_is_only_for_admin_staff(world, client_for):
    assert ">Admin</a>" not in client_for(world.admin).get("/").content.decode()
    world.admin.user.is_staff = True
    world.admin.user.save(update_fields=["is_staff"])
    assert ">Admin</a>" in client_for(world.admin).get("/").content.decode()
