"""Reads of the core domain, always within one trust."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from growth.models import GrowthCycle, StaffMember, Trust


def cycles_all(trust: Trust | int) -> list[GrowthCycle]:
    """Every cycle of the trust, oldest first (a trust has a handful): one query."""
    return list(GrowthCycle.objects.for_trust(trust).order_by("start_date", "id"))


def cycle_current(*, trust: Trust | int, on: dt.date | None = None) -> GrowthCycle | None:
    """The cycle containing ``on`` (today by default); else the most recent one started;
    else the first to come. One query: a page asks once and passes the cycle on."""
    return cycle_among(cycles_all(trust), on=on)


def cycle_among(cycles: list[GrowthCycle], *, on: dt.date | None = None) -> GrowthCycle | None:
    """``cycle_current`` of a trust whose cycles (``cycles_all``) the caller has read."""
    day = on or timezone.localdate()
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
