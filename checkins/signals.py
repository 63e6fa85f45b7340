"""Drop the cached check-in schedule when what it is derived from changes: a term, a closure,
or the trust's cadence. (Writes through ``QuerySet.update`` or ``bulk_create`` send no
signals; the cache also expires within a day.)"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from checkins.selectors import schedule_cache_key
from growth.models import Closure, GrowthCycle, Term, Trust


def _forget_cycle(sender: Any, instance: Term | Closure, **kwargs: Any) -> None:
    public_ids = GrowthCycle.objects.for_trust(instance.trust_id).filter(pk=instance.cycle_id)
    cache.delete_many(
        [schedule_cache_key(p) for p in public_ids.values_list("public_id", flat=True)]
    )


def _forget_trust(sender: Any, instance: Trust, **kwargs: Any) -> None:
    public_ids = GrowthCycle.objects.for_trust(instance.pk).values_list("public_id", flat=True)
    cache.delete_many([schedule_cache_key(p) for p in public_ids])


def connect() -> None:
    for model in (Term, Closure):
        post_save.connect(_forget_cycle, sender=model, dispatch_uid=f"checkins_{model.__name__}_s")
        post_delete.connect(
            _forget_cycle, sender=model, dispatch_uid=f"checkins_{model.__name__}_d"
        )
    post_save.connect(_forget_trust, sender=Trust, dispatch_uid="checkins_trust_s")
