"""The check-ins-over-the-year chart marks the month in progress as partial, rather than
showing its few days so far as a fall to nearly nothing."""

from __future__ import annotations

import datetime as dt

from checkins.reports import _over_the_year
from growth.reporting.reports import report_context, whole_trust
from growth.security.tenancy import trust_scope


def test_it_labels_the_month_in_progress_as_partial(world):
    with trust_scope(world.trust):
        today = dt.date(world.cycle.start_date.year, 12, 1)
        ctx = report_context(viewer=world.admin, cycle=world.cycle, today=today)
        data = _over_the_year(ctx, whole_trust(ctx))
    assert data.labels[-1] == "Dec 2026 (to 1 Dec)"
    assert data.labels[-2] == "Nov 2026"


def test_it_labels_a_month_that_ends_today_as_whole(world):
    with trust_scope(world.trust):
        today = dt.date(world.cycle.start_date.year, 11, 30)
        ctx = report_context(viewer=world.admin, cycle=world.cycle, today=today)
        data = _over_the_year(ctx, whole_trust(ctx))
    assert data.labels[-1] == "Nov 2026"
