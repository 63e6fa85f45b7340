"""Check-in tasks: the daily reminder sweep (Celery beat) and one task per email."""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib

from celery import shared_task
from django.conf import settings

from checkins.reminders import (
    reminder_failed,
    reminder_send,
    reminders_send,
    reminders_sweep_trust,
)
from growth.models import Trust
from growth.security.tenancy import trust_scope

log = logging.getLogger(__name__)

MAX_SEND_RETRIES = 6


@shared_task(name="checkins.tasks.reminders_sweep")
def reminders_sweep(*, today: str | None = None, reclaim_minutes: int | None = None) -> int:
    """Beat entry point: one sweep task per trust, so one trust's trouble stops no other."""
    trust_ids = list(Trust.objects.values_list("pk", flat=True))
    for trust_id in trust_ids:
        reminders_sweep_for_trust.apply_async(
            kwargs={"trust_id": trust_id, "today": today, "reclaim_minutes": reclaim_minutes}
        )
    return len(trust_ids)


@shared_task(name="checkins.tasks.reminders_sweep_for_trust")
def reminders_sweep_for_trust(
    *, trust_id: int, today: str | None = None, reclaim_minutes: int | None = None
) -> int:
    with trust_scope(trust_id):
        ids = reminders_sweep_trust(
            trust_id=trust_id,
            today=dt.date.fromisoformat(today) if today else None,
            reclaim_after=(
                dt.timedelta(minutes=reclaim_minutes) if reclaim_minutes is not None else None
            ),
        )
    return len(ids)


@shared_task(name="checkins.tasks.send_reminders", ignore_result=True)
def send_reminders(*, trust_id: int, log_ids: list[int]) -> int:
    """Send a chunk of claimed reminders over one SMTP connection. Any the server refused or
    could not take are retried one by one, with backoff, by ``send_reminder``."""
    with trust_scope(trust_id):
        outcome = reminders_send(trust_id=trust_id, log_ids=log_ids)
    for log_id, exc in outcome.failed:
        log.warning("reminder %s failed (%s); retrying on its own", log_id, exc)
        send_reminder.apply_async(
            kwargs={"trust_id": trust_id, "log_id": log_id},
            countdown=_backoff(0),
        )
    return outcome.sent


def _backoff(retries: int) -> float:
    base = settings.CHECKINS_REMINDER_RETRY_BASE_SECONDS
    return min(base * 2**retries, 15 * 60) * random.uniform(0.8, 1.2)


@shared_task(
    name="checkins.tasks.send_reminder", bind=True, max_retries=MAX_SEND_RETRIES, ignore_result=True
)
def send_reminder(self, *, trust_id: int, log_id: int) -> bool:
    """Send one claimed reminder. A refused address or a failing mail server is retried with
    exponential backoff (capped well under Redis' visibility timeout) and never blocks the
    other reminders, which are separate tasks."""
    with trust_scope(trust_id):
        try:
            return reminder_send(trust_id=trust_id, log_id=log_id)
        except (smtplib.SMTPException, OSError) as exc:
            reminder_failed(trust_id=trust_id, log_id=log_id, error=exc)
            countdown = _backoff(self.request.retries + 1)
            log.warning("reminder %s failed (%s); retry in %.0fs", log_id, exc, countdown)
            raise self.retry(exc=exc, countdown=countdown) from exc
