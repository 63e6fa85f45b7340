"""The standards app's column of each person's ``GrowthProgress`` row: the state of their
self-review against the standards for the cycle (growth/reporting/progress.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from growth.models import GrowthCycle, StaffMember
from growth.reporting.progress import Columns, ProgressSource, register_progress_source
from standards.models import SelfReview


def self_review_columns(
    cycle: GrowthCycle, people: Sequence[StaffMember], today: dt.date
) -> Columns:
    states = dict(
        SelfReview.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle, staff_member__in=[p.pk for p in people])
        .values_list("staff_member_id", "state")
    )
    return {p.pk: {"self_review_state": states.get(p.pk, "")} for p in people}


register_progress_source(ProgressSource("standards", ("self_review_state",), self_review_columns))
