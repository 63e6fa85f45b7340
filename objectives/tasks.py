"""Tasks of the objectives app. They take ids, enter the trust's scope and call a service."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from growth.models import GrowthCycle, Trust
from growth.security.tenancy import trust_scope


@shared_task(name="objectives.tasks.remind_plans_not_agreed")
def remind_plans_not_agreed() -> int:
    """Beat, daily: fan out one task per trust whose current cycle's deadline has passed."""
    today = timezone.localdate()
    queued = 0
    for trust_id in Trust.objects.values_list("pk", flat=True):
        cycle = (
            GrowthCycle.objects.for_trust(trust_id)
            .filter(start_date__lte=today, end_date__gte=today, objectives_deadline__lt=today)
            .first()
        )
        if cycle is not None:
            remind_plans_not_agreed_in_trust.delay(trust_id=trust_id, cycle_id=cycle.pk)
            queued += 1
    return queued


@shared_task(name="objectives.tasks.remind_plans_not_agreed_in_trust")
def remind_plans_not_agreed_in_trust(*, trust_id: int, cycle_id: int, on: str = "") -> int:
    """``on`` (an ISO date) stands in for today, for reruns and tests."""
    from objectives.services import deadline_reminders_send

    today = dt.date.fromisoformat(on) if on else timezone.localdate()
    with trust_scope(trust_id):
        cycle = GrowthCycle.objects.get(pk=cycle_id)
        return deadline_reminders_send(cycle=cycle, today=today)
