"""Reminders through real Celery workers on Redis, delivering to a real SMTP server on
loopback: exactly once when the sweep runs twice, when a worker is killed mid-sweep, and
when an address is refused or the mail server fails for a while."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest

from checkins.models import ReminderLog
from checkins.reminders import reminders_due, reminders_sweep_trust
from checkins.tasks import reminders_sweep, reminders_sweep_for_trust
from growth.models import StaffMember
from growth.security.tenancy import trust_scope
from tests import checkins_fixtures
from tests.checkins_fixtures import (
    on_worker,
    start_worker,
    stop_worker,
    wait_until,
    wait_until_settled,
)
from tests.factories import make_staff

real_celery = checkins_fixtures.real_celery
smtp_server = checkins_fixtures.smtp_server

TODAY = dt.date(2026, 9, 14)  # the first check-in (15 Sep) is within the two-day notice


def expected_claims(world) -> set[tuple[str, str]]:
    """(recipient email, subject) of every reminder due on TODAY."""
    with trust_scope(world.trust):
        claims = reminders_due(trust=world.trust, today=TODAY)
        people = {
            s.pk: s
            for s in StaffMember.objects.select_related("user").filter(
                pk__in={c.recipient_id for c in claims} | {c.about_id for c in claims}
            )
        }
    keys = set()
    for c in claims:
        who = "" if c.recipient_id == c.about_id else f": {people[c.about_id].full_name}"
        keys.add(
            (people[c.recipient_id].email, f"[Professional Growth] Check-in due 15 Sep 2026{who}")
        )
    return keys


def unsent(world) -> int:
    return ReminderLog.objects.for_trust(world.trust).filter(sent_at__isnull=True).count()


@pytest.mark.celery_worker
def test_it_sends_each_email_once_when_the_sweep_runs_twice(world, real_celery, smtp_server):
    handler, port = smtp_server
    expected = expected_claims(world)
    assert len(expected) >= 10
    worker = start_worker(port, "twice")
    try:
        first = on_worker(reminders_sweep, today=TODAY.isoformat())
        second = on_worker(reminders_sweep, today=TODAY.isoformat())
        assert first.get(timeout=60) == second.get(timeout=60) == 1
        assert wait_until(lambda: handler.count() >= len(expected), timeout=90)
        # A duplicate beat a little later, too.
        on_worker(reminders_sweep, today=TODAY.isoformat()).get(timeout=60)
        time.sleep(3)
    finally:
        stop_worker(worker)
    counts = handler.by_subject_and_recipient()
    assert set(counts) == expected
    assert set(counts.values()) == {1}
    assert unsent(world) == 0


@pytest.mark.celery_worker
def test_it_loses_nothing_and_doubles_nothing_when_a_worker_is_killed_mid_sweep(
    world, real_celery, smtp_server
):
    handler, port = smtp_server
    with trust_scope(world.trust):
        leads = [make_staff(world.trust, world.school, password=None) for _ in range(6)]
        for i in range(120):
            make_staff(world.trust, world.school, line_manager=leads[i % 6], password=None)
    expected = expected_claims(world)
    assert len(expected) > 250
    worker = start_worker(port, "doomed", concurrency=2)
    try:
        reminders_sweep_for_trust.delay(trust_id=world.trust.pk, today=TODAY.isoformat())
        assert wait_until(lambda: handler.count() >= 40, timeout=90)
        # SIGKILL the worker and its pool processes mid-sweep: no clean shutdown, no acks.
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        stop_worker(worker)
    delivered_before_restart = handler.count()
    assert delivered_before_restart < len(expected), "the worker finished before it was killed"
    replacement = start_worker(port, "replacement", concurrency=2)
    try:
        # Whatever was still queued is sent by the new worker; what the dead worker had taken
        # (unacknowledged, so Redis keeps it until its visibility timeout) is re-sent by the
        # next sweep, which finds those claims without sent_at.
        wait_until_settled(handler.count, quiet=4, timeout=120)
        on_worker(
            reminders_sweep_for_trust,
            trust_id=world.trust.pk,
            today=TODAY.isoformat(),
            reclaim_minutes=0,
        ).get(timeout=60)
        assert wait_until(lambda: unsent(world) == 0, timeout=120)
        time.sleep(3)
    finally:
        stop_worker(replacement)
    counts = handler.by_subject_and_recipient()
    assert set(counts) == expected, "a reminder was lost"
    # The only email that may arrive twice is one the server accepted in the instant before
    # the kill, before its claim committed: at most one per killed pool process, and the copy
    # carries the same Message-ID, by which mail systems recognise it. Nothing else repeats.
    ids = handler.message_ids()
    repeated = {i for i in ids if ids.count(i) > 1}
    assert len(ids) - len(set(ids)) == sum(v - 1 for v in counts.values()), (
        "a repeated email did not carry its first copy's Message-ID"
    )
    assert len(repeated) <= 2, f"sent twice: {repeated}"
    assert repeated <= set(ids[:delivered_before_restart]), "an email was repeated after the kill"
    assert all(ids.count(i) == 2 for i in repeated)


@pytest.mark.celery_worker
def test_it_retries_a_refused_address_and_a_failing_server_without_stopping_the_sweep(
    world, real_celery, smtp_server
):
    handler, port = smtp_server
    expected = expected_claims(world)
    handler.refuse = {world.staff.email.lower()}
    handler.fail_next = 2
    worker = start_worker(port, "flaky")
    try:
        reminders_sweep_for_trust.delay(trust_id=world.trust.pk, today=TODAY.isoformat())
        # Everyone else is reached although one address is refused and the server failed twice.
        assert wait_until(lambda: handler.count() >= len(expected) - 1, timeout=90)
        refused = ReminderLog.objects.for_trust(world.trust).get(
            recipient=world.staff, about=world.staff
        )
        assert wait_until(
            lambda: ReminderLog.objects.for_trust(world.trust).get(pk=refused.pk).attempts >= 2,
            timeout=60,
        )
        refused.refresh_from_db()
        assert refused.sent_at is None and "No such user" in refused.last_error
        handler.refuse = set()  # the address is fixed; the next retry (with backoff) gets through
        assert wait_until(lambda: unsent(world) == 0, timeout=90)
        time.sleep(2)
    finally:
        stop_worker(worker)
    assert handler.failures == 2
    counts = handler.by_subject_and_recipient()
    assert set(counts) == expected
    assert set(counts.values()) == {1}


@pytest.mark.slow
def test_it_sweeps_five_thousand_staff_in_under_a_minute(world, real_celery):
    """5,000 staff (250 line managers): every claim made and its fan-out enqueued on Redis in
    well under a minute, in a fixed number of queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(username=f"bulk{i}@alpha.example", email=f"bulk{i}@alpha.example")
            for i in range(5000)
        ]
    )
    with trust_scope(world.trust):
        managers = StaffMember.objects.bulk_create(
            [
                StaffMember(
                    trust=world.trust,
                    user=u,
                    school=world.school,
                    job_title="Head of year",
                    category=StaffMember.Category.SUPPORT,
                    start_date=dt.date(2020, 9, 1),
                )
                for u in users[:250]
            ]
        )
        StaffMember.objects.bulk_create(
            [
                StaffMember(
                    trust=world.trust,
                    user=u,
                    school=world.school,
                    job_title="Teaching assistant",
                    category=StaffMember.Category.SUPPORT,
                    start_date=dt.date(2020, 9, 1),
                    line_manager=managers[i % 250],
                )
                for i, u in enumerate(users[250:])
            ]
        )
        started = time.monotonic()
        with CaptureQueriesContext(connection) as queries:
            ids = reminders_sweep_trust(trust_id=world.trust.pk, today=TODAY)
        elapsed = time.monotonic() - started
    from growth.celery import app

    with app.connection_for_write() as conn:
        queued = conn.default_channel.client.llen("default")
    print(
        f"\nsweep of 5,000 staff: {len(ids)} claims, {queued} tasks queued, "
        f"{elapsed:.2f}s, {len(queries)} queries"
    )
    assert len(ids) >= 5000 + 4750
    # One send task per chunk of claims, each mailing its chunk over one SMTP connection.
    from checkins.reminders import SEND_CHUNK

    assert queued == -(-len(ids) // SEND_CHUNK)
    assert len(queries) < 30
