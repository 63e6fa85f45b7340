"""Keeping each school's ``SchoolProgress`` row (one per school per cycle) equal to what its
people's ``GrowthProgress`` rows and records count.

A school's row is worked out again, whole, in the transaction of every write that changes
what it counts: after a refresh of some of its people's rows (``progress_refresh`` calls it
with the schools they belong to and the schools they have left), when a headteacher is
appointed or stands down, and when the trust's settings change. Working it out whole from
the rows (about a hundred people) rather than adding a difference keeps it right by
construction, and ``rebuild_progress`` gives the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from growth.models import GrowthCycle, GrowthProgress, School, SchoolProgress, Trust
from growth.reporting.reports import (
    ReportContext,
    active_staff,
    charts_with_school_figures,
    school_figures_counted,
)


def school_progress_rows(*, cycle: GrowthCycle, school_ids: Iterable[int]) -> list[SchoolProgress]:
    """What these schools' rows of the cycle should hold (nothing written); none for a school
    with no active staff. A fixed number of queries, whatever the number of schools."""
    ids = sorted(set(school_ids))
    if not ids:
        return []
    trust = Trust.objects.get(pk=cycle.trust_id)  # as it is now: a setting may just have changed
    ctx = ReportContext(trust=trust, cycle=cycle, today=timezone.localdate())
    staff = active_staff(trust.pk).filter(school__in=ids)
    figures = school_figures_counted(ctx, staff)
    for chart in charts_with_school_figures():
        for school_id, more in chart.school_figures(ctx, staff).items():
            if school_id in figures:
                figures[school_id].update(more)
    as_of: dict[int, dict[str, str]] = {}
    moved = (
        GrowthProgress.objects.for_trust(trust.pk)
        .filter(cycle=cycle, staff_member__in=staff.values("pk"))
        .exclude(checkins_change_on=None)
        .exclude(checkins_as_of=None)
        .order_by()
        .values("staff_member__school_id", "checkins_change_on")
        .annotate(as_of=Min("checkins_as_of"))
    )
    for row in moved:
        days = as_of.setdefault(row["staff_member__school_id"], {})
        days[row["checkins_change_on"].isoformat()] = row["as_of"].isoformat()
    return [
        SchoolProgress(
            trust_id=trust.pk,
            cycle=cycle,
            school_id=school_id,
            figures=figures[school_id],
            checkins_as_of=as_of.get(school_id, {}),
        )
        for school_id in ids
        if school_id in figures
    ]


@transaction.atomic(savepoint=False)  # the tail of a write: a failure undoes the write too
def school_progress_refresh(*, cycle: GrowthCycle, school_ids: Iterable[int]) -> None:
    """Bring these schools' rows of the cycle up to date with their people's rows. Call it in
    the transaction of the write, after the people's rows are written."""
    ids = sorted(set(school_ids))
    if not ids:
        return
    rows = SchoolProgress.objects.for_trust(cycle.trust_id)
    # Hold the schools' rows (made first if missing) before counting: two writes in one
    # school at once would otherwise each count without the other's person, and the second
    # to commit would write over the first. Waiting here (at the insert, for a transaction
    # that has already written the row; at the lock otherwise), the second counts once the
    # first has committed. In order of id, so that no two refreshes wait in a circle.
    rows.bulk_create(
        [SchoolProgress(trust_id=cycle.trust_id, cycle=cycle, school_id=pk) for pk in ids],
        ignore_conflicts=True,
    )
    list(
        rows.select_for_update()
        .filter(cycle=cycle, school__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    fresh = school_progress_rows(cycle=cycle, school_ids=ids)
    rows.bulk_create(
        fresh,
        update_conflicts=True,
        unique_fields=["trust", "cycle", "school"],
        update_fields=["figures", "checkins_as_of", "updated_at"],
    )
    counted = {row.school_id for row in fresh}
    if emptied := [pk for pk in ids if pk not in counted]:
        rows.filter(cycle=cycle, school__in=emptied).delete()


def school_progress_refresh_all_cycles(
    *, trust_id: int, school_ids: Iterable[int] | None = None
) -> None:
    """These schools' rows (every school's, when none are named) of every cycle of the
    trust: for a change that moves what a school counts in every year (a headteacher
    appointed, a trust setting, a person erased)."""
    if school_ids is None:
        school_ids = School.objects.for_trust(trust_id).values_list("pk", flat=True)
    ids = sorted(set(school_ids))
    for cycle in GrowthCycle.objects.for_trust(trust_id).order_by("start_date"):
        school_progress_refresh(cycle=cycle, school_ids=ids)


def school_progress_rebuild(*, trust: Trust) -> int:
    """Every school's rows of every cycle of the trust, from its people's rows (``manage.py
    rebuild_progress``); returns how many rows were written."""
    school_progress_refresh_all_cycles(trust_id=trust.pk)
    return SchoolProgress.objects.for_trust(trust).count()
