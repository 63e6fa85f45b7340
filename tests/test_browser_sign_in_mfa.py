"""In Chromium: a person with an authenticator app signs in with email and password, then
the code the app would show, and reaches home; every page along the way passes axe."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.mfa_helpers import give_totp, totp_code


@pytest.mark.browser
def test_it_signs_in_with_password_then_a_totp_code(
    follow_menu, world, live_server, page, assert_accessible
):
    secret = give_totp(world.head.user)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login")
    page.get_by_label("Email").fill(world.head.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert page.get_by_role("heading", name="Two-Factor Authentication").is_visible()
    assert_accessible(page, "two-factor code")
    page.get_by_label("Code").fill("123456" if totp_code(secret) != "123456" else "654321")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_text("Incorrect code.").is_visible()
    assert_accessible(page, "two-factor code, wrong")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name=f"Hello, {world.head.user.first_name}").is_visible()
    assert_accessible(page, "home")
    follow_menu(page, "Two-factor sign-in")
    page.wait_for_load_state()
    assert_accessible(page, "two-factor settings")


@pytest.mark.browser
def test_a_refused_wrong_password_is_announced_accessibly(
    world, live_server, page, assert_accessible
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(world.staff.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_text("are not correct").is_visible()
    assert_accessible(page, "login, wrong password")
