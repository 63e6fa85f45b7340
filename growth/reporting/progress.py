"""Keeping each person's ``GrowthProgress`` row (one per person per cycle) equal to what their
records say.

Every app that owns some of the row's columns registers a ``ProgressSource`` in its own
``progress.py`` (found by autodiscovery, like ``reports.py``), so ``growth`` never imports an
app to its right. A source works out its columns for a list of people in a fixed number of
queries; the same function serves the one-person refresh that a service makes in its own
transaction and the rebuild of a whole trust, so what is kept and what a rebuild gives are
the same by construction — and the property test in ``tests/test_progress.py`` checks that
every service calls the refresh where it must.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from growth.models import GrowthCycle, GrowthProgress, School, StaffMember, Trust
from growth.reporting.school_progress import school_progress_refresh
from growth.security.tenancy import trust_scope

# Columns worked out for a list of people: ``{staff_id: {column: value}}``.
Columns = dict[int, dict[str, Any]]


@dataclass(frozen=True)
class ProgressSource:
    key: str
    fields: tuple[str, ...]
    # (cycle, people, today) -> columns of every person listed, in a fixed number of queries.
    compute: Callable[[GrowthCycle, Sequence[StaffMember], dt.date], Columns]


_sources: dict[str, ProgressSource] = {}
_discovered = False


def register_progress_source(source: ProgressSource) -> None:
    _sources.setdefault(source.key, source)


def progress_sources() -> list[ProgressSource]:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("progress")
    return list(_sources.values())


def _all_fields() -> list[str]:
    return [name for source in progress_sources() for name in source.fields]


def progress_rows(
    *, cycle: GrowthCycle, people: Sequence[StaffMember], today: dt.date | None = None
) -> list[GrowthProgress]:
    """What each person's row should hold, worked out from the records (nothing written)."""
    day = today or timezone.localdate()
    rows = {
        person.pk: GrowthProgress(
            trust_id=cycle.trust_id, cycle=cycle, staff_member=person, school_id=person.school_id
        )
        for person in people
    }
    for source in progress_sources():
        for staff_id, columns in source.compute(cycle, people, day).items():
            for name, value in columns.items():
                setattr(rows[staff_id], name, value)
    return list(rows.values())


def _lock(*, cycle: GrowthCycle, people: Sequence[StaffMember]) -> set[int]:
    """Hold these people's rows of the cycle before working them out. Two transactions that
    refresh one person at once (the person records a check-in while their line manager
    records another) would otherwise each work out the row from the records they can see, and
    the second to commit would write over the first with a row missing the first's record.
    Waiting here, the second reads the records once the first has committed. In order of id,
    so that two refreshes of many people never wait for each other in a circle. Returns the
    schools the rows were last worked out in (a person who has moved has left one)."""
    return {
        school_id
        for _, school_id in GrowthProgress.objects.for_trust(cycle.trust_id)
        .select_for_update()
        .filter(cycle=cycle, staff_member__in=[p.pk for p in people])
        .order_by("pk")
        .values_list("pk", "school_id")
    }


def _refresh(
    *,
    cycle: GrowthCycle,
    people: Sequence[StaffMember],
    today: dt.date | None,
    schools: bool = True,
) -> None:
    """These people's rows of the cycle, then (unless the caller will do every school) their
    schools' rows: those they are in and those they have left. In the caller's transaction."""
    left = _lock(cycle=cycle, people=people)
    _write(progress_rows(cycle=cycle, people=people, today=today))
    if schools:
        school_progress_refresh(cycle=cycle, school_ids=left | {p.school_id for p in people})


def _write(rows: list[GrowthProgress]) -> None:
    """Insert or update the rows in one statement (INSERT … ON CONFLICT through the ORM)."""
    if rows:
        # For the rows' trust, named: a service may run without a trust in scope.
        GrowthProgress.objects.for_trust(rows[0].trust_id).bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["trust", "cycle", "staff_member"],
            update_fields=[*_all_fields(), "school", "updated_at"],
        )


# While a block of many writes runs (the demo trust's year, made through the services), the
# refreshes its services ask for are gathered here and made once per person at its end.
_deferred: ContextVar[dict[int | None, dict[int, StaffMember]] | None] = ContextVar(
    "progress_deferred", default=None
)


@contextmanager
def progress_deferred() -> Iterator[None]:
    """Inside the block, ``progress_refresh`` only notes who needs a refresh; each person is
    refreshed once, for each cycle named, when the block ends. Use it inside the transaction
    that holds the writes, so the rows are still right when it commits."""
    pending: dict[int | None, dict[int, StaffMember]] = {}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for cycle_id, people in pending.items():
        cycle = None
        if cycle_id is not None:
            first = next(iter(people.values()))
            cycle = GrowthCycle.objects.for_trust(first.trust_id).get(pk=cycle_id)
        progress_refresh(people=sorted(people.values(), key=lambda p: p.pk), cycle=cycle)


@transaction.atomic
def progress_refresh(
    *,
    people: Iterable[StaffMember],
    cycle: GrowthCycle | None = None,
    today: dt.date | None = None,
) -> None:
    """Bring these people's rows up to date with their records: for ``cycle``, or for every
    cycle of their trust. Services call it in their own transaction, after their write."""
    people = list(people)
    if not people:
        return
    pending = _deferred.get()
    if pending is not None and today is None:
        noted = pending.setdefault(cycle.pk if cycle is not None else None, {})
        noted.update((p.pk, p) for p in people)
        return
    trust_id = people[0].trust_id
    cycles = [cycle] if cycle is not None else list(GrowthCycle.objects.for_trust(trust_id))
    for each in cycles:
        _refresh(cycle=each, people=people, today=today)


def _refresh_in_chunks(
    *,
    cycle: GrowthCycle,
    people: Sequence[StaffMember],
    today: dt.date | None,
    schools: bool = True,
    chunk: int = 1000,
) -> int:
    """Rows for many people, a transaction per chunk (a large trust's 5,000 at once would hold
    every row of the cycle locked for the whole run)."""
    for start in range(0, len(people), chunk):
        some = people[start : start + chunk]
        with transaction.atomic():
            _refresh(cycle=cycle, people=some, today=today, schools=schools)
    return len(people)


def progress_refresh_cycle(*, cycle: GrowthCycle, today: dt.date | None = None) -> int:
    """Rebuild every row of one cycle (every member of the trust, leavers included); returns
    how many rows were written. For changes that move everyone's figures at once: a term or
    closure, the trust's cadence."""
    people = list(StaffMember.objects.for_trust(cycle.trust_id).order_by("pk"))
    written = _refresh_in_chunks(cycle=cycle, people=people, today=today, schools=False)
    _every_school(cycle)
    return written


def _every_school(cycle: GrowthCycle) -> None:
    """Every school's row of the cycle, including one whose last person has left the trust:
    one count per cycle, in a transaction of its own."""
    school_progress_refresh(
        cycle=cycle,
        school_ids=School.objects.for_trust(cycle.trust_id).values_list("pk", flat=True),
    )


def progress_rebuild(*, trust: Trust, today: dt.date | None = None) -> int:
    """Every row of every cycle of the trust, from the records (``manage.py rebuild_progress``)."""
    with trust_scope(trust):
        return sum(
            progress_refresh_cycle(cycle=cycle, today=today)
            for cycle in GrowthCycle.objects.for_trust(trust).order_by("start_date")
        )


def progress_move_on(*, trust: Trust, today: dt.date | None = None) -> int:
    """The daily sweep: the rows whose calendar figures change on or before ``today`` (a
    check-in falling due or overdue, a new term) are worked out again for ``today``; then
    every school's row is counted again from its people's rows, once per cycle (a few queries
    a day, and a school row missing after an upgrade, or written by hand, is made right by
    the next morning)."""
    day = today or timezone.localdate()
    moved = 0
    with trust_scope(trust):
        for cycle in GrowthCycle.objects.for_trust(trust):
            stale = StaffMember.objects.for_trust(trust).filter(
                progress__cycle=cycle, progress__checkins_change_on__lte=day
            )
            people = list(stale.order_by("pk"))
            moved += _refresh_in_chunks(cycle=cycle, people=people, today=day, schools=False)
            _every_school(cycle)
    return moved
