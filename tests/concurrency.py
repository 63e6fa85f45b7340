"""Two writes at once, for the tests of what the summaries keep when transactions overlap."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection, transaction

from growth.models import Trust
from growth.security.tenancy import trust_scope


def blocked_on_a_lock() -> bool:
    """Whether another session of the test database is waiting for a row lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def two_writes_at_once(trust: Trust, first: Callable[[], object], second: Callable[[], object]):
    """Run ``first`` in a transaction of its own and hold it open, written but not committed;
    run ``second`` in another until it waits for a lock (or ends); then let ``first`` commit.
    Returns what either raised (none when both were made)."""
    written, release, failures = threading.Event(), threading.Event(), []

    def run(write: Callable[[], object], hold: bool) -> None:
        try:
            with trust_scope(trust), transaction.atomic():
                write()
                if hold:
                    written.set()
                    assert release.wait(timeout=30)
        except Exception as exc:  # reported by the test, not lost in the thread
            failures.append(exc)
        finally:
            connection.close()

    held = threading.Thread(target=run, args=(first, True))
    held.start()
    assert written.wait(timeout=30)
    other = threading.Thread(target=run, args=(second, False))
    other.start()
    deadline = time.monotonic() + 10
    while not blocked_on_a_lock() and other.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    release.set()
    held.join(timeout=30)
    other.join(timeout=30)
    return failures
