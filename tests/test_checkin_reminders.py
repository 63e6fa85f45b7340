"""Reminders: what the daily sweep claims, exactly once, with calendar entries that parse."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.db import connection
from icalendar import Calendar

from checkins import services
from checkins.models import ReminderLog
from checkins.reminders import (
    reminder_message_id,
    reminder_send,
    reminders_due,
    reminders_sweep_trust,
)
from tests.factories import make_staff

D = dt.date
FIRST_DUE = D(2026, 9, 15)  # the fixture cycle's first check-in (Autumn 1 starts 2 Sep)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the per-trust sweep as the beat task does; its send tasks run in-process (eager)
    once the claims commit."""

    def run(world, today, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep_trust(trust_id=world.trust.pk, today=today, **kwargs)

    return run


def kinds(claims):
    return {(c.recipient_id, c.about_id, c.kind, c.target) for c in claims}


def test_it_reminds_staff_and_their_line_manager_of_a_checkin_due_within_the_notice(in_trust):
    world = in_trust
    claims = kinds(reminders_due(trust=world.trust, today=D(2026, 9, 13)))
    staff, manager = world.staff, world.manager
    assert (staff.pk, staff.pk, "checkin_due", FIRST_DUE) in claims
    assert (manager.pk, staff.pk, "checkin_due", FIRST_DUE) in claims
    # Three days ahead is outside the trust's two-day notice.
    assert not reminders_due(trust=world.trust, today=D(2026, 9, 12))


def test_it_chases_an_overdue_checkin_but_not_a_recorded_or_excused_one(in_trust):
    world = in_trust
    services.checkin_excuse(
        actor=world.staff,
        staff=world.staff,
        cycle=world.cycle,
        due_on=FIRST_DUE,
        status="cancelled",
        reason="Parents' evening",
    )
    claims = kinds(reminders_due(trust=world.trust, today=D(2026, 9, 18)))
    assert (world.colleague.pk, world.colleague.pk, "checkin_overdue", FIRST_DUE) in claims
    assert not [c for c in claims if c[1] == world.staff.pk]


def test_it_reminds_about_a_moved_checkin_on_its_new_date(in_trust):
    world = in_trust
    services.checkin_excuse(
        actor=world.manager,
        staff=world.staff,
        cycle=world.cycle,
        due_on=FIRST_DUE,
        status="moved",
        reason="Clash with a trip",
        moved_to=D(2026, 9, 22),
    )
    assert (world.staff.pk, world.staff.pk, "checkin_due", FIRST_DUE) not in kinds(
        reminders_due(trust=world.trust, today=D(2026, 9, 14))
    )
    claims = kinds(reminders_due(trust=world.trust, today=D(2026, 9, 21)))
    assert (world.staff.pk, world.staff.pk, "checkin_due", D(2026, 9, 22)) in claims


def test_it_announces_the_deadlines_of_the_year(in_trust):
    world = in_trust
    objectives = kinds(reminders_due(trust=world.trust, today=D(2026, 10, 26)))
    assert (world.staff.pk, world.staff.pk, "objectives_deadline", D(2026, 10, 31)) in objectives
    july = kinds(reminders_due(trust=world.trust, today=D(2027, 6, 21)))
    assert (world.staff.pk, world.staff.pk, "reflection_opens", D(2027, 6, 21)) in july
    review = kinds(reminders_due(trust=world.trust, today=D(2027, 7, 12)))
    assert (world.manager.pk, world.manager.pk, "review_deadline", D(2027, 7, 16)) in review
    # Only reviewers are told about the review deadline.
    assert (world.staff.pk, world.staff.pk, "review_deadline", D(2027, 7, 16)) not in review


def test_it_sends_each_reminder_once_however_often_the_sweep_runs(in_trust, mailoutbox, sweep):
    world = in_trust
    with_mail = sweep(world, D(2026, 9, 14))
    assert with_mail
    sent = len(mail.outbox)
    assert sent == len(with_mail)
    assert sweep(world, D(2026, 9, 14)) == []
    assert sweep(world, D(2026, 9, 15)) == []
    assert len(mail.outbox) == sent
    assert ReminderLog.objects.filter(sent_at__isnull=True).count() == 0
    subjects = [m.subject for m in mail.outbox if world.staff.email in m.to]
    assert subjects == ["[Professional Growth] Check-in due 15 Sep 2026"]


def test_it_attaches_a_calendar_entry_that_parses(in_trust, mailoutbox, sweep):
    world = in_trust
    sweep(world, D(2026, 9, 14))
    message = next(m for m in mail.outbox if world.staff.email in m.to)
    name, content, mimetype = message.attachments[0]
    assert name == "checkin.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start.date() == FIRST_DUE
    assert event.decoded("dtend") - start == dt.timedelta(minutes=10)
    assert str(world.staff.public_id) in str(event["uid"])
    manager_copy = next(
        m for m in mail.outbox if world.manager.email in m.to and world.staff.full_name in m.subject
    )
    manager_event = Calendar.from_ical(manager_copy.attachments[0][1]).walk("VEVENT")[0]
    assert manager_event["uid"] == event["uid"]


def test_it_sends_a_weekly_digest_instead_to_a_manager_who_asks(in_trust, mailoutbox, sweep):
    world = in_trust
    services.reminder_preference_set_digest(
        actor=world.manager, staff=world.manager, weekly_digest=True
    )
    sweep(world, D(2026, 9, 14))
    to_manager = [m for m in mail.outbox if world.manager.email in m.to]
    assert [m.subject for m in to_manager if "Check-in due" in m.subject] == [
        "[Professional Growth] Check-in due 15 Sep 2026"  # their own, not their team's
    ]
    digest = next(m for m in to_manager if "week of" in m.subject)
    assert world.staff.full_name in digest.body and world.support.full_name in digest.body
    sweep(world, D(2026, 9, 16))
    assert len([m for m in mail.outbox if "week of" in m.subject]) == 1


def test_it_resends_a_claim_whose_send_was_lost_but_never_a_sent_one(in_trust, mailoutbox, sweep):
    world = in_trust
    lost = ReminderLog.objects.create(
        recipient=world.staff,
        about=world.staff,
        kind=ReminderLog.Kind.CHECKIN_DUE,
        target_date=FIRST_DUE,
        claimed_at=dt.datetime(2026, 9, 14, 6, 30, tzinfo=dt.UTC),
    )
    ids = sweep(world, D(2026, 9, 14), reclaim_after=dt.timedelta(0))
    assert lost.pk in ids
    lost.refresh_from_db()
    assert lost.sent_at is not None
    assert len([m for m in mail.outbox if world.staff.email in m.to]) == 1
    sweep(world, D(2026, 9, 14), reclaim_after=dt.timedelta(0))
    assert len([m for m in mail.outbox if world.staff.email in m.to]) == 1


def test_it_leaves_out_people_who_have_left_or_not_yet_started(in_trust):
    world = in_trust
    leaver = make_staff(world.trust, world.school, leave_date=D(2026, 9, 10))
    starter = make_staff(world.trust, world.school, start_date=D(2026, 9, 20))
    about = {c.about_id for c in reminders_due(trust=world.trust, today=D(2026, 9, 14))}
    assert world.staff.pk in about
    assert leaver.pk not in about and starter.pk not in about


def test_it_claims_with_a_fixed_number_of_queries(in_trust, django_assert_max_num_queries):
    world = in_trust
    for _ in range(15):
        make_staff(world.trust, world.school, line_manager=world.manager)
    with django_assert_max_num_queries(12):
        claims = reminders_due(trust=world.trust, today=D(2026, 9, 14))
    assert len(claims) > 30


def test_it_gives_every_send_of_one_reminder_the_same_message_id(in_trust, mailoutbox, sweep):
    """A send repeated after a crash is recognisably a copy (mail systems collapse it)."""
    world = in_trust
    sweep(world, D(2026, 9, 14))
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(set(ids)) == len(ids)
    mine = ReminderLog.objects.get(recipient=world.staff, about=world.staff)
    message = next(m for m in mail.outbox if world.staff.email in m.to)
    assert message.extra_headers["Message-ID"] == reminder_message_id(mine)
    ReminderLog.objects.filter(pk=mine.pk).update(sent_at=None)
    assert reminder_send(trust_id=world.trust.pk, log_id=mine.pk)
    assert mail.outbox[-1].message()["Message-ID"] == message.message()["Message-ID"]


def test_it_sends_a_chunk_with_asynchronous_commits_and_restores_durable_ones_after(
    in_trust, mailoutbox, sweep, monkeypatch
):
    """Sent-marks may be committed without waiting for the disk (a crash could only cause a
    resend), but nothing else on the connection: the setting is back once the chunk is done,
    even when the mail server refused an email in it."""
    from django.core.mail.backends.locmem import EmailBackend

    world = in_trust
    seen: list[str] = []
    deliver = EmailBackend.send_messages

    def send_messages(self, messages):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen.append(cursor.fetchone()[0])
        if world.staff.email in messages[0].to:
            raise smtplib.SMTPRecipientsRefused({world.staff.email: (550, b"No such user")})
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    monkeypatch.setattr("checkins.tasks.send_reminder.apply_async", lambda **kwargs: None)
    sweep(world, D(2026, 9, 14))
    assert seen and set(seen) == {"off"}
    refused = ReminderLog.objects.get(recipient=world.staff, about=world.staff)
    assert refused.sent_at is None and "No such user" in refused.last_error
    assert len(mail.outbox) == len(seen) - 1
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_a_reminder_tried_again_after_a_refusal_is_in_the_list_once(
    in_trust, mailoutbox, sweep, monkeypatch
):
    """The person sees each reminder once in their notification list, however many times its
    email had to be tried."""
    from django.core.mail.backends.locmem import EmailBackend

    from growth.models import Notification

    world = in_trust
    deliver = EmailBackend.send_messages
    refuse = {world.staff.email}

    def send_messages(self, messages):
        if refuse & set(messages[0].to):
            raise smtplib.SMTPRecipientsRefused({world.staff.email: (550, b"No such user")})
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    monkeypatch.setattr("checkins.tasks.send_reminder.apply_async", lambda **kwargs: None)
    sweep(world, D(2026, 9, 14))
    refused = ReminderLog.objects.get(recipient=world.staff, about=world.staff)
    assert refused.sent_at is None
    mine = Notification.objects.filter(recipient=world.staff, reminder_claim=refused.pk)
    assert mine.count() == 1  # in the list although the email has not gone yet
    refuse.clear()
    for _ in range(2):  # the retry, then a duplicate retry task
        reminder_send(trust_id=world.trust.pk, log_id=refused.pk)
    refused.refresh_from_db()
    assert refused.sent_at is not None
    assert [m.to for m in mail.outbox].count([world.staff.email]) == 1
    assert mine.count() == 1
    subjects = list(
        Notification.objects.filter(recipient=world.staff).values_list("subject", flat=True)
    )
    assert len(subjects) == len(set(subjects)), subjects


def test_it_sends_a_chunk_with_the_same_few_statements_per_email(in_trust, mailoutbox):
    """A chunk reads its claims and keeps its notifications once; each email then costs the
    same statements (its transaction and its sent-mark), whatever the chunk's size: nothing is
    loaded or written per email beyond its own claim."""
    from django.test.utils import CaptureQueriesContext

    from checkins.reminders import claim, reminders_send

    world = in_trust
    for _ in range(6):
        make_staff(world.trust, world.school, line_manager=world.manager)
    claims = reminders_due(trust=world.trust, today=D(2026, 9, 14))
    ids = claim(trust_id=world.trust.pk, claims=claims, now=dt.datetime.now(dt.UTC))
    statements = {}
    for size in (2, 6):
        chunk, ids = ids[:size], ids[size:]
        with CaptureQueriesContext(connection) as queries:
            assert reminders_send(trust_id=world.trust.pk, log_ids=chunk).sent == size
        statements[size] = len(queries)
    per_email = (statements[6] - statements[2]) / 4
    assert per_email == int(per_email) and per_email <= 3, statements
    assert statements[2] - 2 * per_email <= 8, statements
