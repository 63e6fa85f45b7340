"""Reads of the objectives app, always within one trust. Other apps (check-ins, reviews) use
``plan_for`` and ``objectives_of``."""

from __future__ import annotations

from django.db.models import Prefetch

from growth.models import GrowthCycle, StaffMember
from objectives.models import AREA_ORDER, GrowthPlan, Objective


def plan_for(*, staff: StaffMember, cycle: GrowthCycle) -> GrowthPlan | None:
    """The person's plan for the cycle with its objectives (ordered Self, Others, Trust), or
    None when they have not started one."""
    return (
        GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .select_related("cycle", "staff_member__user", "agreed_by__user")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.for_trust(staff.trust_id).select_related(
                    "priority", "strategic_goal"
                ),
            )
        )
        .first()
    )


def objectives_of(*, staff: StaffMember, cycle: GrowthCycle) -> list[Objective]:
    """The person's three objectives for the cycle in area order (Self, Others, Trust); an
    empty list when there is no plan."""
    rows = list(
        Objective.objects.for_trust(staff.trust_id)
        .filter(plan__staff_member=staff, plan__cycle=cycle)
        .select_related("priority", "strategic_goal", "plan")
    )
    return sorted(rows, key=lambda o: AREA_ORDER.index(o.area))
