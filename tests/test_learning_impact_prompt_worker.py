"""The impact prompt through a real Celery worker on Redis and a real SMTP server: one email,
however many times the daily sweep runs."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from checkins.models import ReminderLog
from checkins.tasks import reminders_sweep
from growth.security.tenancy import trust_scope
from tests import checkins_fixtures
from tests.checkins_fixtures import start_worker, stop_worker, wait_until
from tests.learning_fixtures import log_learning

real_celery = checkins_fixtures.real_celery
smtp_server = checkins_fixtures.smtp_server

SUBJECT = "[Professional Growth] What difference did your learning make?"
# Before the 2026-27 cycle starts, so the only reminders of the day are impact prompts.
TODAY = dt.date(2026, 8, 20)


@pytest.mark.celery_worker
def test_it_sends_the_impact_prompt_once_when_the_sweep_runs_three_times(
    world, real_celery, smtp_server
):
    handler, port = smtp_server
    log_learning(world.staff, started_on=dt.date(2026, 5, 18))  # due 18 Aug 2026
    log_learning(world.colleague, started_on=dt.date(2026, 5, 1))  # due 1 Aug: outside lookback
    worker = start_worker(port, "impact")
    try:
        for _ in range(3):
            reminders_sweep.apply_async(
                kwargs={"today": TODAY.isoformat()}, ignore_result=False
            ).get(timeout=60)
        assert wait_until(lambda: handler.count() >= 1, timeout=60)
        time.sleep(3)
    finally:
        stop_worker(worker)
    assert handler.by_subject_and_recipient() == {(world.staff.email, SUBJECT): 1}
    with trust_scope(world.trust):
        sent = ReminderLog.objects.get(kind=ReminderLog.Kind.LEARNING_IMPACT)
    assert sent.sent_at is not None and sent.recipient == world.staff
