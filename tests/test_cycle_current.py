"""Which cycle is "current": the one containing the day, else the latest started, else the
first to come; one query, always up to date."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from growth.domain.selectors import cycle_current, cycles_all
from growth.security.tenancy import trust_scope
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


def test_it_reads_the_cycles_in_one_query_and_sees_one_added_a_moment_ago(world, other_world):
    with trust_scope(world.trust):
        with CaptureQueriesContext(connection) as queries:
            assert cycle_current(trust=world.trust) == world.cycle
        assert len(queries) == 1
        assert [c.pk for c in cycles_all(world.trust)] == [world.cycle.pk]
        later = make_cycle(world.trust, 2028)
        assert cycle_current(trust=world.trust, on=dt.date(2028, 11, 23)) == later
    # Another trust's cycles are never among them.
    assert other_world.cycle.pk not in [c.pk for c in cycles_all(world.trust)]
