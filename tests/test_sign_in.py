"""Sign-in with django-allauth: email and password, no public sign-up, verified email,
password reset, rate-limited login, two-factor for everyone and required for leaders where
the trust asks, and the Django admin behind the same door."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from growth.models import Trust
from tests.factories import PASSWORD
from tests.mfa_helpers import give_totp, totp_code


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_it_signs_in_with_email_and_password(world):
    client = Client()
    response = sign_in(client, world.staff.email)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").context["current_staff"] == world.staff


def test_a_wrong_password_is_refused_with_a_message(world):
    response = sign_in(Client(), world.staff.email, "wrong-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_there_is_no_public_sign_up(db):
    client = Client()
    assert "There is no public sign-up" in client.get("/accounts/signup/").content.decode()
    client.post(
        "/accounts/signup/",
        {"email": "me@example.org", "password1": "a-Long-pass-123", "password2": "a-Long-pass-123"},
    )
    assert not get_user_model().objects.filter(email="me@example.org").exists()


def test_an_unverified_email_cannot_sign_in_and_is_sent_a_verification(world):
    EmailAddress.objects.filter(user=world.staff.user).update(verified=False)
    client = Client()
    response = sign_in(client, world.staff.email)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/confirm-email/")
    assert client.get("/").status_code == 302  # not signed in
    assert mail.outbox and mail.outbox[0].to == [world.staff.email]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_password_reset_emails_a_link_that_sets_a_new_password(world):
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": world.staff.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[-1]
    form_page = client.get(path, follow=True)
    action = form_page.request["PATH_INFO"]
    done = client.post(action, {"password1": "a-new-Secret-2026", "password2": "a-new-Secret-2026"})
    assert done.status_code == 302
    assert sign_in(Client(), world.staff.email, "a-new-Secret-2026")["Location"] == "/"
    assert sign_in(Client(), world.staff.email, PASSWORD).status_code == 200  # old one gone


@pytest.fixture
def rate_limits():
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "3/5m/ip,3/5m/key"}):
        yield
    cache.clear()


def test_login_is_rate_limited_after_repeated_failures(world, rate_limits):
    client = Client()
    for _ in range(3):
        sign_in(client, world.staff.email, "wrong-password")
    blocked = sign_in(client, world.staff.email, PASSWORD)
    assert "Too many failed login attempts" in blocked.content.decode()
    assert client.get("/").status_code == 302  # even the right password did not get in


def test_two_factor_sign_in_asks_for_a_totp_code(world):
    secret = give_totp(world.staff.user)
    client = Client()
    response = sign_in(client, world.staff.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # half signed-in is not signed in
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert done["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_instead_of_the_app(world):
    give_totp(world.staff.user)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=world.staff.user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    client = Client()
    sign_in(client, world.staff.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]})["Location"] == "/"


def test_everyone_can_reach_two_factor_set_up(world, client_for):
    page = client_for(world.support).get("/accounts/2fa/")
    assert page.status_code == 200
    assert "Authenticator App" in page.content.decode()


def require_mfa(world) -> None:
    Trust.objects.filter(pk=world.trust.pk).update(require_mfa_for_leaders=True)


@pytest.mark.parametrize("role", ["head", "admin"])
def test_leaders_must_set_up_totp_when_their_trust_requires_it(world, client_for, role):
    require_mfa(world)
    client = client_for(getattr(world, role))
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?required=1"


def test_staff_are_not_forced_and_leaders_with_totp_get_in(world, client_for):
    require_mfa(world)
    assert client_for(world.staff).get("/").status_code == 200
    give_totp(world.head.user)
    assert client_for(world.head).get("/").status_code == 200


def test_leaders_are_not_forced_when_the_trust_does_not_require_it(world, client_for):
    assert client_for(world.head).get("/").status_code == 200


def test_the_admin_uses_the_app_sign_in(db):
    response = Client().get("/admin/")
    assert response.status_code == 302
    follow = Client().get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith("/accounts/login/?next=")


def test_the_admin_requires_totp_and_refuses_non_staff(world, client_for):
    admin_user = get_user_model().objects.create_superuser(
        "root@platform.example", "root@platform.example", PASSWORD
    )
    client = Client()
    client.force_login(admin_user)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/?required=1"
    give_totp(admin_user)
    assert client.get("/admin/").status_code == 200
    assert client_for(world.staff).get("/admin/login/").status_code == 403
