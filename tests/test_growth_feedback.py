"""Seed 004: every teacher receives feedback on their growth focus during the year (issue 17,
part 6). The line manager and the headteacher see who has not had it yet on their home
page, and the reminder sweep nudges the line manager once a month, claimed exactly once
(the reminders' INSERT … ON CONFLICT claim), through a real Celery worker."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse

from checkins.models import ReminderLog
from checkins.reminders import reminders_due
from checkins.services import FeedbackData, feedback_create
from checkins.tasks import reminders_sweep
from growth.security.tenancy import trust_scope
from tests import checkins_fixtures
from tests.checkins_fixtures import on_worker, start_worker, stop_worker, wait_until

real_celery = checkins_fixtures.real_celery
smtp_server = checkins_fixtures.smtp_server

NOVEMBER = dt.date(2026, 11, 3)  # after the objectives deadline (31 Oct), before July


def give_feedback(world, coach, colleague) -> None:
    with trust_scope(world.trust):
        feedback_create(
            actor=coach,
            staff=colleague,
            data=FeedbackData(
                held_on=dt.date(2026, 10, 20),
                praise="Clear modelling of the worked example",
                probing_question="What did the quiz tell you?",
                next_action_step="Cold-call after the model",
                support_level=2,
                plan_ahead="Script three questions",
                timeline=dt.date(2026, 10, 27),
                lock_in_i_am="cold-calling after each model",
                lock_in_so_that="all of them rehearse the step",
            ),
        )


def panel_of(client) -> str:
    """The home page's growth-focus panel as the browser shows it: the page holds the panel,
    whose list it loads from its own address."""
    home = client.get(reverse("home")).content.decode()
    url = reverse("checkins:growth_feedback_panel")
    assert 'aria-labelledby="panel-growth-feedback"' in home and f'hx-get="{url}"' in home
    return client.get(url).content.decode()


def test_the_line_manager_sees_their_teachers_without_feedback(world, client_for):
    panel = panel_of(client_for(world.manager))
    assert world.staff.full_name in panel
    assert world.support.full_name not in panel  # support staff have no growth focus here
    give_feedback(world, world.manager, world.staff)
    assert "Every teacher has had feedback" in panel_of(client_for(world.manager))


def test_the_head_sees_their_whole_schools_teachers(world, client_for):
    panel = panel_of(client_for(world.head))
    for person in (world.staff, world.manager, world.colleague):
        assert person.full_name in panel
    assert world.other_school_staff.full_name not in panel


def test_staff_without_a_team_see_no_such_panel(world, client_for):
    html = client_for(world.staff).get(reverse("home")).content.decode()
    assert 'aria-labelledby="panel-growth-feedback"' not in html


def test_the_sweep_nudges_the_line_manager_of_each_teacher_without_feedback(in_trust):
    world = in_trust
    give_feedback(world, world.head, world.colleague)
    claims = {
        (c.recipient_id, c.about_id)
        for c in reminders_due(trust=world.trust, today=NOVEMBER)
        if c.kind == ReminderLog.Kind.GROWTH_FEEDBACK
    }
    assert (world.manager.pk, world.staff.pk) in claims
    assert (world.head.pk, world.manager.pk) in claims
    assert (world.head.pk, world.colleague.pk) not in claims  # had feedback in October
    assert not any(about == world.support.pk for _, about in claims)


def test_nobody_is_nudged_before_the_focus_is_set(in_trust):
    world = in_trust
    early = reminders_due(trust=world.trust, today=dt.date(2026, 10, 5))
    assert not [c for c in early if c.kind == ReminderLog.Kind.GROWTH_FEEDBACK]


@pytest.mark.celery_worker
def test_the_worker_sends_each_nudge_once_however_often_the_sweep_runs(
    world, real_celery, smtp_server
):
    handler, port = smtp_server
    subject = f"[Professional Growth] Feedback on {world.staff.full_name}'s growth focus"
    worker = start_worker(port, "feedback")
    try:
        for day in (NOVEMBER, NOVEMBER + dt.timedelta(days=1)):
            on_worker(reminders_sweep, today=day.isoformat()).get(timeout=60)
            on_worker(reminders_sweep, today=day.isoformat()).get(timeout=60)
        assert wait_until(
            lambda: (world.manager.email, subject) in handler.by_subject_and_recipient(),
            timeout=90,
        )
        assert wait_until(
            lambda: (
                not ReminderLog.objects.for_trust(world.trust).filter(sent_at__isnull=True).exists()
            ),
            timeout=90,
        )
        time.sleep(2)
    finally:
        stop_worker(worker)
    counts = handler.by_subject_and_recipient()
    assert counts[(world.manager.email, subject)] == 1
    nudges = {k: v for k, v in counts.items() if "growth focus" in k[1]}
    assert set(nudges.values()) == {1}
    assert (
        world.head.email,
        f"[Professional Growth] Feedback on {world.manager.full_name}'s growth focus",
    ) in nudges
