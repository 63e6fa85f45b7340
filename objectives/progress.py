"""The objectives app's columns of each person's ``GrowthProgress`` row: their plan for the
cycle, its state, and when its objectives were agreed (growth/reporting/progress.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from growth.models import GrowthCycle, StaffMember
from growth.reporting.progress import Columns, ProgressSource, register_progress_source
from objectives.models import GrowthPlan


def plan_columns(cycle: GrowthCycle, people: Sequence[StaffMember], today: dt.date) -> Columns:
    plans = (
        GrowthPlan.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle, staff_member__in=[p.pk for p in people])
        .values_list("staff_member_id", "public_id", "state", "agreed_version", "agreed_at")
    )
    columns: Columns = {
        p.pk: {"plan_public_id": None, "plan_state": "", "objectives_agreed_at": None}
        for p in people
    }
    for staff_id, public_id, state, agreed_version, agreed_at in plans:
        columns[staff_id] = {
            "plan_public_id": public_id,
            "plan_state": state,
            "objectives_agreed_at": agreed_at if agreed_version is not None else None,
        }
    return columns


register_progress_source(
    ProgressSource(
        "objectives",
        ("plan_public_id", "plan_state", "objectives_agreed_at"),
        plan_columns,
    )
)
