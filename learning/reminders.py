"""The three-month impact prompt, sent through check-ins' reminder claims (exactly once per
person and day the prompts fell due), registered in ``LearningConfig.ready``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format

from checkins.models import ReminderLog
from checkins.reminders import Claim, ExtraReminder, register_reminder
from growth.models import Trust
from learning.models import LearningEntry

# A prompt missed by a sweep (a day with no beat) is still sent within a fortnight.
LOOKBACK_DAYS = 14


def impact_prompts_due(trust: Trust, today: dt.date) -> list[Claim]:
    rows = (
        LearningEntry.objects.for_trust(trust)
        .filter(
            impact="",
            impact_due_on__lte=today,
            impact_due_on__gte=today - dt.timedelta(days=LOOKBACK_DAYS),
            staff_member__is_active=True,
        )
        .values_list("staff_member_id", "impact_due_on")
        .distinct()
    )
    return [Claim(sid, sid, ReminderLog.Kind.LEARNING_IMPACT, due_on) for sid, due_on in rows]


def impact_prompt_message(reminder: ReminderLog) -> tuple[str, str] | None:
    titles = list(
        LearningEntry.objects.for_trust(reminder.trust_id)
        .filter(
            staff_member_id=reminder.about_id,
            impact_due_on=reminder.target_date,
            impact="",
        )
        .values_list("title", "started_on")
    )
    if not titles:
        return None  # answered since the claim was made
    url = settings.SITE_URL.rstrip("/") + reverse("learning:record")
    lines = "\n".join(f"- {title} ({date_format(day)})" for title, day in titles)
    subject = "What difference did your learning make?"
    body = (
        "Three months ago you recorded this professional learning:\n\n"
        f"{lines}\n\nWhat difference has it made to you, your pupils or your colleagues? "
        f"Write a few lines in your learning record: {url}\n"
    )
    return subject, body


def register() -> None:
    register_reminder(
        ExtraReminder(
            kind=ReminderLog.Kind.LEARNING_IMPACT,
            due=impact_prompts_due,
            message=impact_prompt_message,
        )
    )
