"""The person's notifications: the list (read and unread) and how each kind reaches them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from growth.domain.forms import NotificationSettingsForm
from growth.models import NotificationPreference
from growth.notifications.services import (
    KINDS,
    deliveries_of,
    notification_preferences_set,
    notifications_mark_read,
    notifications_of,
)
from growth.security.access import parse_public_id, require_staff


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    found = notifications_of(staff=staff)
    return render(
        request,
        "growth/notifications.html",
        {"notifications": found, "unread": sum(1 for n in found if n.read_at is None)},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    one = request.POST.get("notification")
    # A malformed id names no notification of theirs: 404, as for another person's.
    named = [parse_public_id(one)] if one else None
    marked = notifications_mark_read(actor=staff, public_ids=named)
    if not one:
        messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked read.")
    return redirect("notifications")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    preference = (
        NotificationPreference.objects.for_trust(staff.trust_id).filter(staff_member=staff).first()
    )
    form = NotificationSettingsForm(request.POST or None, current=deliveries_of(preference))
    if request.method == "POST" and form.is_valid():
        notification_preferences_set(actor=staff, staff=staff, deliveries=form.cleaned_data)
        messages.success(request, "Your notification choices are saved.")
        return redirect("notification_settings")
    always = [kind for kind in KINDS.values() if kind.always_email]
    return render(
        request,
        "growth/notification_settings.html",
        {"form": form, "always": always},
        status=400 if form.errors else 200,
    )
