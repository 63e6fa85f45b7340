"""A person of the demo signs in through the real form in Chromium and lands on an accessible
home page that fits a laptop and a phone."""

import pytest

from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone


@pytest.mark.browser
def test_it_signs_in_and_shows_home_and_people(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    manager, teacher = demo.person(people.LINE_MANAGER), demo.person(people.TEACHER)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login")
    assert_fits_on_laptop_and_phone(page, "login")
    sign_in(page, manager, demo.password)
    assert page.get_by_role("heading", name=f"Hello, {manager.user.first_name}").is_visible()
    assert_accessible(page, "home")
    assert_fits_on_laptop_and_phone(page, "home")
    follow_menu(page, "People")
    assert page.get_by_role("link", name=teacher.full_name).is_visible()
    assert_accessible(page, "people")
    assert_fits_on_laptop_and_phone(page, "people")
