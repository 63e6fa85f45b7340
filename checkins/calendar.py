"""Calendar entries (iCalendar, RFC 5545) with the ``icalendar`` library: each person's
check-ins, and the other dates of their year as all-day entries — observations, the
objectives deadline and their objectives' "by" dates, the July reflection window, the review
deadline and the review window.

Every entry keeps one UID for its whole life (built from what it is about, never from its
date), so a moved check-in or a changed deadline updates the entry already in someone's
calendar instead of adding one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//Professional Growth//Check-ins//EN"


@dataclass(frozen=True)
class CheckinEntry:
    staff_public_id: str
    staff_name: str
    due_on: dt.date  # the scheduled slot: the stable part of the UID
    on: dt.date  # when it takes place (the moved-to date for a moved check-in)
    length_minutes: int
    cancelled: bool = False
    url: str = ""

    @property
    def uid(self) -> str:
        return f"checkin-{self.staff_public_id}-{self.due_on:%Y%m%d}@professional-growth"


def _start(day: dt.date) -> dt.datetime:
    hour, minute = (int(x) for x in settings.CHECKINS_DEFAULT_TIME.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(dt.UTC)


def _event(entry: CheckinEntry, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    start = _start(entry.on)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=entry.length_minutes))
    event.add("summary", f"Professional growth check-in: {entry.staff_name}")
    event.add(
        "description",
        f"{entry.length_minutes} minutes reflecting on progress against the three objectives "
        "(Impact on Self, Others and Trust).",
    )
    if entry.url:
        event.add("url", entry.url)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


@dataclass(frozen=True)
class DayEntry:
    """An all-day entry (or a run of days): an observation, a deadline, a window."""

    key: str  # stable: what the entry is about, e.g. "observation-<id>"
    summary: str
    first_day: dt.date
    last_day: dt.date | None = None  # inclusive; None for one day
    description: str = ""
    url: str = ""
    cancelled: bool = False

    @property
    def uid(self) -> str:
        return f"{self.key}@professional-growth"


def _day_event(entry: DayEntry, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.first_day)
    # An all-day DTEND is the day after the last (RFC 5545, 3.6.1).
    event.add("dtend", (entry.last_day or entry.first_day) + dt.timedelta(days=1))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", entry.url)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event


def calendar_bytes(
    entries: Iterable[CheckinEntry],
    *,
    name: str = "Check-ins",
    days: Iterable[DayEntry] = (),
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for entry in entries:
        cal.add_component(_event(entry, stamp))
    for day in days:
        cal.add_component(_day_event(day, stamp))
    return cal.to_ical()
