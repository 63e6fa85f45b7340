"""The navigation shows each role only the pages it may use."""

from __future__ import annotations

import re

import pytest


def nav_labels(client) -> list[str]:
    html = client.get("/").content.decode()
    main_nav = html.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a class="nav-link[^"]*"[^>]*>([^<]+)</a>', main_nav)


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


def test_the_admin_link_is_only_for_admin_staff(world, client_for):
    assert ">Admin</a>" not in client_for(world.admin).get("/").content.decode()
    world.admin.user.is_staff = True
    world.admin.user.save(update_fields=["is_staff"])
    assert ">Admin</a>" in client_for(world.admin).get("/").content.decode()
