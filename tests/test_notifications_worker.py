"""Notifications people control, through real Celery workers on Redis and a real SMTP server
on loopback: each person's choice per kind is respected by the reminder sweep's worker, and
the weekly digest goes out once — under a rerun of the sweep and a worker killed mid-send."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest

from checkins.models import ReminderLog
from checkins.tasks import reminders_sweep_for_trust
from growth.models import Notification, StaffMember
from growth.notifications.services import notification_preferences_set
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
SUMMER = dt.date(2026, 8, 19)  # before the cycle: no reminders, only digests
DUE = "[Professional Growth] Check-in due 15 Sep 2026"


def sweep(world, today: dt.date, **kw) -> None:
    on_worker(
        reminders_sweep_for_trust, trust_id=world.trust.pk, today=today.isoformat(), **kw
    ).get(timeout=60)


def unsent(world) -> int:
    return ReminderLog.objects.for_trust(world.trust).filter(sent_at__isnull=True).count()


def digests(handler) -> dict[tuple[str, str], int]:
    return {k: v for k, v in handler.by_subject_and_recipient().items() if "weekly digest" in k[1]}


@pytest.mark.celery_worker
def test_a_real_worker_respects_each_persons_choice_and_sends_the_digest_once(
    world, real_celery, smtp_server
):
    handler, port = smtp_server
    with trust_scope(world.trust):
        notification_preferences_set(
            actor=world.staff, staff=world.staff, deliveries={"checkin_reminders": "in_app"}
        )
        notification_preferences_set(
            actor=world.manager, staff=world.manager, deliveries={"checkin_reminders": "digest"}
        )
    worker = start_worker(port, "choices")
    try:
        sweep(world, TODAY)
        assert wait_until(lambda: unsent(world) == 0, timeout=90)
        time.sleep(2)
        emailed = {rcpt for rcpt, subject in handler.by_subject_and_recipient() if DUE in subject}
        assert world.colleague.email in emailed  # no choice made: emailed straight away
        assert world.staff.email not in emailed  # in the app only
        assert world.manager.email not in emailed  # kept for the digest
        with trust_scope(world.trust):
            mine = Notification.objects.filter(recipient=world.staff)
            assert mine.count() == 1 and mine.get().delivery == "in_app"
            assert Notification.objects.filter(recipient=world.colleague).get().delivery == "email"
            waiting = Notification.objects.filter(recipient=world.manager, delivery="digest")
            # The manager's own check-in, and those of the two people they line-manage.
            assert waiting.count() == 3
            carried = set(waiting.values_list("pk", flat=True))
        # The next sweep claims the week's digest; a rerun and a duplicate send nothing more.
        sweep(world, TODAY)
        sweep(world, TODAY + dt.timedelta(days=1))
        assert wait_until(lambda: len(digests(handler)) == 1 and unsent(world) == 0, timeout=90)
        sweep(world, TODAY)
        time.sleep(3)
    finally:
        stop_worker(worker)
    assert digests(handler) == {
        (world.manager.email, "[Professional Growth] Your weekly digest: 3 notifications"): 1
    }
    with trust_scope(world.trust):
        digested = Notification.objects.filter(pk__in=carried, digested_in__isnull=False)
        assert digested.count() == 3
        body = next(
            m for r, m in handler.messages if "weekly digest" in str(m["Subject"])
        ).get_payload()
        assert "Check-in due 15 Sep 2026: Sam Tester" in body


@pytest.mark.celery_worker
def test_the_digest_is_sent_once_when_a_worker_is_killed_mid_send(world, real_celery, smtp_server):
    handler, port = smtp_server
    people = []
    with trust_scope(world.trust):
        for i in range(160):
            person = make_staff(world.trust, world.school, password=None, last_name=f"D{i:03d}")
            notification_preferences_set(actor=person, staff=person, deliveries={"plans": "digest"})
            people.append(person)
        Notification.objects.bulk_create(
            Notification(
                trust=world.trust,
                recipient=person,
                kind="plans",
                subject=f"Plan news {n} for {person.pk}",
                body="Something happened to a plan.",
                delivery="digest",
            )
            for person in people
            for n in (1, 2)
        )
    expected = {
        (p.email, "[Professional Growth] Your weekly digest: 2 notifications") for p in people
    }
    worker = start_worker(port, "doomed-digest", concurrency=2)
    try:
        reminders_sweep_for_trust.delay(trust_id=world.trust.pk, today=SUMMER.isoformat())
        assert wait_until(lambda: handler.count() >= 30, timeout=90)
        os.killpg(worker.pid, signal.SIGKILL)  # no clean shutdown, no acks
        worker.wait(timeout=10)
    finally:
        stop_worker(worker)
    delivered_before_restart = handler.count()
    assert delivered_before_restart < len(expected), "the worker finished before it was killed"
    replacement = start_worker(port, "digest-replacement", concurrency=2)
    try:
        wait_until_settled(handler.count, quiet=4, timeout=120)
        sweep(world, SUMMER, reclaim_minutes=0)
        assert wait_until(lambda: unsent(world) == 0, timeout=120)
        sweep(world, SUMMER + dt.timedelta(days=1), reclaim_minutes=0)  # a rerun: nothing new
        time.sleep(3)
    finally:
        stop_worker(replacement)
    counts = digests(handler)
    assert set(counts) == expected, "a digest was lost"
    ids = handler.message_ids()
    repeated = {i for i in ids if ids.count(i) > 1}
    # As with reminders: only a digest the server accepted in the instant before the kill may
    # come twice, whole and with its first copy's Message-ID.
    assert len(repeated) <= 2, f"sent twice: {repeated}"
    assert repeated <= set(ids[:delivered_before_restart])
    with trust_scope(world.trust):
        assert not Notification.objects.filter(delivery="digest", digested_in__isnull=True).exists()
        assert StaffMember.objects.count() >= 160
