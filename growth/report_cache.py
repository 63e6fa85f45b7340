"""School and trust figures, computed once per change of the trust's data.

The school measures and charts of the reports and home pages aggregate over every person of a
school or of the whole trust (5,000 people and 100,000 check-ins in a large trust: 60-70 ms
a page). They do not depend on who is looking (person columns, which may, are never cached)
and the data behind them changes far less often than dashboards are read, so each figure is
kept in the cache under the trust's *data version*, and every write moves the version on:
``audit_record`` (which every service that changes data calls), the bulk imports and the
Django admin call ``figures_changed``. Nothing is ever invalidated by hand, so no key can be
missed; an old version's figures simply expire. The day is part of the key (figures such as
"check-ins due so far" move with the calendar), and ``REPORT_FIGURES_CACHE_SECONDS`` bounds
how long a figure is kept at all (0 computes on every request).

The version moves twice: at once, so the writer's own next page is fresh even inside its
transaction, and again when the transaction commits, so a figure computed by someone else
from the data before the commit, and cached under the first new version, is not served after
it. Cache outages are misses (``IGNORE_EXCEPTIONS``): the figures are computed as before.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from growth.tenancy import request_forget, request_memo

if TYPE_CHECKING:
    from growth.models import GrowthCycle

T = TypeVar("T")


def _version_key(trust_id: int) -> str:
    return f"reports:version:{trust_id}"


def figures_changed(trust_id: int) -> None:
    """The trust's data changed: its school and trust figures are recomputed when next read."""

    def move_on() -> None:
        cache.set(_version_key(trust_id), uuid.uuid4().hex, timeout=None)
        request_forget(_version_key(trust_id))

    move_on()
    connection = transaction.get_connection()
    pending = connection.run_on_commit if connection.in_atomic_block else []
    # One move on commit per trust however many rows the transaction audits (an import
    # audits thousands).
    if not any(getattr(func, "figures_trust_id", None) == trust_id for _, func, _ in pending):
        move_on.figures_trust_id = trust_id  # type: ignore[attr-defined]
        transaction.on_commit(move_on)


# Part of every key: moved on when what is kept changes shape (2: cells keep their markup),
# so a release never reads figures an earlier one cached.
KEPT_SHAPE = 2


def figures_version(trust_id: int) -> str:
    """The trust's data version, read from the cache once per request (a page keeps several
    figures; ``figures_changed`` forgets the request's copy when it moves the version on)."""
    return request_memo(_version_key(trust_id), lambda: _read_version(trust_id))


def _read_version(trust_id: int) -> str:
    key = _version_key(trust_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, timeout=None):
            version = cache.get(key) or version
    return version


def cached_figures(
    *,
    trust_id: int,
    cycle: GrowthCycle | None,
    today: dt.date,
    scope: str,
    name: str,
    compute: Callable[[], T],
) -> T:
    """``compute()``'s result for this trust's data version, cycle, day and ``scope`` (whose
    figures: ``"trust"``, ``"schools:<ids>"``, ``"overseen-by:<id>"``), computed once."""
    seconds = settings.REPORT_FIGURES_CACHE_SECONDS
    if not seconds or cycle is None:
        return compute()
    # The cycle's public id, not its key, so a database rebuilt with the same keys (tests,
    # a restored backup) never meets figures cached for another.
    key = ":".join(
        [
            f"reports{KEPT_SHAPE}",
            str(cycle.public_id),
            figures_version(trust_id),
            today.isoformat(),
            scope,
            name,
        ]
    )
    found = _kept_here(key)
    if found is None:
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, timeout=seconds)
        _keep_here(key, found, seconds)
    return found


# A process's own copies of the figures it last read, in front of the shared cache: the
# trust's 50 schools side by side are 600 cells, and taking them out of the cache (Redis,
# then unpickling) cost the trust pages half a millisecond a view. The keys carry the data
# version, read from the shared cache on every request, so a copy here is of the current
# data or never asked for again; each expires when the shared one does. The figures are
# shared between requests, so nothing may change them in place (cells are frozen).
_HERE: OrderedDict[str, tuple[float, Any]] = OrderedDict()
_HERE_MAX = 64
_here_lock = threading.Lock()


def _kept_here(key: str) -> Any:
    with _here_lock:
        kept = _HERE.get(key)
        if kept is None:
            return None
        if kept[0] <= time.monotonic():
            del _HERE[key]
            return None
        _HERE.move_to_end(key)
        return kept[1]


def _keep_here(key: str, found: Any, seconds: int) -> None:
    with _here_lock:
        _HERE[key] = (time.monotonic() + seconds, found)
        _HERE.move_to_end(key)
        while len(_HERE) > _HERE_MAX:
            _HERE.popitem(last=False)
