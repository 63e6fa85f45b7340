"""The demo trusts for the browser tests: the rows `seed_demo` makes, built once per test run
and copied into each browser test's database.

`seed_demo` records a year of work through the services (about 45 s on these machines); a
browser test starts from that year, as a person trying the product would. The first test to
ask for it runs the command and saves its rows with `pg_dump`; every test (that one included)
then starts from an empty database into which `pg_restore` copies those rows (about 1 s). The
saved rows are shared by the test processes of one run through a file lock: one seeds, the
others wait for it.

The demo is built relative to today, and some journeys need a school day (an observation is
arranged for today, and only in term time): on a weekend or in a holiday the demo and the
tests run with the clock set to the last school day before it (`demo_clock`).

While working on one browser test, `DEMO_ROWS=/tmp/demo.dump pytest …` keeps the saved rows in
that file and reuses them on the next run (the same day, with the same migrations).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from checkins.selectors import checkin_schedule_for
from growth.demo.scale import early_may_bank_holiday, school_year
from growth.domain.selectors import cycle_current
from growth.management.commands.seed_demo import DEMO_PASSWORD
from growth.models import StaffMember, Trust
from growth.security.tenancy import trust_scope

# The demo's people the tests sign in as, by the key that ends their address (seed_demo's
# `school_people` and `central_people`): in Northbridge, the first school's.
TEACHER = "s1-t1"  # an ECT 1 teacher of English whose plan is still a draft
TEACHER_AGREED = "s1-t2"  # an ECT 2 teacher of English
LINE_MANAGER = "s1-english"  # head of English: line manager of s1-t1, -t2 and -t3
DEPUTY = "s1-deputy"  # line manager of the heads of department and most teachers
HEADTEACHER = "s1-head"
TEACHING_ASSISTANT = "s1-ta1"
TRUST_ADMIN = "c-hr"
CENTRAL_DIRECTOR = "c-director"


@dataclass(frozen=True)
class Demo:
    """The demo as seed_demo left it: its trusts and how to sign in as its people."""

    northbridge: Trust
    fenmoor: Trust
    printed: str  # what seed_demo printed: the accounts to sign in as and what to try
    password: str = DEMO_PASSWORD

    def person(self, key: str, trust: Trust | None = None) -> StaffMember:
        """The demo person whose address is `<first>.<last>.<key>@<trust's domain>`."""
        trust = trust or self.northbridge
        return (
            StaffMember.objects.for_trust(trust)
            .select_related("user", "school", "line_manager")
            .get(user__email__endswith=f".{key}@{trust.email_domains}")
        )

    def checkins_left_to_record(self, person: StaffMember) -> list[dt.date]:
        """The days ``person``'s check-ins of this cycle were due before today with nothing
        recorded, earliest first (the demo leaves the ECT 1 teacher's latest one for them)."""
        with trust_scope(person.trust_id):
            cycle = cycle_current(trust=person.trust)
            entries, _ = checkin_schedule_for(staff=person, cycle=cycle)
        left = [entry.due_on for entry in entries if entry.state == "overdue"]
        assert left, f"the demo left {person.full_name} no check-in to record"
        return left


def school_day_on_or_before(day: dt.date) -> dt.date:
    """The last weekday on or before ``day`` in a term of the demo's school years, other than
    the early May bank holiday."""
    start_year = day.year if day.month >= 9 else day.year - 1
    years = (start_year - 1, start_year)
    terms = [term for year in years for term in school_year(year)[1]]
    closed = {early_may_bank_holiday(year) for year in years}
    while True:
        in_term = any(start <= day <= end for _, start, end in terms)
        if in_term and day.weekday() < 5 and day not in closed:
            return day
        day -= dt.timedelta(days=1)


@contextmanager
def demo_clock() -> Iterator[dt.date]:
    """Today, if it is a school day; otherwise the clock (of this process: the live server's
    too) runs from 11:00 on the last school day before it."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = dt.datetime.now(zone).date()
    day = school_day_on_or_before(today)
    if day == today:
        yield day
        return
    with time_machine.travel(dt.datetime.combine(day, dt.time(11, 0), tzinfo=zone), tick=True):
        yield day


def _database_arguments() -> list[str]:
    database = connection.settings_dict
    arguments = ["--dbname", database["NAME"], "--username", database["USER"] or "postgres"]
    if database["HOST"]:
        arguments += ["--host", database["HOST"]]
    if database["PORT"]:
        arguments += ["--port", str(database["PORT"])]
    return arguments


def _environment() -> dict[str, str]:
    password = connection.settings_dict["PASSWORD"]
    return {**os.environ, "PGPASSWORD": password} if password else dict(os.environ)


def _empty_every_table() -> None:
    # Without the post-migrate signal, which would write content types and permissions back.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)


def _save(rows: Path) -> None:
    tables = connection.introspection.django_table_names(only_existing=True)
    selected = [argument for table in sorted(tables) for argument in ("--table", table)]
    subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--format=custom",
            f"--file={rows}",
            *selected,
            *_database_arguments(),
        ],
        check=True,
        env=_environment(),
    )


def _restore(rows: Path) -> None:
    _empty_every_table()
    subprocess.run(
        [
            "pg_restore",
            "--data-only",
            "--disable-triggers",
            "--single-transaction",
            *_database_arguments(),
            str(rows),
        ],
        check=True,
        env=_environment(),
    )


def demo_in_database(shared_folder: Path) -> Demo:
    """Fill this test's (empty) database with the demo, seeding it first if no test has."""
    rows = Path(os.environ.get("DEMO_ROWS") or shared_folder / "demo.dump")
    printed = rows.with_suffix(".txt")
    with open(rows.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not rows.exists() or not printed.exists():
            output = StringIO()
            call_command("seed_demo", stdout=output)
            _save(rows)
            printed.write_text(output.getvalue())
    _restore(rows)
    return Demo(
        northbridge=Trust.objects.get(slug="northbridge"),
        fenmoor=Trust.objects.get(slug="fenmoor"),
        printed=printed.read_text(),
    )
