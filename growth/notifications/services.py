"""Notifications people control.

Every email the app sends about someone's growth year goes through ``notify``: it keeps an
in-app notification for each recipient, then delivers it as that person chose for its kind —
emailed straight away, kept for the weekly digest, or shown in the app only. The kinds that
keep an account safe (sign-in, password, a data export being ready) are always emailed.

The weekly digest is sent by the reminder sweep's worker (checkins/reminders.py): a digest is
claimed once per person per week like any reminder, and the notifications it carries are
marked in the same transaction that marks the claim sent — so a rerun sends nothing twice,
and a worker killed mid-send sends it again in full at the next sweep (with the same
Message-ID), never half.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from growth.domain.audit import audit_record
from growth.models import Notification, NotificationPreference, StaffMember

Delivery = Notification.Delivery


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    always_email: bool = False  # safety-critical: the person cannot turn the email off


KINDS: dict[str, NotificationKind] = {
    k.key: k
    for k in (
        NotificationKind("plans", "Growth plans: submitted, agreed or sent back"),
        NotificationKind("self_reviews", "Self-reviews: shared with you, or commented on"),
        NotificationKind("statements", "Your review statement released"),
        NotificationKind("checkin_reminders", "Check-in reminders"),
        NotificationKind("deadlines", "Deadlines: objectives, July reflection, reviews"),
        NotificationKind(
            "sign_in", "Sign-in: two-factor and email address changes", always_email=True
        ),
        NotificationKind("password", "Password set or reset", always_email=True),
        NotificationKind("data_export", "A data export is ready", always_email=True),
    )
}


def deliveries_of(preference: NotificationPreference | None) -> dict[str, str]:
    """Each kind's delivery for one person: their choice, else email; always email for the
    safety-critical kinds whatever was stored."""
    chosen = preference.deliveries if preference is not None else {}
    return {
        key: Delivery.EMAIL if kind.always_email else chosen.get(key, Delivery.EMAIL)
        for key, kind in KINDS.items()
    }


def preferences_for(*, trust_id: int, staff_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Deliveries of many people in one query."""
    ids = list(staff_ids)
    found = {
        p.staff_member_id: p
        for p in NotificationPreference.objects.for_trust(trust_id).filter(staff_member__in=ids)
    }
    return {pk: deliveries_of(found.get(pk)) for pk in ids}


def notification_record(
    *,
    trust_id: int,
    recipient_ids: Sequence[int],
    kind: str,
    subject: str,
    body: str,
    url: str = "",
    deliveries: dict[int, dict[str, str]] | None = None,
) -> list[Notification]:
    """Keep the notification for each recipient, with the delivery each chose (no email is
    sent here). The caller sends those whose delivery is email. ``deliveries``: the
    recipients' choices when the caller has read them already."""
    if kind not in KINDS:
        raise ValueError(f"No notification kind {kind!r}")
    prefs = deliveries if deliveries is not None else {}
    missing = [pk for pk in recipient_ids if pk not in prefs]
    if missing:
        prefs = {**prefs, **preferences_for(trust_id=trust_id, staff_ids=missing)}
    rows = [
        _notification(trust_id, pk, kind, subject, body, url, delivery=prefs[pk][kind])
        for pk in recipient_ids
    ]
    return Notification.objects.for_trust(trust_id).bulk_create(rows)


def _notification(
    trust_id: int, recipient_id: int, kind: str, subject: str, body: str, url: str, **extra: Any
) -> Notification:
    return Notification(
        trust_id=trust_id,
        recipient_id=recipient_id,
        kind=kind,
        subject=subject[:300],
        body=body,
        url=url[:500],
        **extra,
    )


@dataclass(frozen=True)
class ReminderNote:
    """The in-app notification of one reminder claim (checkins/reminders.py)."""

    claim_id: int
    recipient_id: int
    kind: str
    subject: str
    body: str


def reminder_notifications_record(
    *, trust_id: int, notes: Sequence[ReminderNote], deliveries: dict[int, dict[str, str]]
) -> dict[int, str]:
    """Keep the notification of each reminder claim in every recipient's list, in one
    statement, and return each claim's delivery. A claim keeps one notification however
    often its email is tried: a retried or re-sent claim finds its own already kept."""
    for note in notes:
        if note.kind not in KINDS:
            raise ValueError(f"No notification kind {note.kind!r}")
    chosen = {n.claim_id: deliveries[n.recipient_id][n.kind] for n in notes}
    Notification.objects.for_trust(trust_id).bulk_create(
        [
            _notification(
                trust_id,
                n.recipient_id,
                n.kind,
                n.subject,
                n.body,
                "",
                delivery=chosen[n.claim_id],
                reminder_claim=n.claim_id,
            )
            for n in notes
        ],
        ignore_conflicts=True,
    )
    return chosen


def notify(
    *, trust_id: int, to: Sequence[str], kind: str, subject: str, body: str, url: str = ""
) -> list[Notification]:
    """Notify the trust's members with these email addresses: each gets the notification in
    the app, and by email straight away unless they chose the digest or the app only. The
    emails go once the transaction commits."""
    from growth.tasks import send_email

    addresses = [a for a in dict.fromkeys(to) if a]
    if not addresses:
        return []
    people = dict(
        StaffMember.objects.for_trust(trust_id)
        .filter(user__email__in=addresses)
        .values_list("user__email", "pk")
    )
    notes = notification_record(
        trust_id=trust_id,
        recipient_ids=[people[a] for a in addresses if a in people],
        kind=kind,
        subject=subject,
        body=body,
        url=url,
    )
    emailed_ids = {n.recipient_id for n in notes if n.delivery == Delivery.EMAIL}
    # Someone the app has no membership for (none today) is still emailed.
    emailed = [a for a in addresses if a not in people or people[a] in emailed_ids]
    if emailed:
        transaction.on_commit(
            lambda: send_email.delay(trust_id=trust_id, to=emailed, subject=subject, body=body)
        )
    return notes


# The emails django-allauth sends about an account (growth.security.adapters.AccountAdapter):
# always emailed, and listed in the person's notifications too, by what happened. The list
# never keeps the link or code such an email carries: it is not a place for secrets.
ACCOUNT_EMAILS: dict[str, tuple[str, str]] = {
    "account/email/password_reset_key": ("password", "A password reset link was sent to you"),
    "account/email/password_reset": ("password", "Your password was reset"),
    "account/email/password_changed": ("password", "Your password was changed"),
    "account/email/password_set": ("password", "Your password was set"),
    "account/email/email_changed": ("sign_in", "Your sign-in email address was changed"),
    "account/email/email_confirmation": ("sign_in", "Confirm your email address"),
    "mfa/email/totp_activated": ("sign_in", "Two-factor sign-in was turned on"),
    "mfa/email/totp_deactivated": ("sign_in", "Two-factor sign-in was turned off"),
    "mfa/email/recovery_codes_generated": ("sign_in", "New two-factor recovery codes were made"),
    "socialaccount/email/account_connected": (
        "sign_in",
        "A Microsoft or Google account was connected to your sign-in",
    ),
    "socialaccount/email/account_disconnected": (
        "sign_in",
        "A Microsoft or Google account was disconnected from your sign-in",
    ),
}
ACCOUNT_EMAIL_BODY = (
    "We emailed you about this too. If it was not you, tell your trust's HR team straight away."
)


def account_email_record(*, template_prefix: str, email: str) -> list[Notification]:
    """Keep an account email that was just sent in the notifications of the memberships with
    that address (found before any trust is in scope: a reset is asked for signed out)."""
    from growth.security.rls import all_trusts
    from growth.security.tenancy import trust_scope

    what = ACCOUNT_EMAILS.get(template_prefix)
    if what is None or not email:
        return []
    kind, subject = what
    with all_trusts():
        memberships = list(
            StaffMember.objects.unscoped()
            .filter(user__email__iexact=email)
            .values_list("trust_id", "pk")
        )
    notes: list[Notification] = []
    for trust_id, pk in memberships:
        with trust_scope(trust_id):
            notes += notification_record(
                trust_id=trust_id,
                recipient_ids=[pk],
                kind=kind,
                subject=subject,
                body=ACCOUNT_EMAIL_BODY,
                deliveries={pk: {kind: Delivery.EMAIL}},
            )
    return notes


# --- The person's list and choices ---------------------------------------------------------


def notifications_of(*, staff: StaffMember, limit: int = 100) -> list[Notification]:
    return list(
        Notification.objects.for_trust(staff.trust_id)
        .filter(recipient=staff)
        .order_by("-created_at", "-id")[:limit]
    )


def unread_count(*, staff: StaffMember) -> int:
    return (
        Notification.objects.for_trust(staff.trust_id)
        .filter(recipient=staff, read_at__isnull=True)
        .count()
    )


@transaction.atomic
def notifications_mark_read(*, actor: StaffMember, public_ids: Sequence[Any] | None = None) -> int:
    """Mark the actor's own notifications read: those named, or all of them."""
    mine = Notification.objects.for_trust(actor.trust_id).filter(
        recipient=actor, read_at__isnull=True
    )
    if public_ids is not None:
        mine = mine.filter(public_id__in=list(public_ids))
    return mine.update(read_at=timezone.now(), updated_at=timezone.now())


@transaction.atomic
def notification_preferences_set(
    *, actor: StaffMember, staff: StaffMember, deliveries: dict[str, str]
) -> NotificationPreference:
    if actor.pk != staff.pk:
        raise ValidationError("Only the person chooses how their notifications reach them.")
    cleaned: dict[str, str] = {}
    for key, value in deliveries.items():
        kind = KINDS.get(key)
        if kind is None:
            raise ValidationError({key: "No such kind of notification."})
        if value not in Delivery.values:
            raise ValidationError({key: f"{kind.label}: choose email, weekly digest or app."})
        if not kind.always_email:
            cleaned[key] = value
    preference, _ = NotificationPreference.objects.for_trust(staff.trust_id).get_or_create(
        trust_id=staff.trust_id, staff_member=staff
    )
    before = dict(preference.deliveries)
    preference.deliveries = cleaned
    preference.save(update_fields=["deliveries", "updated_at"])
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="notification.preferences",
        obj=preference,
        subject=staff,
        before=before,
        after=cleaned,
    )
    return preference


# --- The weekly digest ---------------------------------------------------------------------


def digest_waiting(*, trust_id: int) -> set[int]:
    """The people with notifications waiting for their weekly digest (one query)."""
    return set(
        Notification.objects.for_trust(trust_id)
        .filter(delivery=Delivery.DIGEST, digested_in__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )


def digest_notifications(*, trust_id: int, recipient_id: int) -> list[Notification]:
    return list(
        Notification.objects.for_trust(trust_id)
        .filter(recipient_id=recipient_id, delivery=Delivery.DIGEST, digested_in__isnull=True)
        .order_by("created_at", "id")
    )


def digest_mark_sent(*, trust_id: int, notification_ids: Sequence[int], claim_id: int) -> int:
    """Mark what a digest carried, in the transaction that marks its claim sent."""
    return (
        Notification.objects.for_trust(trust_id)
        .filter(pk__in=list(notification_ids), digested_in__isnull=True)
        .update(digested_in=claim_id, updated_at=timezone.now())
    )
