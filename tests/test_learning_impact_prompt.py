"""The three-month impact prompt goes through check-ins' reminder claims: due once the three
months have passed, claimed once per person and day, silent once the impact is written."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from checkins.models import ReminderLog
from checkins.reminders import claim, reminder_message, reminders_due
from growth.security.tenancy import trust_scope
from learning import services
from tests.learning_fixtures import log_learning

KIND = ReminderLog.Kind.LEARNING_IMPACT


def prompts(world, today):
    with trust_scope(world.trust):
        return [c for c in reminders_due(trust=world.trust, today=today) if c.kind == KIND]


def test_it_is_due_three_months_after_the_learning_and_not_before(world):
    log_learning(world.staff, started_on=dt.date(2026, 10, 1))
    assert prompts(world, dt.date(2026, 12, 31)) == []
    (due,) = prompts(world, dt.date(2027, 1, 1))
    assert (due.recipient_id, due.about_id, due.target) == (
        world.staff.pk,
        world.staff.pk,
        dt.date(2027, 1, 1),
    )


def test_it_is_claimed_once_however_often_the_sweep_runs(world):
    log_learning(world.staff, started_on=dt.date(2026, 10, 1))
    log_learning(world.staff, started_on=dt.date(2026, 10, 1), title="Second course")
    with trust_scope(world.trust):
        first = claim(
            trust_id=world.trust.pk, claims=prompts(world, dt.date(2027, 1, 2)), now=timezone.now()
        )
        again = claim(
            trust_id=world.trust.pk, claims=prompts(world, dt.date(2027, 1, 3)), now=timezone.now()
        )
        assert len(first) == 1 and again == []
        reminder = ReminderLog.objects.get(pk=first[0])
        message = reminder_message(reminder)
    assert message.subject == "[Professional Growth] What difference did your learning make?"
    assert "Metacognition in the classroom" in message.body
    assert "Second course" in message.body


def test_it_says_nothing_once_the_impact_is_written(world):
    entry = log_learning(world.staff, started_on=dt.date(2026, 10, 1))
    with trust_scope(world.trust):
        (log_id,) = claim(
            trust_id=world.trust.pk, claims=prompts(world, dt.date(2027, 1, 1)), now=timezone.now()
        )
        services.learning_impact_record(actor=world.staff, entry=entry, impact="Better questions")
        assert reminder_message(ReminderLog.objects.get(pk=log_id)) is None
    assert prompts(world, dt.date(2027, 1, 2)) == []


def test_it_waits_in_the_persons_list_until_they_write_the_impact(world):
    from growth.navigation.inbox import inbox_for

    entry = log_learning(world.staff, started_on=dt.date(2026, 8, 20))
    with trust_scope(world.trust):
        waiting = [i.title for i in inbox_for(viewer=world.staff, today=dt.date(2026, 12, 1)).items]
        assert f"What difference did {entry.title} make?" in waiting
        services.learning_impact_record(actor=world.staff, entry=entry, impact="Sharper questions")
        waiting = [i.title for i in inbox_for(viewer=world.staff, today=dt.date(2026, 12, 1)).items]
        assert f"What difference did {entry.title} make?" not in waiting
