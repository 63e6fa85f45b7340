"""Reads of the core domain, always within one trust."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from growth.models import GrowthCycle, StaffMember, Trust
from growth.security.tenancy import request_memo


def cycles_all(trust: Trust | int) -> list[GrowthCycle]:
    """Every cycle of the trust, oldest first (a trust has a handful): read once a request
    and shared by everything that asks for the current cycle or the trust's cycles."""
    trust_id = trust if isinstance(trust, int) else trust.pk
    return request_memo(
        ("cycles_all", trust_id),
        lambda: list(GrowthCycle.objects.for_trust(trust_id).order_by("start_date", "id")),
    )


def cycle_current(*, trust: Trust | int, on: dt.date | None = None) -> GrowthCycle | None:
    """The cycle containing ``on`` (today by default); else the most recent one started;
    else the first to come."""
    day = on or timezone.localdate()
    cycles = cycles_all(trust)
    latest_first = sorted(cycles, key=lambda c: c.start_date, reverse=True)
    return (
        next((c for c in latest_first if c.start_date <= day <= c.end_date), None)
        or next((c for c in latest_first if c.start_date <= day), None)
        or (cycles[0] if cycles else None)
    )


def staff_list(*, queryset: models.QuerySet[StaffMember]) -> models.QuerySet[StaffMember]:
    return queryset.select_related("user", "school", "career_stage", "line_manager__user").order_by(
        "user__last_name", "user__first_name"
    )
