"""In Chromium, from the demo trusts: the demo's headteacher turns on two-factor sign-in as a
person does (the "Two-factor sign-in" page, the secret it shows typed into an authenticator
app, the app's code typed back), signs out, then signs in with email and password and the
code the app shows, a wrong code refused first, and reaches home. A demo teacher's wrong
password is refused and announced. Every page along the way passes axe and fits a laptop's
and a phone's width."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone
from tests.mfa_helpers import totp_code


def turn_on_two_factor(page, follow_menu, assert_accessible, password: str) -> str:
    """From home: activate an authenticator app; returns the secret the page showed (what
    the person types or scans into their app)."""
    follow_menu(page, "Two-factor sign-in")
    expect(page.get_by_text("An authenticator app is not active.")).to_be_visible()
    assert_accessible(page, "two-factor settings, not set up")
    assert_fits_on_laptop_and_phone(page, "two-factor settings, not set up")
    page.get_by_role("link", name="Activate").click()
    # Changing how one signs in asks for the password again first.
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    assert_accessible(page, "confirm access")
    assert_fits_on_laptop_and_phone(page, "confirm access")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    assert_accessible(page, "activate an authenticator app")
    assert_fits_on_laptop_and_phone(page, "activate an authenticator app")
    secret = page.get_by_label("Authenticator secret").input_value()
    assert secret
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    return secret


@pytest.mark.browser
def test_it_signs_in_with_password_then_a_totp_code(
    follow_menu, demo, live_server, page, sign_in, assert_accessible
):
    head = demo.person(people.HEADTEACHER)
    assert not Authenticator.objects.filter(user=head.user).exists()
    sign_in(page, head, demo.password)
    secret = turn_on_two_factor(page, follow_menu, assert_accessible, demo.password)
    assert Authenticator.objects.filter(user=head.user, type=Authenticator.Type.TOTP).exists()
    page.context.clear_cookies()

    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login")
    assert_fits_on_laptop_and_phone(page, "login")
    page.get_by_label("Email").fill(head.email)
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert page.get_by_role("heading", name="Two-Factor Authentication").is_visible()
    assert_accessible(page, "two-factor code")
    assert_fits_on_laptop_and_phone(page, "two-factor code")
    page.get_by_label("Code").fill("123456" if totp_code(secret) != "123456" else "654321")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_text("Incorrect code.").is_visible()
    assert_accessible(page, "two-factor code, wrong")
    assert_fits_on_laptop_and_phone(page, "two-factor code, wrong")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name=f"Hello, {head.user.first_name}").is_visible()
    assert_accessible(page, "home")
    assert_fits_on_laptop_and_phone(page, "home")
    follow_menu(page, "Two-factor sign-in")
    page.wait_for_load_state()
    expect(page.get_by_text("Authentication using an authenticator app is active.")).to_be_visible()
    assert_accessible(page, "two-factor settings")
    assert_fits_on_laptop_and_phone(page, "two-factor settings")


@pytest.mark.browser
def test_a_refused_wrong_password_is_announced_accessibly(
    demo, live_server, page, assert_accessible
):
    teacher = demo.person(people.TEACHER)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(teacher.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_text("are not correct").is_visible()
    assert page.url == f"{live_server.url}/accounts/login/"
    assert_accessible(page, "login, wrong password")
    assert_fits_on_laptop_and_phone(page, "login, wrong password")
