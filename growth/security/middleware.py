"""Tenant scope per request, and the per-trust two-factor requirement for leaders."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from growth.models import StaffMember
from growth.security.tenancy import request_memo_scope, trust_scope


class TrustScopeMiddleware:
    """Sets the current trust from the signed-in user's staff membership for the whole
    request and always clears it afterwards, even when the view raises."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        staff = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            staff = (
                StaffMember.objects.unscoped()
                .select_related("trust", "school", "career_stage", "user")
                .filter(user=user, is_active=True)
                .first()
            )
        request.staff = staff  # type: ignore[attr-defined]
        request.trust = staff.trust if staff else None  # type: ignore[attr-defined]
        with trust_scope(staff.trust_id if staff else None), request_memo_scope():
            return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in person: pages,
    PDFs, exports and evidence downloads alike. Without it a shared computer's browser (its
    back button, its disk cache) or a proxy may keep HR records after the person signed out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Replaced, not merged: a view's "max-age" or "public" must not survive beside it.
            response["Cache-Control"] = "no-store, private"
        return response


class RequireLeaderMFAMiddleware:
    """Two-factor sign-in, required where it matters: where a trust asks for it, its
    headteachers, managers and trust admins must set up TOTP before they can use anything but
    the pages that set it up and sign out; and (ADMIN_REQUIRES_MFA, on by default) so must
    anyone using the Django admin."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.needs_totp(request):
            messages.warning(
                request,
                "Two-factor sign-in is required for your role. Set up an authenticator app "
                "to continue.",
            )
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)

    def needs_totp(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(self.ALLOWED_PREFIXES):
            return False
        staff = getattr(request, "staff", None)
        from growth.security.access import roles_of

        leader = (
            staff is not None and staff.trust.require_mfa_for_leaders and roles_of(staff).is_leader
        )
        admin = (
            getattr(settings, "ADMIN_REQUIRES_MFA", True)
            and user.is_staff
            and request.path.startswith("/admin/")
        )
        if not (leader or admin):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
