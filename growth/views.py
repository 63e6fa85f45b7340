from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from growth.access import access_staff_member, require_staff, visible_staff
from growth.registry import home_panels
from growth.selectors import cycle_current, staff_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    staff = getattr(request, "staff", None)
    if staff is None:
        return render(request, "growth/no_membership.html", status=200)
    return render(
        request,
        "growth/home.html",
        {
            "panels": home_panels(request),
            "cycle": cycle_current(trust=staff.trust_id),
        },
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    members = staff_list(queryset=visible_staff(viewer).exclude(pk=viewer.pk))
    return render(request, "growth/people.html", {"members": members})


@login_required
def person(request: HttpRequest, public_id: str) -> HttpResponse:
    subject = access_staff_member(request, public_id)
    return render(request, "growth/person.html", {"subject": subject})
