"""Core tasks. Every task takes ids, never model instances."""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.mail import EmailMessage

from growth.tenancy import trust_scope

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


# Tasks that live in other growth modules, imported so workers register them.
from growth.outbox import flush  # noqa: E402,F401
from growth.privacy import export_build, retention_sweep  # noqa: E402,F401
