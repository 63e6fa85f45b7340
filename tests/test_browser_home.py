"""A person signs in through the real form in Chromium and lands on an accessible home page."""

import pytest


@pytest.mark.browser
def test_it_signs_in_and_shows_home_and_people(
    follow_menu, world, live_server, page, sign_in, assert_accessible
):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login")
    sign_in(page, world.manager)
    assert page.get_by_role("heading", name=f"Hello, {world.manager.user.first_name}").is_visible()
    assert_accessible(page, "home")
    follow_menu(page, "People")
    assert page.get_by_role("link", name=world.staff.full_name).is_visible()
    assert_accessible(page, "people")
