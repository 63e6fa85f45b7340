"""django-allauth adapters: staff are invited (no public sign-up), and Microsoft/Google
sign-in accepts only accounts from the trust's own domain or tenant."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect

from growth.models import StaffMember


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send the account email, then list it in the person's notifications (without the
        link or code it carries)."""
        from growth.notifications.services import account_email_record

        super().send_mail(template_prefix, email, context)
        account_email_record(template_prefix=template_prefix, email=email)

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address sign-in rate limits count by: the one the trusted proxies saw.

        Behind a load balancer every request comes from the balancer's address, and one limit
        would cover everybody. With TRUSTED_CLIENT_IP_HEADER set, that header (set by the
        proxy) names the client; otherwise, with TRUSTED_PROXY_COUNT = n, the n-th address
        from the right of X-Forwarded-For does (the one our outermost proxy appended; anything
        further left is what the client claimed). A request that did not come through the
        proxies (too few addresses, or none valid) counts by its own connection address."""
        connected = request.META.get("REMOTE_ADDR", "")
        claimed = ""
        header = getattr(settings, "TRUSTED_CLIENT_IP_HEADER", "")
        proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
        if header:
            claimed = request.headers.get(header, "")
        elif proxies > 0:
            hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
            hops = [h for h in hops if h]
            if len(hops) >= proxies:
                claimed = hops[-proxies]
        try:
            return str(ipaddress.ip_address(claimed))
        except ValueError:
            return connected or super().get_client_ip(request)


def social_account_refusal(email: str, extra: dict[str, Any], provider: str) -> str | None:
    """Why this external account may not sign in, or None when it may.

    The account must belong to a staff member whose trust lists the email's domain, and for
    Microsoft the token's tenant must be the trust's tenant; for Google the hosted domain
    must be the trust's Workspace domain when one is set."""
    from growth.security.rls import all_trusts

    email = (email or "").strip().lower()
    with all_trusts():  # before sign-in no trust is known: the one cross-trust lookup
        staff = (
            StaffMember.objects.unscoped()
            .select_related("trust")
            .filter(user__email__iexact=email, is_active=True)
            .first()
        )
    if staff is None:
        return (
            "There is no Professional Growth account for that email address. "
            "Ask your trust's HR team for an invitation."
        )
    trust = staff.trust
    domain = email.rsplit("@", 1)[-1]
    if domain not in trust.email_domain_list:
        allowed = ", ".join(trust.email_domain_list) or "none configured"
        return f"{trust.name} only accepts sign-in with its own accounts ({allowed})."
    tenant = trust.microsoft_tenant_id.lower()
    if provider == "microsoft" and tenant and str(extra.get("tid", "")).lower() != tenant:
        return f"That Microsoft account is not from {trust.name}'s organisation."
    workspace = trust.google_workspace_domain.lower()
    if provider == "google" and workspace and str(extra.get("hd", "")).lower() != workspace:
        return f"That Google account is not from {trust.name}'s Workspace."
    return None


def microsoft_tenant_of(sociallogin: Any) -> str:
    """The Entra ID tenant an account signed in from. Graph's /me profile does not carry it,
    so it is read from the access token Microsoft just issued to us over TLS (the same
    reasoning allauth applies to Google's id_token); empty when it cannot be read, which a
    trust with a tenant set treats as a refusal (fail closed)."""
    tid = str(sociallogin.account.extra_data.get("tid", ""))
    if tid:
        return tid
    token = getattr(getattr(sociallogin, "token", None), "token", "") or ""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return ""
    return str(claims.get("tid", "")) if isinstance(claims, dict) else ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        account = sociallogin.account
        data = account.extra_data
        email = sociallogin.user.email or data.get("email") or data.get("mail") or ""
        extra = dict(data)
        if account.provider == "microsoft":
            extra["tid"] = microsoft_tenant_of(sociallogin)
        reason = social_account_refusal(email, extra, account.provider)
        if reason:
            messages.error(request, reason)
            raise ImmediateHttpResponse(redirect("account_login"))
        if not sociallogin.is_existing:
            # The account is from the trust's own domain and tenant: link it to the staff
            # member's sign-in so they can use either from now on.
            from growth.security.rls import all_trusts

            with all_trusts():  # before sign-in no trust is known
                staff = (
                    StaffMember.objects.unscoped()
                    .select_related("user")
                    .get(user__email__iexact=email.strip(), is_active=True)
                )
            sociallogin.connect(request, staff.user)
