"""Reads of the core domain, always within one trust."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from growth.models import (
    GrowthCycle,
    GrowthProgress,
    LeaderReviewArrangement,
    RoleAssignment,
    StaffMember,
    Trust,
)
from growth.navigation.registry import person_links
from growth.security.access import Relation, relations

# The roles the trust admin names on the "Who decides" page.
DUTY_ROLES = (RoleAssignment.Role.DESIGNATED_DECIDER, RoleAssignment.Role.ACTING_HEADTEACHER)


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


def trust_duties_page(*, trust: Trust | int) -> dict[str, Any]:
    """The "Who decides" page's reads: ``roles``, the designated deciders and acting deputies;
    ``leaders``, one row per headteacher or manager (``role``, ``leader`` and their
    ``arrangement``, who reviews and advises them, or None)."""
    roles = (
        RoleAssignment.objects.for_trust(trust)
        .filter(role__in=DUTY_ROLES)
        .select_related("staff_member__user", "school")
        .order_by("role", "staff_member__user__last_name")
    )
    heads = list(
        RoleAssignment.objects.for_trust(trust)
        .filter(role=RoleAssignment.Role.HEADTEACHER)
        .select_related("staff_member__user", "staff_member__line_manager__user", "school")
        .order_by("school__name")
    )
    arrangements = {
        a.staff_member_id: a
        for a in LeaderReviewArrangement.objects.for_trust(trust).select_related(
            "reviewer__user", "adviser__user"
        )
    }
    leaders = [
        {
            "role": role,
            "leader": role.staff_member,
            "arrangement": arrangements.get(role.staff_member_id),
        }
        for role in heads
    ]
    return {"roles": roles, "leaders": leaders}


def person_page(*, viewer: StaffMember, subject: StaffMember) -> dict[str, Any]:
    """What a person's page shows ``viewer``: ``subject``, the links to their records the
    viewer may open, their roles, and what the viewer may do there (``can_invite``,
    ``can_manage``: a trust admin or their headteacher; ``can_give_roles``: a trust admin;
    ``shows_pay``)."""
    found = relations(viewer, subject)
    cycle = cycle_current(trust=subject.trust_id)
    progress = (
        GrowthProgress.objects.for_trust(subject.trust_id)
        .filter(staff_member=subject, cycle=cycle)
        .first()
        if cycle
        else None
    )
    can_manage = bool(found & {Relation.TRUST_ADMIN, Relation.HEADTEACHER})
    return {
        "subject": subject,
        "record_links": person_links(viewer, subject, found, progress),
        "can_invite": can_manage and subject.is_active and not subject.user.has_usable_password(),
        "can_manage": can_manage,
        "can_give_roles": Relation.TRUST_ADMIN in found,
        # Pay is between the person, their headteacher and HR (not every line manager).
        "shows_pay": bool(found & {Relation.SELF, Relation.TRUST_ADMIN, Relation.HEADTEACHER}),
        "roles": list(
            RoleAssignment.objects.for_trust(subject.trust_id)
            .filter(staff_member=subject)
            .select_related("school")
            .order_by("role", "school__name")
        ),
    }
