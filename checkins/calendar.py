"""Calendar entries for check-ins (iCalendar, RFC 5545) with the ``icalendar`` library.

A check-in keeps one UID for its whole life (built from the person and the scheduled date),
so a moved check-in updates the entry already in someone's calendar instead of adding one.
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


def calendar_bytes(entries: Iterable[CheckinEntry], *, name: str = "Check-ins") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for entry in entries:
        cal.add_component(_event(entry, stamp))
    return cal.to_ical()
