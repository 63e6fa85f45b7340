"""Which cycle is "current": the one containing the day, else the latest started, else the
first to come; the trust's cycles are read once a request and shared."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from growth.domain.selectors import cycle_current, cycles_all
from growth.security.tenancy import request_memo_scope, trust_scope
from tests.factories import make_cycle


def test_it_picks_the_cycle_containing_the_day_else_the_latest_started(world):
    later = make_cycle(world.trust, 2028)
    with trust_scope(world.trust):
        assert cycle_current(trust=world.trust, on=dt.date(2026, 11, 23)) == world.cycle
        assert cycle_current(trust=world.trust, on=dt.date(2028, 11, 23)) == later
        # Between the two (the 2027-28 year has no cycle): the latest one started.
        assert cycle_current(trust=world.trust, on=dt.date(2027, 11, 23)) == world.cycle
        # Before any: the first to come.
        assert cycle_current(trust=world.trust, on=dt.date(2020, 1, 1)) == world.cycle


def test_it_reads_the_cycles_once_a_request(world, other_world):
    with trust_scope(world.trust), request_memo_scope():
        with CaptureQueriesContext(connection) as queries:
            for _ in range(3):
                cycle_current(trust=world.trust)
                cycles_all(world.trust)
        assert len(queries) == 1
    with trust_scope(other_world.trust):
        assert cycle_current(trust=other_world.trust) == other_world.cycle
