"""A generic idempotent batch task for the worker-kill test (loaded into test workers with
``-I tests.fault_tasks``): it processes ``items`` items one transaction each, writing one
audit row per item unless that item is already done, pausing between items so a test can
kill the worker in the middle."""

from __future__ import annotations

import time

from celery import shared_task
from django.db import transaction

from growth.domain.audit import audit_record
from growth.models import AuditEvent, Trust
from growth.security.tenancy import trust_scope


@shared_task(name="tests.fault_tasks.batch", acks_late=True)
def batch(*, trust_id: int, key: str, items: int, pause: float) -> int:
    done = 0
    with trust_scope(trust_id):
        trust = Trust.objects.get(pk=trust_id)
        for i in range(items):
            action = f"probe.{key}.{i}"
            with transaction.atomic():
                if AuditEvent.objects.filter(action=action).exists():
                    continue  # done by an earlier, interrupted delivery
                audit_record(trust=trust, actor=None, action=action, obj=trust)
                done += 1
            time.sleep(pause)
    return done
