"""The check-ins app's part of ``manage.py seed_scale`` and of the benchmark: about twenty
check-ins a year for everyone (the whole of last cycle, this cycle so far), a reflection on
this cycle's held ones, observations; and the reminder sweep as a timed benchmark job."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from checkins.models import Checkin, CheckinReflection, Observation
from checkins.schedule import dates_for_person
from checkins.selectors import cycle_schedule
from growth.benchmark import (
    BenchJob,
    BenchPage,
    BenchPeople,
    register_bench_job,
    register_bench_page,
)
from growth.scale import BATCH, ScaleSeeder, ScaleTrust, copy_rows, register_scale_seeder

AREAS = ("self", "others", "trust")


def seed_checkins(world: ScaleTrust) -> int:
    rng = world.rng
    rows: list[dict] = []
    for cycle in (world.previous_cycle, world.cycle):
        if cycle is None:
            continue
        dates = [d for d in cycle_schedule(cycle=cycle) if d < world.today]
        for person in world.staff:
            engagement = rng.choice((0.95, 0.9, 0.8, 0.6, 0.3))
            for due in dates_for_person(
                dates, start_date=person.start_date, leave_date=person.leave_date
            ):
                roll = rng.random()
                if roll < engagement:
                    rows.append(
                        {
                            "trust_id": world.trust.pk,
                            "staff_member_id": person.pk,
                            "cycle_id": cycle.pk,
                            "due_on": due,
                            "status": "held",
                            "held_on": due,
                            "next_step_i_am": "trying a new questioning routine",
                            "recorded_by_id": person.line_manager_id,
                        }
                    )
                elif roll < engagement + 0.04:
                    rows.append(
                        {
                            "trust_id": world.trust.pk,
                            "staff_member_id": person.pk,
                            "cycle_id": cycle.pk,
                            "due_on": due,
                            "status": "missed",
                            "reason": "Covering a colleague's lesson",
                            "recorded_by_id": person.line_manager_id,
                        }
                    )
    copy_rows(Checkin, rows)
    # One reflection on an objective area per check-in held this cycle, made in the database.
    reflections = _reflect(world)
    observations = []
    teachers = [p for p in world.staff if p.category == "teaching" and p.line_manager_id]
    for person in teachers:
        if world.previous_cycle is not None:
            observations.append(
                Observation(
                    trust=world.trust,
                    cycle=world.previous_cycle,
                    observee=person,
                    observer_id=person.line_manager_id,
                    date=world.previous_cycle.start_date
                    + dt.timedelta(days=rng.randrange(40, 280)),
                    minutes=30,
                    purpose=Observation.Purpose.SUPPORT,
                    focus_area=rng.choice(AREAS),
                    status=Observation.Status.DONE,
                )
            )
    Observation.objects.bulk_create(observations, batch_size=BATCH)
    return len(rows) + reflections + len(observations)


def _reflect(world: ScaleTrust) -> int:
    from django.db import connection

    table = connection.ops.quote_name(CheckinReflection._meta.db_table)
    checkins = connection.ops.quote_name(Checkin._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (trust_id, public_id, created_at, updated_at, checkin_id, "  # noqa: S608
            "area, progress_note) SELECT trust_id, gen_random_uuid(), now(), now(), id, "
            "(ARRAY['self','others','trust'])[1 + id %% 3], %s "
            f"FROM {checkins} WHERE trust_id = %s AND cycle_id = %s AND status = 'held'",
            ["Progress noted against the objective.", world.trust.pk, world.cycle.pk],
        )
        return cursor.rowcount


register_scale_seeder(ScaleSeeder("checkins", seed_checkins, order=20))
register_bench_page(
    BenchPage(
        "checkins_team",
        "Check-ins: team (manager)",
        "manager",
        lambda p: reverse("checkins:team"),
        order=41,
    )
)


SWEEP_GOAL_SECONDS = 60.0


def reminder_sweep_job(people: BenchPeople) -> dict:
    """The daily reminder sweep for the whole trust into a real SMTP server on loopback
    (aiosmtpd), on a day when everyone has a check-in coming up; then the same sweep again,
    which must send nothing. Tasks run in-process (eager), one after another: the slowest
    way, a lower bound for a deployment with workers."""
    import socket
    import time

    from aiosmtpd.controller import Controller
    from django.test.utils import override_settings

    from checkins.models import ReminderLog
    from growth.celery import app
    from growth.selectors import cycle_current
    from growth.tenancy import trust_scope

    received: list[tuple[str, str]] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            subject = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in envelope.content.decode(errors="replace").splitlines()
                    if line.lower().startswith("subject:")
                ),
                "",
            )
            for rcpt in envelope.rcpt_tos:
                received.append((rcpt, subject))
            return "250 OK"

    trust = people.trust
    with trust_scope(trust):
        cycle = cycle_current(trust=trust)
        dates = [d for d in cycle_schedule(cycle=cycle) if d > people_today()]
        if not dates:
            return {"summary": "no check-in ahead in this cycle", "goal": "", "met": False}
        sweep_day = dates[0] - dt.timedelta(days=trust.reminder_notice_days)
        # The benchmark's own database: start each run from no claims for the trust.
        ReminderLog.objects.for_trust(trust).delete()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        ):
            from checkins.tasks import reminders_sweep_for_trust

            started = time.perf_counter()
            reminders_sweep_for_trust.apply(
                kwargs={"trust_id": trust.pk, "today": sweep_day.isoformat()}
            )
            seconds = time.perf_counter() - started
            first = len(received)
            reminders_sweep_for_trust.apply(
                kwargs={"trust_id": trust.pk, "today": sweep_day.isoformat()}
            )
            again = len(received) - first
    finally:
        app.conf.task_always_eager = eager
        controller.stop()
    duplicates = len(received) - len(set(received))
    ok = first > 0 and again == 0 and duplicates == 0
    return {
        "sweep_day": sweep_day.isoformat(),
        "emails": first,
        "seconds": round(seconds, 1),
        "sent_on_rerun": again,
        "duplicates": duplicates,
        "summary": f"{first} emails in {seconds:.1f} s; rerun sent {again}, "
        f"duplicates {duplicates}",
        "goal": f"under {SWEEP_GOAL_SECONDS:.0f} s, nothing sent twice",
        "met": ok and seconds < SWEEP_GOAL_SECONDS,
    }


def people_today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


register_bench_job(BenchJob("reminder_sweep", "Reminder sweep (whole trust)", reminder_sweep_job))
