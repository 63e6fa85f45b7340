"""A moment is shown as the day it was in the trust's time zone (Europe/London), never the
UTC day: a plan agreed at 23:30 UTC on a summer evening was agreed on the next day in
London, and every table and export says so."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from growth.reporting.reports import day_text
from growth.security.tenancy import trust_scope
from objectives import services
from tests.dashboards_fixtures import csv_rows
from tests.objectives_fixtures import bank, ready_plan  # noqa: F401 (bank is a fixture)

LATE_SUMMER_EVENING = dt.datetime(2027, 7, 20, 23, 30, tzinfo=dt.UTC)  # 00:30 on 21 July, BST


def test_a_moment_is_written_as_its_day_in_london():
    assert day_text(LATE_SUMMER_EVENING) == "21 Jul 2027"
    assert day_text(LATE_SUMMER_EVENING.date()) == "20 Jul 2027"


@pytest.mark.usefixtures("bank")
def test_the_team_table_and_its_export_show_the_london_day_of_an_agreement(world, client_for):
    plan = ready_plan(world)
    with trust_scope(world.trust):
        services.plan_submit(actor=world.staff, plan=plan)
        with time_machine.travel(LATE_SUMMER_EVENING, tick=False):
            services.plan_agree(actor=world.manager, plan=plan)
    with time_machine.travel(LATE_SUMMER_EVENING + dt.timedelta(hours=10), tick=False):
        client = client_for(world.manager)  # signed in then: a session is for two weeks
        page = client.get(reverse("reports:team")).content.decode()
        export = client.get(reverse("reports:team") + "?export=team&format=csv")
    assert "Yes, 21 Jul 2027" in page
    assert "Yes, 20 Jul 2027" not in page
    agreed = [c for row in csv_rows(export) for c in row if c.startswith("Yes,")]
    assert agreed == ["Yes, 21 Jul 2027"]
