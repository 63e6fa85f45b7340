"""The check-ins app's columns of each person's ``GrowthProgress`` row
(growth/reporting/progress.py):
check-ins due so far, held, excused, expected and overdue, the next one, and observations
this term — as of a day, with the next day on which the calendar alone changes them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count

from checkins.models import Checkin, Observation
from checkins.schedule import dates_for_person, next_checkin
from checkins.selectors import cycle_schedule
from growth.models import GrowthCycle, StaffMember, Term
from growth.reporting.progress import Columns, ProgressSource, register_progress_source

ONE_DAY = dt.timedelta(days=1)


def _next_change(today: dt.date, days: list[dt.date]) -> dt.date | None:
    """The first day after ``today`` on which a figure worked out from these days can change:
    a day falling due changes "due", the day after it "overdue"."""
    later = [d for day in days for d in (day, day + ONE_DAY) if d > today]
    return min(later) if later else None


def checkin_columns(cycle: GrowthCycle, people: Sequence[StaffMember], today: dt.date) -> Columns:
    dates = cycle_schedule(cycle=cycle)
    held: dict[int, int] = defaultdict(int)
    excused: dict[int, int] = defaultdict(int)
    recorded: dict[int, set[dt.date]] = defaultdict(set)
    moved: dict[int, list[dt.date]] = defaultdict(list)
    dated: dict[int, list[dt.date]] = defaultdict(list)  # days a record's figures move on
    excusable = (Checkin.Status.MISSED, Checkin.Status.CANCELLED)
    for sid, due_on, status, held_on, reason, moved_to in (
        Checkin.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle, staff_member__in=[p.pk for p in people])
        .values_list("staff_member_id", "due_on", "status", "held_on", "reason", "moved_to")
    ):
        if due_on:
            recorded[sid].add(due_on)
        if status == Checkin.Status.MOVED and moved_to:
            moved[sid].append(moved_to)
            dated[sid].append(moved_to)
        if status == Checkin.Status.HELD and held_on:
            dated[sid].append(held_on)
            if held_on <= today:
                held[sid] += 1
        elif status in excusable and reason and due_on:
            dated[sid].append(due_on)
            if due_on <= today:
                excused[sid] += 1

    terms = list(
        Term.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle)
        .order_by("start_date")
        .values_list("start_date", "end_date")
    )
    term = next(((s, e) for s, e in terms if s <= today <= e), None)
    observed: dict[int, int] = {}
    if term is not None:
        observed = dict(
            Observation.objects.for_trust(cycle.trust_id)
            .filter(cycle=cycle, observee__in=[p.pk for p in people], date__range=term)
            .exclude(status=Observation.Status.CANCELLED)
            .order_by()
            .values("observee_id")
            .annotate(n=Count("pk"))
            .values_list("observee_id", "n")
        )
    term_days = [d for s, e in terms for d in (s, e + ONE_DAY)]

    columns: Columns = {}
    for person in people:
        mine = dates_for_person(dates, start_date=person.start_date, leave_date=person.leave_date)
        due = [d for d in mine if d <= today]
        done = recorded[person.pk]
        columns[person.pk] = {
            "checkins_due": len(due),
            "checkins_held": held[person.pk],
            "checkins_excused": excused[person.pk],
            "checkins_expected": max(len(due) - excused[person.pk], 0),
            "checkins_overdue": sum(1 for d in due if d < today and d not in done),
            "next_checkin_on": next_checkin(
                mine, today=today, recorded=done, moved_to=moved[person.pk]
            ),
            "observations_this_term": observed.get(person.pk, 0),
            "checkins_as_of": today,
            "checkins_change_on": _next_change(today, [*mine, *dated[person.pk], *term_days]),
        }
    return columns


register_progress_source(
    ProgressSource(
        "checkins",
        (
            "checkins_due",
            "checkins_held",
            "checkins_excused",
            "checkins_expected",
            "checkins_overdue",
            "next_checkin_on",
            "observations_this_term",
            "checkins_as_of",
            "checkins_change_on",
        ),
        checkin_columns,
    )
)
