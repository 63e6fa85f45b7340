"""One of each check-in record for ``world.staff`` (and colleagues), for the cross-trust test."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from checkins import services
from checkins.models import CheckinReflection, ReminderLog
from checkins.selectors import expected_dates
from objectives.models import Area
from tests.factories import TrustWorld


def populate(world: TrustWorld) -> None:
    staff, manager, cycle = world.staff, world.manager, world.cycle
    services.thinking_tools_ensure_defaults(trust=world.trust)
    dates = expected_dates(staff=staff, cycle=cycle)
    checkin = services.checkin_record(
        actor=staff,
        staff=staff,
        cycle=cycle,
        due_on=dates[0],
        data=services.CheckinData(
            held_on=dates[0],
            reflections={Area.SELF: "Read two pieces of research on modelling."},
            next_step_by="half term",
            next_step_i_am="modelling my thinking aloud",
            next_step_so_that="students see what success looks like",
            recognised=[world.colleague],
        ),
    )
    reflection = CheckinReflection.objects.get(checkin=checkin, area=Area.SELF)
    services.evidence_add(
        actor=staff,
        reflection=reflection,
        upload=SimpleUploadedFile("notes.txt", b"My notes", content_type="text/plain"),
    )
    services.evidence_add(actor=staff, reflection=reflection, url="https://example.org/plan")
    services.checkin_excuse(
        actor=manager,
        staff=staff,
        cycle=cycle,
        due_on=dates[1],
        status="missed",
        reason="Sam was on a school trip.",
    )
    services.reminder_preference_get(staff=staff)
    observation = services.observation_create(
        actor=staff,
        cycle=cycle,
        observee=staff,
        observer=manager,
        date=dt.date(2026, 11, 10),
        minutes=20,
        purpose="support",
        focus_area=Area.SELF,
    )
    services.feedback_create(
        actor=manager,
        staff=staff,
        data=services.FeedbackData(
            held_on=dt.date(2026, 11, 11),
            praise="The students were really focused during your explanation.",
            probing_question="What was the impact of your modelling?",
            next_action_step="Share expert thinking out loud.",
            support_level=2,
            plan_ahead="Model one paragraph in each lesson next week.",
            timeline=dt.date(2026, 11, 18),
            lock_in_i_am="sharing my expert thinking out loud",
            lock_in_so_that="really understand what success looks like",
            observation=observation,
        ),
    )
    ReminderLog.objects.create(
        recipient=staff,
        about=staff,
        kind=ReminderLog.Kind.CHECKIN_DUE,
        target_date=dates[2],
        claimed_at=timezone.now(),
    )
