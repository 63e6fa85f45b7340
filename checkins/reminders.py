"""Reminders, exactly once.

The daily sweep works out, per trust, every reminder that should exist today and *claims* each
one by inserting a ``ReminderLog`` row keyed (trust, recipient, kind, target date, about) with
``INSERT … ON CONFLICT DO NOTHING RETURNING id``: only rows this sweep inserted come back, so a
second sweep, a duplicate beat or a redelivered sweep task claims nothing twice. After the
claims commit, one send task per chunk of claims is enqueued. It keeps every reminder of the
chunk in its recipient's notification list in one statement (once per claim, whatever happens
to the email), then sends the chunk over one SMTP connection, but each email in a transaction
of its own: it sets ``sent_at`` with
``UPDATE … WHERE sent_at IS NULL`` (which locks the claim row), sends, and commits, so duplicate
send tasks wait for each other and only one sends. No sender can know whether a server that
took the message was told so before the worker died, so a worker killed between the server's
"accepted" and the commit sends that one email again (at-least-once: a lost reminder is worse
than a repeated one); every email of a claim carries the same ``Message-ID``, by which mail
systems recognise the copy. An email the server refuses is rolled back, recorded, and retried
on its own with backoff. A claim whose send was lost (a worker killed
before it ran) has no ``sent_at``; the next sweep re-enqueues claims older than
``CHECKINS_REMINDER_RECLAIM_MINUTES``. No task is scheduled far ahead: the sweep runs daily
and picks what is due now (Redis would redeliver far-future ETA tasks after its visibility
timeout).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from checkins.calendar import CheckinEntry, calendar_bytes
from checkins.models import Checkin, ReminderLog, ReminderPreference
from checkins.schedule import dates_for_person
from checkins.selectors import cycle_schedule
from growth.domain.selectors import cycle_current
from growth.models import GrowthCycle, Notification, StaffMember, Trust
from growth.notifications.services import (
    ReminderNote,
    digest_mark_sent,
    digest_notifications,
    digest_waiting,
    preferences_for,
    reminder_notifications_record,
)
from objectives.models import GrowthPlan

log = logging.getLogger(__name__)

Kind = ReminderLog.Kind
# The kind of notification (growth/notifications/services.py) each reminder is kept as.
NOTIFICATION_KINDS = {
    Kind.CHECKIN_DUE: "checkin_reminders",
    Kind.CHECKIN_OVERDUE: "checkin_reminders",
    Kind.WEEKLY_DIGEST: "checkin_reminders",
    Kind.OBJECTIVES_DEADLINE: "deadlines",
    Kind.REFLECTION_OPENS: "deadlines",
    Kind.REVIEW_DEADLINE: "deadlines",
}
OVERDUE_LOOKBACK_DAYS = 14  # an unrecorded check-in is chased once, within two weeks
DEADLINE_NOTICE_DAYS = 7  # objectives and review deadlines are announced a week ahead
SEND_CHUNK = 50  # emails per send task: one SMTP connection each, spread over the workers
GIVE_UP_AFTER = dt.timedelta(days=3)  # a claim unsent after three days is left for a human


@dataclass(frozen=True)
class Claim:
    recipient_id: int
    about_id: int
    kind: str
    target: dt.date


def _day(value: dt.date) -> str:
    return date_format(value)


@dataclass(frozen=True)
class ExtraReminder:
    """A reminder of an app to the right of checkins (e.g. learning's impact prompt), sent
    through the same claims, so it too is sent once: ``due`` lists the claims of a trust on a
    day; ``message`` gives a claim's (subject, body), or None when nothing is left to say."""

    kind: str
    due: Callable[[Trust, dt.date], list[Claim]]
    message: Callable[[ReminderLog], tuple[str, str] | None]


_extra_reminders: dict[str, ExtraReminder] = {}


def register_reminder(reminder: ExtraReminder) -> None:
    if reminder.kind not in Kind.values:
        raise ValueError(f"{reminder.kind!r} is not a ReminderLog.Kind")
    _extra_reminders[reminder.kind] = reminder


def reminders_due(*, trust: Trust, today: dt.date) -> list[Claim]:
    """Every reminder that should exist for ``trust`` on ``today`` (a fixed number of queries,
    whatever the number of staff)."""
    extra = [c for r in _extra_reminders.values() for c in r.due(trust, today)]
    cycle = cycle_current(trust=trust, on=today)
    if cycle is None or not cycle.contains(today):
        return extra
    dates = cycle_schedule(cycle=cycle, cadence_days=trust.checkin_cadence_days)
    notice = dt.timedelta(days=trust.reminder_notice_days)
    due_window = [d for d in dates if today <= d <= today + notice]
    overdue_window = [
        d for d in dates if today - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS) <= d < today
    ]
    people = list(
        StaffMember.objects.for_trust(trust)
        .filter(is_active=True)
        .exclude(leave_date__lt=today)
        .values_list("pk", "line_manager_id", "start_date", "leave_date")
    )
    active = {pk for pk, *_ in people}
    digest = set(
        ReminderPreference.objects.for_trust(trust)
        .filter(weekly_digest=True)
        .values_list("staff_member_id", flat=True)
    )
    has_reports = {m for _, m, *_ in people if m in active}
    records: dict[tuple[int, dt.date], tuple[str, dt.date | None]] = {}
    moved: list[tuple[int, dt.date, dt.date]] = []
    window = due_window + overdue_window
    low = today - dt.timedelta(days=OVERDUE_LOOKBACK_DAYS)
    for sid, due_on, status, moved_to in (
        Checkin.objects.for_trust(trust)
        .filter(cycle=cycle, due_on__isnull=False)
        .filter(
            Q(due_on__in=window)
            | Q(status=Checkin.Status.MOVED, moved_to__gte=low, moved_to__lte=today + notice)
        )
        .values_list("staff_member_id", "due_on", "status", "moved_to")
    ):
        records[(sid, due_on)] = (status, moved_to)
        if status == Checkin.Status.MOVED and moved_to is not None:
            moved.append((sid, due_on, moved_to))

    claims: list[Claim] = []

    def both(sid: int, manager_id: int | None, kind: str, target: dt.date) -> None:
        claims.append(Claim(sid, sid, kind, target))
        if manager_id in active and manager_id not in digest:
            claims.append(Claim(manager_id, sid, kind, target))

    managers = {pk: manager_id for pk, manager_id, *_ in people}
    for pk, manager_id, start, leave in people:
        mine_due = dates_for_person(due_window, start_date=start, leave_date=leave)
        mine_over = dates_for_person(overdue_window, start_date=start, leave_date=leave)
        for d in mine_due:
            if (pk, d) not in records:
                both(pk, manager_id, Kind.CHECKIN_DUE, d)
        for d in mine_over:
            if (pk, d) not in records:
                both(pk, manager_id, Kind.CHECKIN_OVERDUE, d)
    for sid, _due_on, moved_to in moved:
        if sid not in active:
            continue
        if today <= moved_to <= today + notice:
            both(sid, managers.get(sid), Kind.CHECKIN_DUE, moved_to)
        elif low <= moved_to < today:
            both(sid, managers.get(sid), Kind.CHECKIN_OVERDUE, moved_to)

    deadline_notice = dt.timedelta(days=max(DEADLINE_NOTICE_DAYS, trust.reminder_notice_days))
    if cycle.objectives_deadline - deadline_notice <= today <= cycle.objectives_deadline:
        # Nobody whose objectives are already agreed is chased; their line manager still is
        # while someone in their team is not.
        agreed = set(
            GrowthPlan.objects.for_trust(trust)
            .filter(cycle=cycle, agreed_version__isnull=False)
            .values_list("staff_member_id", flat=True)
        )
        waiting = active - agreed
        waiting |= {managers[pk] for pk in waiting} & active
        claims += [
            Claim(pk, pk, Kind.OBJECTIVES_DEADLINE, cycle.objectives_deadline) for pk in waiting
        ]
    if cycle.reflection_opens - notice <= today <= cycle.reflection_closes:
        claims += [Claim(pk, pk, Kind.REFLECTION_OPENS, cycle.reflection_opens) for pk in active]
    if cycle.review_deadline - deadline_notice <= today <= cycle.review_deadline:
        claims += [Claim(m, m, Kind.REVIEW_DEADLINE, cycle.review_deadline) for m in has_reports]
    week_start = today - dt.timedelta(days=today.weekday())
    claims += [Claim(m, m, Kind.WEEKLY_DIGEST, week_start) for m in digest & has_reports]
    claims += _growth_feedback_claims(trust=trust, cycle=cycle, today=today, active=active)
    return claims + extra


def _growth_feedback_claims(
    *, trust: Trust, cycle: GrowthCycle, today: dt.date, active: set[int]
) -> list[Claim]:
    """Seed 004: every teacher receives feedback on their growth focus during the year. Once
    the focus is set (after the objectives deadline) and until the July reflection, the line
    manager of each teacher who has not had it yet is nudged once a month: the claim's target
    is the first of the month, so the daily sweeps after the first claim nothing again."""
    from checkins.selectors import awaiting_growth_feedback

    if not cycle.objectives_deadline < today < cycle.reflection_opens:
        return []
    month = today.replace(day=1)
    waiting = awaiting_growth_feedback(
        people=StaffMember.objects.for_trust(trust).filter(pk__in=active), cycle=cycle
    ).values_list("pk", "line_manager_id")
    return [
        Claim(manager_id, pk, Kind.GROWTH_FEEDBACK, month)
        for pk, manager_id in waiting
        if manager_id in active
    ]


def digests_due(*, trust: Trust, today: dt.date) -> list[Claim]:
    """A weekly notification digest for each active person with notifications waiting for
    one: claimed once a week (keyed by the week's Monday), like any reminder."""
    waiting = digest_waiting(trust_id=trust.pk)
    if not waiting:
        return []
    active = set(
        StaffMember.objects.for_trust(trust)
        .filter(pk__in=waiting, is_active=True)
        .values_list("pk", flat=True)
    )
    week_start = today - dt.timedelta(days=today.weekday())
    return [Claim(pk, pk, Kind.NOTIFICATION_DIGEST, week_start) for pk in sorted(active)]


# The claim: written as SQL because the ORM's ``bulk_create(ignore_conflicts=True)`` cannot
# say which rows it inserted. The conflict target names ``reminder_once``'s columns, which
# PostgreSQL and SQLite (the embedded default) both understand.
_CLAIM_SQL = """
INSERT INTO {table}
    (trust_id, public_id, created_at, updated_at, recipient_id, about_id, kind, target_date,
     claimed_at, sent_at, attempts, last_error)
VALUES {values}
ON CONFLICT (trust_id, recipient_id, kind, target_date, about_id) DO NOTHING
RETURNING id
"""


def claim(*, trust_id: int, claims: list[Claim], now: dt.datetime) -> list[int]:
    """Insert the claims; return the ids of those not claimed before (batched)."""
    inserted: list[int] = []
    unique = list(dict.fromkeys(claims))
    # Values as this database takes them (SQLite has no UUID or date type of its own).
    public_id, target_date, claimed_at = (
        ReminderLog._meta.get_field(name) for name in ("public_id", "target_date", "claimed_at")
    )
    at = claimed_at.get_db_prep_value(now, connection)
    table = connection.ops.quote_name(ReminderLog._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(unique), 1000):
            batch = unique[start : start + 1000]
            params: list[object] = []
            for c in batch:
                params += [
                    trust_id,
                    public_id.get_db_prep_value(uuid.uuid4(), connection),
                    at,
                    at,
                    c.recipient_id,
                    c.about_id,
                    c.kind,
                    target_date.get_db_prep_value(c.target, connection),
                    at,
                    None,
                    0,
                    "",
                ]
            values = ",".join(["(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"] * len(batch))
            cursor.execute(_CLAIM_SQL.format(table=table, values=values), params)
            inserted += [row[0] for row in cursor.fetchall()]
    return inserted


def reclaim_stale(*, trust_id: int, now: dt.datetime, older_than: dt.timedelta) -> list[int]:
    """Claims that were never sent (their task was lost): take them again for this sweep."""
    stale = ReminderLog.objects.for_trust(trust_id).filter(
        sent_at__isnull=True,
        claimed_at__lt=now - older_than,
        created_at__gte=now - GIVE_UP_AFTER,
    )
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        ReminderLog.objects.for_trust(trust_id).filter(pk__in=ids).update(claimed_at=now)
    return ids


@transaction.atomic
def reminders_sweep_trust(
    *, trust_id: int, today: dt.date | None = None, reclaim_after: dt.timedelta | None = None
) -> list[int]:
    """Claim today's reminders for one trust and, once the claims are committed, enqueue one
    send task per chunk of new claims (plus stale unsent ones). Returns the ids enqueued."""
    from checkins.tasks import send_reminders

    trust = Trust.objects.get(pk=trust_id)
    today = today or timezone.localdate()
    now = timezone.now()
    if reclaim_after is None:
        reclaim_after = dt.timedelta(minutes=settings.CHECKINS_REMINDER_RECLAIM_MINUTES)
    stale = reclaim_stale(trust_id=trust_id, now=now, older_than=reclaim_after)
    due = reminders_due(trust=trust, today=today) + digests_due(trust=trust, today=today)
    fresh = claim(trust_id=trust_id, claims=due, now=now)
    ids = stale + fresh

    def enqueue() -> None:
        # One task per chunk of claims, over one broker connection, so a sweep of thousands
        # returns quickly and the chunks spread over the workers.
        with send_reminders.app.producer_or_acquire() as producer:
            for start in range(0, len(ids), SEND_CHUNK):
                send_reminders.apply_async(
                    kwargs={"trust_id": trust_id, "log_ids": ids[start : start + SEND_CHUNK]},
                    producer=producer,
                )

    transaction.on_commit(enqueue)
    log.info("reminders: trust %s claimed %s, re-sent %s", trust_id, len(fresh), len(stale))
    return ids


# --- Sending -------------------------------------------------------------------------------


def _url(name: str, **kwargs: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


@dataclass(frozen=True)
class SendContext:
    """What the emails of one chunk share, loaded once: the trust, and the check-ins moved to
    the dates the reminders are about ((person, new date) → the date it was due). A person's
    reminder and their line manager's about the same check-in carry the same calendar entry,
    and their claims sit side by side in a chunk, so each entry is built once."""

    trust: Trust
    moved_from: dict[tuple[int, dt.date], dt.date]
    calendars: dict[tuple[int, dt.date], bytes] = field(default_factory=dict)
    # Each recipient's choice of delivery per kind of notification
    # (growth/notifications/services.py).
    deliveries: dict[int, dict[str, str]] = field(default_factory=dict)

    def calendar(self, about: StaffMember, target: dt.date, url: str) -> bytes:
        key = (about.pk, target)
        if key not in self.calendars:
            self.calendars[key] = calendar_bytes(
                [_checkin_entry(self, about, target, url)], name="Professional growth check-in"
            )
        return self.calendars[key]


def send_context(trust_id: int, reminders: list[ReminderLog]) -> SendContext:
    checkin_kinds = (Kind.CHECKIN_DUE, Kind.CHECKIN_OVERDUE)
    about_ids = {r.about_id for r in reminders if r.kind in checkin_kinds}
    targets = {r.target_date for r in reminders}
    moved = (
        Checkin.objects.for_trust(trust_id)
        .filter(staff_member__in=about_ids, moved_to__in=targets, status=Checkin.Status.MOVED)
        .values_list("staff_member_id", "moved_to", "due_on")
        if about_ids
        else []
    )
    return SendContext(
        trust=Trust.objects.get(pk=trust_id),
        moved_from={(sid, to): due for sid, to, due in moved},
        deliveries=preferences_for(
            trust_id=trust_id, staff_ids={r.recipient_id for r in reminders}
        ),
    )


def _checkin_entry(
    context: SendContext, about: StaffMember, target: dt.date, url: str
) -> CheckinEntry:
    trust = context.trust
    return CheckinEntry(
        staff_public_id=str(about.public_id),
        staff_name=about.full_name,
        due_on=context.moved_from.get((about.pk, target), target),
        on=target,
        length_minutes=trust.checkin_length_minutes,
        url=url,
    )


def _digest_lines(trust: Trust, manager: StaffMember, week_start: dt.date) -> list[str]:
    cycle: GrowthCycle | None = cycle_current(trust=trust, on=week_start)
    if cycle is None:
        return []
    dates = cycle_schedule(cycle=cycle, cadence_days=trust.checkin_cadence_days)
    week = [
        d
        for d in dates
        if week_start - dt.timedelta(days=14) <= d <= week_start + dt.timedelta(days=6)
    ]
    reports = list(
        StaffMember.objects.for_trust(trust)
        .filter(line_manager=manager, is_active=True)
        .select_related("user")
    )
    recorded = set(
        Checkin.objects.for_trust(trust)
        .filter(staff_member__in=reports, due_on__in=week)
        .values_list("staff_member_id", "due_on")
    )
    lines: dict[str, list[str]] = defaultdict(list)
    for person in reports:
        for d in dates_for_person(week, start_date=person.start_date, leave_date=person.leave_date):
            if (person.pk, d) in recorded:
                continue
            state = "not yet recorded" if d < week_start else "due"
            lines[person.full_name].append(f"{_day(d)} ({state})")
    return [f"- {name}: {', '.join(items)}" for name, items in sorted(lines.items())]


def reminder_message_id(reminder: ReminderLog) -> str:
    """The same for every send of one claim, so a repeated send is recognisably a copy."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<reminder.{reminder.public_id}@{host}>"


class ReminderEmail(EmailMessage):
    """An email whose MIME boundary is a fresh 128-bit random token. Left unset, the standard
    library's generator makes one up and compiles a regular expression per email to check it
    does not occur in the text, which costs about as much as writing the whole email."""

    def message(self) -> Any:
        msg = super().message()
        if msg.is_multipart():
            msg.set_boundary(f"=_growth_{uuid.uuid4().hex}")
        return msg


def reminder_message(
    reminder: ReminderLog, context: SendContext | None = None
) -> EmailMessage | None:
    """The email for a claim (None when there is nothing left to say, e.g. an empty digest)."""
    context = context or send_context(reminder.trust_id, [reminder])
    trust = context.trust
    recipient, about, target = reminder.recipient, reminder.about, reminder.target_date
    own = recipient.pk == about.pk
    whose = "your" if own else f"{about.full_name}'s"
    attachment: bytes | None = None
    record_url = _url("checkins:person", public_id=about.public_id)
    digest_ids: list[int] = []
    if reminder.kind in _extra_reminders:
        made = _extra_reminders[reminder.kind].message(reminder)
        if made is None:
            return None
        subject, body = made
    elif reminder.kind in (Kind.CHECKIN_DUE, Kind.CHECKIN_OVERDUE):
        attachment = context.calendar(about, target, record_url)
        if reminder.kind == Kind.CHECKIN_DUE:
            subject = f"Check-in due {_day(target)}" + ("" if own else f": {about.full_name}")
            body = (
                f"This is a reminder of {whose} professional growth check-in on {_day(target)}: "
                f"{trust.checkin_length_minutes} minutes reflecting on progress against the "
                "three objectives. The calendar entry is attached.\n\n"
                f"Record it here afterwards: {record_url}\n"
            )
        else:
            subject = f"Check-in of {_day(target)} not yet recorded" + (
                "" if own else f": {about.full_name}"
            )
            body = (
                f"{whose.capitalize()} check-in due on {_day(target)} has not been recorded. "
                "If it was held, record it; if it was missed, moved or cancelled, give the "
                f"reason (absence is not disengagement).\n\n{record_url}\n"
            )
    elif reminder.kind == Kind.OBJECTIVES_DEADLINE:
        subject = f"Agree your three objectives by {_day(target)}"
        body = (
            "Your three professional growth objectives (Impact on Self, Impact on Others, "
            f"Impact on Trust) are to be agreed with your line manager by {_day(target)}.\n"
        )
        if recipient.reports.exists():
            body += "Please also agree the objectives of the colleagues you line-manage.\n"
    elif reminder.kind == Kind.REFLECTION_OPENS:
        cycle = GrowthCycle.objects.for_trust(trust).filter(reflection_opens=target).first()
        closes = f" and closes on {_day(cycle.reflection_closes)}" if cycle else ""
        subject = f"Your July reflection opens {_day(target)}"
        body = (
            f"The July reflection opens on {_day(target)}{closes}: for each objective, whether "
            "it was met, partially met or not met, and its impact on self, others and trust.\n"
        )
    elif reminder.kind == Kind.GROWTH_FEEDBACK:
        feedback_url = _url("checkins:feedback_new", public_id=about.public_id)
        subject = f"Feedback on {about.full_name}'s growth focus"
        body = (
            f"{about.full_name} has not yet had feedback on their professional growth focus "
            "this year. Every teacher receives feedback on their growth focus during the year: "
            "praise, probe, next action step, plan ahead, lock it in.\n\n"
            f"Record the conversation here: {feedback_url}\n"
        )
    elif reminder.kind == Kind.REVIEW_DEADLINE:
        subject = f"Reviews due by {_day(target)}"
        body = (
            "As a reviewer, please complete the professional growth reviews of the colleagues "
            f"you line-manage by {_day(target)}.\n"
        )
    elif reminder.kind == Kind.NOTIFICATION_DIGEST:
        notes = digest_notifications(trust_id=trust.pk, recipient_id=recipient.pk)
        if not notes:
            return None
        subject = f"Your weekly digest: {len(notes)} notification{'s' if len(notes) != 1 else ''}"
        body = "What happened in your professional growth this week:\n\n" + "\n\n".join(
            f"- {n.subject}\n{n.body.strip()}" for n in notes
        )
        body += f"\n\nAll your notifications: {_url('notifications')}\n"
        digest_ids = [n.pk for n in notes]
    else:
        lines = _digest_lines(trust, recipient, target)
        if not lines:
            return None
        subject = f"Your team's check-ins, week of {_day(target)}"
        body = "Check-ins of your team this week and any not yet recorded:\n\n" + "\n".join(lines)
        body += f"\n\n{_url('checkins:team')}\n"
    body += (
        "\nYou receive this because you take part in professional growth at "
        f"{trust.name}. Calendar feed and reminder settings: {_url('checkins:calendar')}\n"
    )
    message = ReminderEmail(
        subject=f"[Professional Growth] {subject}",
        body=body,
        to=[recipient.email],
        headers={"Message-ID": reminder_message_id(reminder)},
    )
    message.notification_kind = NOTIFICATION_KINDS.get(reminder.kind, "")
    message.digest_ids = digest_ids if reminder.kind == Kind.NOTIFICATION_DIGEST else []
    if attachment is not None:
        message.attach("checkin.ics", attachment, "text/calendar; method=PUBLISH")
    return message


_MARK_SENT_SQL = """
WITH claim AS (
    SELECT id, sent_at FROM {table} WHERE id = %(id)s AND trust_id = %(trust)s FOR UPDATE
)
UPDATE {table} AS r
SET sent_at = %(now)s, attempts = r.attempts + 1, last_error = '', updated_at = %(now)s
FROM claim WHERE r.id = claim.id AND claim.sent_at IS NULL
RETURNING r.id
"""


def _mark_sent(trust_id: int, log_id: int) -> bool:
    """Set ``sent_at`` unless it is set already, in one statement. The claim row is locked by
    its key until the transaction ends, so a concurrent sender of the same claim waits, then
    reads it sent. The row is named by primary key alone: with ``sent_at IS NULL`` on the
    table itself the planner may pick the unsent-claims index, which its statistics can show
    as empty, and scan every unsent claim per email. A database without row locks (SQLite,
    the embedded default, which lets one writer at a time) needs only the conditional
    update."""
    now = timezone.now()
    if not connection.features.has_select_for_update:
        unsent = ReminderLog.objects.for_trust(trust_id).filter(pk=log_id, sent_at__isnull=True)
        return bool(
            unsent.update(sent_at=now, attempts=F("attempts") + 1, last_error="", updated_at=now)
        )
    sql = _MARK_SENT_SQL.format(table=connection.ops.quote_name(ReminderLog._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, {"id": log_id, "trust": trust_id, "now": now})
        return cursor.fetchone() is not None


_PERSON = ("first_name", "last_name", "email")


def _unsent(trust_id: int, log_ids: list[int]) -> list[ReminderLog]:
    """The chunk's claims not yet sent, with what their emails name of the two people."""
    people = [
        f"{person}__{part}"
        for person in ("recipient", "about")
        for part in ("public_id", *(f"user__{name}" for name in _PERSON))
    ]
    return list(
        ReminderLog.objects.for_trust(trust_id)
        .filter(id__in=log_ids, sent_at__isnull=True)
        .select_related("recipient__user", "about__user")
        .only("trust", "recipient", "about", "kind", "target_date", "public_id", *people)
        .order_by("id")
    )


@dataclass(frozen=True)
class Letter:
    """A claim with its email (None when there is nothing left to say) and how its recipient
    takes reminders of its kind (``Notification.Delivery``; empty for a digest)."""

    reminder: ReminderLog
    message: EmailMessage | None
    delivery: str = ""


def letters_for(reminders: list[ReminderLog], context: SendContext) -> list[Letter]:
    """Each claim's email, and each reminder kept in its recipient's notification list: all
    of the chunk's notifications in one statement, before any email goes (a notification is
    kept once per claim, so a claim sent again after a failure or a lost worker finds its
    own)."""
    messages = [(r, reminder_message(r, context)) for r in reminders]
    notes = [
        ReminderNote(
            claim_id=r.pk,
            recipient_id=r.recipient_id,
            kind=m.notification_kind,
            subject=m.subject.removeprefix("[Professional Growth] "),
            body=m.body,
        )
        for r, m in messages
        if m is not None and m.notification_kind and not m.digest_ids
    ]
    deliveries = reminder_notifications_record(
        trust_id=context.trust.pk, notes=notes, deliveries=context.deliveries
    )
    return [Letter(r, m, deliveries.get(r.pk, "")) for r, m in messages]


def reminder_send(*, trust_id: int, log_id: int) -> bool:
    """Send one claimed reminder unless it was sent already. True when this call sent it."""
    reminders = _unsent(trust_id, [log_id])
    if not reminders:
        return False
    letter = letters_for(reminders, send_context(trust_id, reminders))[0]
    with get_connection() as mail:
        return _send_one(letter, mail)


def _send_one(letter: Letter, mail: object) -> bool:
    """Claim, send and commit one email; an SMTP error rolls the claim back and propagates."""
    reminder, message = letter.reminder, letter.message
    with transaction.atomic():
        if not _mark_sent(reminder.trust_id, reminder.pk):
            return False  # another sender got there first
        if message is None:
            return False
        if message.digest_ids:
            # What the digest carries is marked with its claim, in one transaction: sent
            # once, or (a worker killed before the commit) sent again in full.
            digest_mark_sent(
                trust_id=reminder.trust_id,
                notification_ids=message.digest_ids,
                claim_id=reminder.pk,
            )
        elif message.notification_kind and letter.delivery != Notification.Delivery.EMAIL:
            return False  # kept in their list (letters_for), not emailed: as they chose
        mail.send_messages([message])  # type: ignore[attr-defined]
    return True


@dataclass
class ChunkOutcome:
    sent: int = 0
    failed: list[tuple[int, Exception]] = field(default_factory=list)


def reminders_send(*, trust_id: int, log_ids: list[int]) -> ChunkOutcome:
    """Send a chunk of claimed reminders over one SMTP connection, each email committed on
    its own (see the module docstring). Failures do not stop the chunk: each is recorded on
    its claim and returned for the caller to retry on its own."""
    outcome = ChunkOutcome()
    reminders = _unsent(trust_id, log_ids)
    if not reminders:
        return outcome
    letters = letters_for(reminders, send_context(trust_id, reminders))
    mail = get_connection()
    connected = False
    with asynchronous_commit():
        try:
            for letter in letters:
                try:
                    if not connected:
                        mail.open()  # kept open across send_messages calls until closed
                        connected = True
                    outcome.sent += _send_one(letter, mail)
                except (smtplib.SMTPException, OSError) as exc:
                    log_id = letter.reminder.pk
                    reminder_failed(trust_id=trust_id, log_id=log_id, error=exc)
                    outcome.failed.append((log_id, exc))
                    mail.close()  # the connection may be broken: the next email opens anew
                    connected = False
        finally:
            mail.close()
    return outcome


@contextmanager
def asynchronous_commit() -> Iterator[None]:
    """PostgreSQL's ``synchronous_commit = off`` for this connection while a chunk is sent.

    Each email's commit then returns without waiting for its WAL record to reach the disk
    (other sessions see it at once, as ever; only durability is deferred, by at most
    ``wal_writer_delay``). The one thing a server crash could then lose is the record that a
    just-sent email was sent, and the next sweep sends that email again: the same outcome,
    with the same Message-ID, as a worker killed between the server's "accepted" and the
    commit, which the at-least-once design already accepts. No email can be lost this way. The
    setting is put back before the connection serves anything else."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def reminder_failed(*, trust_id: int, log_id: int, error: Exception) -> None:
    ReminderLog.objects.for_trust(trust_id).filter(pk=log_id, sent_at__isnull=True).update(
        attempts=F("attempts") + 1, last_error=str(error)[:500], updated_at=timezone.now()
    )
