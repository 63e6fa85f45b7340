"""Reads of the core domain, always within one trust."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from growth.models import GrowthCycle, StaffMember, Trust
from growth.tenancy import request_memo


def cycle_current(*, trust: Trust | int, on: dt.date | None = None) -> GrowthCycle | None:
    """The cycle containing ``on`` (today by default); else the most recent one started."""
    day = on or timezone.localdate()
    trust_id = trust if isinstance(trust, int) else trust.pk

    def lookup() -> GrowthCycle | None:
        cycles = GrowthCycle.objects.for_trust(trust_id)
        return (
            cycles.filter(start_date__lte=day, end_date__gte=day).first()
            or cycles.filter(start_date__lte=day).order_by("-start_date").first()
            or cycles.order_by("start_date").first()
        )

    # Every panel of a page asks for it; one lookup per request is enough.
    return request_memo(("cycle_current", trust_id, day), lookup)


def staff_list(*, queryset: models.QuerySet[StaffMember]) -> models.QuerySet[StaffMember]:
    return queryset.select_related("user", "school", "career_stage", "line_manager__user").order_by(
        "user__last_name", "user__first_name"
    )
