"""The benchmark's reference: what an idiomatic Django page costs on this machine, in this run.

A signed-in list of one school's staff, 100 a page, joined to their school and line manager
with ``select_related``, rendered through a template that extends the base layout, behind the
project's own middleware, with no cache. Every page of the product is measured against it."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from growth.models import School, StaffMember
from growth.security.access import require_staff

REFERENCE_PAGE_SIZE = 100


@login_required
def reference(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    viewer = require_staff(request)
    school = get_object_or_404(School.objects.for_trust(viewer.trust_id), public_id=public_id)
    staff = (
        StaffMember.objects.for_trust(viewer.trust_id)
        .filter(school=school, is_active=True)
        .select_related("user", "school", "career_stage", "line_manager__user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    page = Paginator(staff, REFERENCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bench/reference.html", {"school": school, "page_obj": page})
