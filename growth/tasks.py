"""Core tasks. Every task takes ids, never model instances."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.mail import EmailMessage

from growth.security.tenancy import trust_scope

log = logging.getLogger(__name__)


@shared_task(name="growth.tasks.heartbeat")
def heartbeat() -> str:
    """Beat's own pulse, visible in the worker log; also the Celery round-trip test's target."""
    return "ok"


@shared_task(
    name="growth.tasks.send_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=60 * 30,
    max_retries=8,
)
def send_email(
    *, trust_id: int, to: list[str], subject: str, body: str, html: str | None = None
) -> int:
    """Send one email; a failing mail server is retried with backoff."""
    with trust_scope(trust_id):
        message = EmailMessage(subject=subject, body=body, to=to)
        if html:
            from django.core.mail import EmailMultiAlternatives

            message = EmailMultiAlternatives(subject=subject, body=body, to=to)
            message.attach_alternative(html, "text/html")
        return message.send()


def invitation_url(user: object) -> str:
    """The allauth "set a new password" link for ``user``: a signed, single-use token that
    stops working once a password is set."""
    from allauth.account import app_settings as account_settings
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.urls import reverse

    token = account_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": token},
    )
    return settings.SITE_URL.rstrip("/") + path


@shared_task(
    name="growth.tasks.send_staff_invitation",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=60 * 30,
    max_retries=8,
)
def send_staff_invitation(*, trust_id: int, staff_id: int) -> int:
    """Invite a newly imported person: a link to choose their password (which also verifies
    their email address)."""
    from django.conf import settings
    from django.template.loader import render_to_string

    from growth.models import StaffMember

    with trust_scope(trust_id):
        staff = (
            StaffMember.objects.select_related("user", "trust", "school")
            .filter(pk=staff_id)
            .first()
        )
        if staff is None or staff.user.has_usable_password():
            return 0  # gone, or already signed up: nothing to invite
        context = {
            "staff": staff,
            "trust": staff.trust,
            "url": invitation_url(staff.user),
            "login_url": settings.SITE_URL.rstrip("/") + "/accounts/login/",
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        }
        subject = render_to_string("growth/email/invitation_subject.txt", context).strip()
        body = render_to_string("growth/email/invitation_body.txt", context)
        message = EmailMessage(subject=subject, body=body, to=[staff.user.email])
        return message.send()


# Tasks that live in other growth modules, imported so workers register them.
from growth.outbox import flush  # noqa: E402,F401
from growth.privacy.services import export_build, retention_sweep  # noqa: E402,F401


@shared_task(name="growth.tasks.progress_move_on")
def progress_move_on_all() -> int:
    """Daily, just after midnight: each trust's progress rows whose calendar figures change
    today (a check-in falling due or overdue, a new term) are worked out for today."""
    from growth.models import Trust
    from growth.reporting.progress import progress_move_on

    return sum(progress_move_on(trust=trust) for trust in Trust.objects.order_by("pk"))
