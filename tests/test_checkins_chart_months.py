"""The check-ins-over-the-year chart marks the month in progress as partial, rather than
showing its few days so far as a fall to nearly nothing, and leaves it out while nothing is
due or held in it yet."""

from __future__ import annotations

import datetime as dt

from checkins.reports import _over_the_year
from checkins.selectors import cycle_schedule
from growth.reporting.reports import report_context, whole_trust
from growth.security.tenancy import trust_scope


def chart_on(world, today: dt.date):
    with trust_scope(world.trust):
        ctx = report_context(viewer=world.admin, cycle=world.cycle, today=today)
        return _over_the_year(ctx, whole_trust(ctx))


def test_it_labels_the_month_in_progress_as_partial(world):
    december = dt.date(world.cycle.start_date.year, 12, 1)
    with trust_scope(world.trust):
        first_day = min(d for d in cycle_schedule(cycle=world.cycle) if d >= december)
    data = chart_on(world, first_day)
    assert data.labels[-1] == f"Dec 2026 (to {first_day.day} Dec)"
    assert data.labels[-2] == "Nov 2026"
    assert data.series[0].values[-1] > 0  # the check-ins due that day


def test_it_leaves_out_a_month_begun_with_nothing_due_or_held(world):
    december = dt.date(world.cycle.start_date.year, 12, 1)
    with trust_scope(world.trust):
        assert december not in cycle_schedule(cycle=world.cycle)
    data = chart_on(world, december)
    assert data.labels[-1] == "Nov 2026"
    assert data.series[0].values[-1] > 0  # November, whose check-ins were due


def test_it_labels_a_month_that_ends_today_as_whole(world):
    data = chart_on(world, dt.date(world.cycle.start_date.year, 11, 30))
    assert data.labels[-1] == "Nov 2026"
