"""Where the daily update has not yet moved someone's check-in figures on to today, the pages
showing them say which day they are as of; where every figure is today's they say nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from growth.models import GrowthProgress
from growth.reporting.progress import progress_rebuild
from growth.reporting.school_progress import school_progress_rebuild

NOTE = "Check-in figures as of"


def _behind(world, days: int = 3) -> dt.date:
    """The staff member's row as the update left it ``days`` ago, due to move on since."""
    progress_rebuild(trust=world.trust)
    as_of = timezone.localdate() - dt.timedelta(days=days)
    GrowthProgress.objects.for_trust(world.trust).filter(
        staff_member=world.staff, cycle=world.cycle
    ).update(checkins_as_of=as_of, checkins_change_on=as_of + dt.timedelta(days=1))
    school_progress_rebuild(trust=world.trust)  # the school's row counts the row as it is
    return as_of


def _pages(world):
    school = reverse("reports:school", args=[world.school.public_id])
    return [
        (world.manager, reverse("reports:team")),
        (world.manager, reverse("home")),  # "My team"
        (world.staff, reverse("home")),  # "My year" and "My check-ins"
        (world.head, school),
        (world.head, reverse("home")),  # the school panel
        (world.admin, reverse("reports:trust")),
    ]


def test_it_says_which_day_figures_the_update_has_not_reached_are_as_of(world, client_for):
    as_of = _behind(world)
    expected = f"{NOTE} {date_format(as_of)}"
    for viewer, url in _pages(world):
        html = client_for(viewer).get(url).content.decode()
        assert expected in html, (viewer.full_name, url)


def test_it_says_nothing_when_every_figure_is_today_s(world, client_for):
    progress_rebuild(trust=world.trust)
    for viewer, url in _pages(world):
        assert NOTE not in client_for(viewer).get(url).content.decode(), (viewer.full_name, url)


def test_a_row_worked_out_days_ago_that_nothing_has_changed_since_is_not_stale(world, client_for):
    progress_rebuild(trust=world.trust)
    earlier = timezone.localdate() - dt.timedelta(days=5)
    GrowthProgress.objects.for_trust(world.trust).update(
        checkins_as_of=earlier, checkins_change_on=timezone.localdate() + dt.timedelta(days=2)
    )
    school_progress_rebuild(trust=world.trust)
    for viewer, url in _pages(world):
        assert NOTE not in client_for(viewer).get(url).content.decode(), (viewer.full_name, url)
