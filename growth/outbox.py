"""Enqueueing that survives a broker outage.

Every Celery task of the project uses ``OutboxTask`` (set as the app's ``task_cls``), so
``task.delay(...)`` — typically inside ``transaction.on_commit`` — never turns a Redis outage
into a 500 or a lost reminder: when the broker cannot be reached the call is written to
``TaskOutbox`` and the page carries on. ``flush`` (run by beat every minute, and callable by
hand) re-sends what is waiting once the broker is back. Tasks must be idempotent (they are:
they take ids and their services check state), since at-least-once is the guarantee.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, current_app, shared_task
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)

try:  # the Redis client is there whenever REDIS_URL is
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    BROKER_ERRORS: tuple[type[BaseException], ...] = (
        OperationalError,
        RedisConnectionError,
        RedisTimeoutError,
        ConnectionError,
        TimeoutError,
    )
except ImportError:  # pragma: no cover
    BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError)

# Options that are JSON-safe and worth keeping for the re-send.
KEPT_OPTIONS = ("queue", "countdown", "priority", "routing_key")


class OutboxTask(Task):
    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> Any:
        try:
            return super().apply_async(args, kwargs, **options)
        except BROKER_ERRORS as exc:
            if self.app.conf.task_always_eager:
                raise
            outbox_store(self.name, args, kwargs, options, error=exc)
            return None


def outbox_store(
    name: str, args: Any, kwargs: Any, options: dict[str, Any], *, error: BaseException
) -> None:
    from growth.models import TaskOutbox

    kwargs = dict(kwargs or {})
    log.warning("Broker unreachable (%s); %s kept in the outbox.", error, name)
    TaskOutbox.objects.create(
        trust_id=kwargs.get("trust_id") if isinstance(kwargs.get("trust_id"), int) else None,
        task_name=name,
        args=list(args or []),
        kwargs=kwargs,
        options={k: options[k] for k in KEPT_OPTIONS if options.get(k) is not None},
        last_error=str(error)[:2000],
    )


def outbox_flush(limit: int = 500) -> int:
    """Re-send waiting tasks, oldest first; stops at the first broker error. Returns how many
    were sent."""
    from growth.models import TaskOutbox
    from growth.security.rls import all_trusts

    sent = 0
    with all_trusts():
        while sent < limit:
            with transaction.atomic():
                row = (
                    TaskOutbox.objects.select_for_update(skip_locked=True)
                    .filter(sent_at__isnull=True)
                    .order_by("created_at")
                    .first()
                )
                if row is None:
                    break
                row.attempts += 1
                try:
                    current_app.send_task(
                        row.task_name,
                        args=row.args,
                        kwargs=row.kwargs,
                        ignore_result=True,  # as every task (settings: CELERY_TASK_IGNORE_RESULT)
                        **row.options,
                    )
                except BROKER_ERRORS as exc:
                    row.last_error = str(exc)[:2000]
                    row.save(update_fields=["attempts", "last_error"])
                    break
                row.sent_at = timezone.now()
                row.save(update_fields=["attempts", "sent_at"])
                sent += 1
    return sent


@shared_task(name="growth.outbox.flush")
def flush() -> int:
    return outbox_flush()
