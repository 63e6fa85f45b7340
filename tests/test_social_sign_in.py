"""Microsoft and Google sign-in accept only the trust's own accounts, with a clear refusal."""

from __future__ import annotations

import base64
import json

import pytest
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin, SocialToken
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from growth.models import Trust
from growth.security.adapters import SocialAccountAdapter, social_account_refusal
from growth.security.tenancy import trust_scope

TENANT = "7f0c6a55-1111-4222-8333-944455556666"


@pytest.fixture
def trust(world) -> Trust:
    Trust.objects.filter(pk=world.trust.pk).update(
        email_domains="alpha.example",
        microsoft_tenant_id=TENANT,
        google_workspace_domain="alpha.example",
    )
    return Trust.objects.get(pk=world.trust.pk)


def pre_social_login(request, login) -> None:
    """The adapter's hook as allauth's middleware calls it: with the request in allauth's
    context, where its notification emails read the address and browser from."""
    with context.request_context(request):
        SocialAccountAdapter(request).pre_social_login(request, login)


def test_it_accepts_the_trusts_own_microsoft_and_google_accounts(world, trust):
    assert social_account_refusal(world.staff.email, {"tid": TENANT}, "microsoft") is None
    assert (
        social_account_refusal(world.staff.email.upper(), {"hd": "alpha.example"}, "google") is None
    )


def test_it_refuses_an_email_with_no_account(world, trust):
    reason = social_account_refusal("stranger@alpha.example", {"tid": TENANT}, "microsoft")
    assert reason == (
        "There is no Professional Growth account for that email address. "
        "Ask your trust's HR team for an invitation."
    )


def test_it_refuses_a_left_member_of_staff(world, trust):
    world.staff.is_active = False
    world.staff.save(update_fields=["is_active"])
    assert social_account_refusal(world.staff.email, {"tid": TENANT}, "microsoft")


def test_it_refuses_a_domain_the_trust_does_not_list(world, trust):
    Trust.objects.filter(pk=trust.pk).update(email_domains="alpha-schools.org.uk")
    reason = social_account_refusal(world.staff.email, {"tid": TENANT}, "microsoft")
    assert (
        reason == "Trust alpha only accepts sign-in with its own accounts (alpha-schools.org.uk)."
    )


def test_it_refuses_everything_when_the_trust_lists_no_domain(world, trust):
    Trust.objects.filter(pk=trust.pk).update(email_domains="")
    reason = social_account_refusal(world.staff.email, {"hd": "alpha.example"}, "google")
    assert reason == "Trust alpha only accepts sign-in with its own accounts (none configured)."


def test_it_refuses_a_microsoft_account_from_another_tenant(world, trust):
    reason = social_account_refusal(world.staff.email, {"tid": "someone-else"}, "microsoft")
    assert reason == "That Microsoft account is not from Trust alpha's organisation."
    assert social_account_refusal(world.staff.email, {}, "microsoft") == reason


def test_it_refuses_a_google_account_outside_the_workspace(world, trust):
    reason = social_account_refusal(world.staff.email, {"hd": "gmail.com"}, "google")
    assert reason == "That Google account is not from Trust alpha's Workspace."
    assert social_account_refusal(world.staff.email, {}, "google") == reason


def test_it_does_not_let_one_trusts_tenant_vouch_for_another_trusts_person(
    world, other_world, trust
):
    # Trust B's person presenting trust A's tenant: judged against trust B's settings.
    Trust.objects.filter(pk=other_world.trust.pk).update(microsoft_tenant_id="tenant-b")
    assert social_account_refusal(other_world.staff.email, {"tid": TENANT}, "microsoft")


def fake_access_token(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none'})}.{part(claims)}.sig"


def social_login(email: str, provider: str, extra: dict, token: str = "") -> SocialLogin:
    user = get_user_model()(email=email)
    account = SocialAccount(provider=provider, uid=f"uid-{email}", extra_data=extra)
    return SocialLogin(user=user, account=account, token=SocialToken(token=token, account=account))


def request_with_session():
    request = RequestFactory().get("/accounts/microsoft/login/callback/")
    request.session = SessionStore()
    request.session.create()
    request._messages = FallbackStorage(request)
    request.user = None
    return request


def test_a_refusal_sends_the_person_to_the_login_page_with_the_reason(world, trust):
    request = request_with_session()
    login = social_login(
        world.staff.email, "microsoft", {"mail": world.staff.email}, fake_access_token({"tid": "x"})
    )
    with pytest.raises(ImmediateHttpResponse) as refused:
        pre_social_login(request, login)
    assert refused.value.response["Location"] == "/accounts/login/"
    # The message reaches the login page through the session, as it would after the redirect.
    request._messages.update(refused.value.response)
    request.session.save()
    client = Client()
    client.cookies.update(refused.value.response.cookies)
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    page = client.get("/accounts/login/").content.decode()
    assert "That Microsoft account is not from Trust alpha&#x27;s organisation." in page
    assert 'class="alert alert-danger"' in page


def test_a_good_microsoft_account_is_linked_to_the_staff_member(world, trust):
    app = SocialApp.objects.create(provider="microsoft", name="Microsoft", client_id="id")
    request = request_with_session()
    login = social_login(
        world.staff.email,
        "microsoft",
        {"mail": world.staff.email},
        fake_access_token({"tid": TENANT, "upn": world.staff.email}),
    )
    login.token.app = app
    pre_social_login(request, login)
    account = SocialAccount.objects.get(user=world.staff.user)
    assert account.provider == "microsoft"
    # The person is told, by email and in their notifications.
    from growth.models import Notification

    with trust_scope(world.trust):
        notes = Notification.objects.filter(recipient=world.staff).values_list("subject", flat=True)
        assert list(notes) == ["A Microsoft or Google account was connected to your sign-in"]


def test_an_unreadable_microsoft_token_is_refused_when_a_tenant_is_set(world, trust):
    request = request_with_session()
    login = social_login(world.staff.email, "microsoft", {"mail": world.staff.email}, "opaque")
    with pytest.raises(ImmediateHttpResponse):
        pre_social_login(request, login)
    assert not SocialAccount.objects.exists()
