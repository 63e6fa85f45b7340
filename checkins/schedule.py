"""The check-in schedule: a pure function of the terms, closures and cadence.

Rule (documented so staff and managers can predict it): each term is cut into windows of
``cadence_days`` from its first day; every window holds one check-in, due on the window's last
school day (Monday to Friday, not a closure). A final part-window of at least half the cadence
also holds one, due on the term's last school day. Holidays are the gaps between terms, so
they never hold a check-in and the rhythm restarts with each term. Nothing is due after July.
A person's own list keeps only the dates on or after they start and before they leave.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

Span = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class ScheduleInput:
    terms: tuple[Span, ...]
    closures: tuple[Span, ...]
    cadence_days: int
    last_day: dt.date  # nothing is due after this (31 July of the cycle)


def _closed(day: dt.date, closures: Sequence[Span]) -> bool:
    return day.weekday() >= 5 or any(start <= day <= end for start, end in closures)


def _last_open_day(start: dt.date, end: dt.date, closures: Sequence[Span]) -> dt.date | None:
    day = end
    while day >= start:
        if not _closed(day, closures):
            return day
        day -= dt.timedelta(days=1)
    return None


def checkin_dates(
    *,
    terms: Iterable[Span],
    closures: Iterable[Span] = (),
    cadence_days: int = 14,
    last_day: dt.date | None = None,
) -> list[dt.date]:
    """The trust-wide due dates of a cycle, in order."""
    if cadence_days < 1:
        raise ValueError("The cadence must be at least one day.")
    closures = sorted(closures)
    step = dt.timedelta(days=cadence_days)
    dates: list[dt.date] = []
    for term_start, term_end in sorted(terms):
        if last_day is not None:
            term_end = min(term_end, last_day)
        window_start = term_start
        while window_start <= term_end:
            window_end = window_start + step - dt.timedelta(days=1)
            if window_end > term_end:
                remaining = (term_end - window_start).days + 1
                if remaining * 2 < cadence_days:
                    break
                window_end = term_end
            due = _last_open_day(window_start, window_end, closures)
            if due is not None and (not dates or due > dates[-1]):
                dates.append(due)
            window_start = window_end + dt.timedelta(days=1)
    return dates


def dates_for_person(
    dates: Sequence[dt.date], *, start_date: dt.date | None, leave_date: dt.date | None
) -> list[dt.date]:
    """The trust's dates a person is expected at: from their start, before they leave.
    ``dates`` are in order (as ``checkin_dates`` makes them), so the person's are one slice
    of them, found by bisection: a school's table works this out for 50 people."""
    first = bisect_left(dates, start_date) if start_date is not None else 0
    end = bisect_left(dates, leave_date) if leave_date is not None else len(dates)
    return list(dates[first:end])


def next_checkin(
    slots: Sequence[dt.date],
    *,
    today: dt.date,
    recorded: Collection[dt.date],
    moved_to: Iterable[dt.date] = (),
) -> dt.date | None:
    """A person's next check-in, the one rule for every page that shows it: their first slot
    from today with nothing recorded against it, or a check-in moved to a date from today,
    whichever comes first."""
    free = next((d for d in slots if d >= today and d not in recorded), None)
    candidates = [d for d in moved_to if d >= today] + ([free] if free else [])
    return min(candidates) if candidates else None


def last_checkin_day(cycle_end: dt.date) -> dt.date:
    """Check-ins run "to July": 31 July of the cycle's last year, or the cycle's end if sooner."""
    return min(cycle_end, dt.date(cycle_end.year, 7, 31))
