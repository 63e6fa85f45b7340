"""Tenant scope per request, and the per-trust two-factor requirement for leaders."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from growth.models import StaffMember
from growth.tenancy import trust_scope


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
        with trust_scope(staff.trust_id if staff else None):
            return self.get_response(request)


class RequireLeaderMFAMiddleware:
    """Where a trust requires it, headteachers and trust admins must set up TOTP before they
    can use anything but the pages that set it up and sign out."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        staff = getattr(request, "staff", None)
        if (
            staff is not None
            and staff.trust.require_mfa_for_leaders
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            from allauth.mfa.models import Authenticator

            from growth.access import roles_of

            if (
                roles_of(staff).is_leader
                and not Authenticator.objects.filter(
                    user=request.user, type=Authenticator.Type.TOTP
                ).exists()
            ):
                return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)
