"""The check-ins app's part of ``manage.py seed_scale`` and of the benchmark: about twenty
check-ins a year for everyone (the whole of last cycle, this cycle so far), a reflection on
this cycle's held ones, observations; and the reminder sweep as a timed benchmark job."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
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
    vacuum_analyze,
)
from growth.scale import BATCH, ScaleSeeder, ScaleTrust, copy_rows, register_scale_seeder
from growth.tenancy import trust_scope
from growth.workers import celery_worker_argv

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


def _received(log_path: str) -> list[tuple[str, str]]:
    with open(log_path) as f:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in f if line.strip()]


@dataclass
class SweepRun:
    seconds: float
    emails: int
    sent_on_rerun: int
    duplicates: int

    @property
    def clean(self) -> bool:
        return self.emails > 0 and self.sent_on_rerun == 0 and self.duplicates == 0


def _run(seconds: float, first: int, log_path: str) -> SweepRun:
    received = _received(log_path)
    return SweepRun(
        round(seconds, 1), first, len(received) - first, len(received) - len(set(received))
    )


def _smtp_sink(log_path: str) -> tuple[subprocess.Popen, int]:
    """A real SMTP server in a process of its own, as a mail relay would be."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "checkins.smtp_sink", str(port), log_path],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    if sink.stdout is None or sink.stdout.readline().strip() != "ready":
        sink.kill()
        raise RuntimeError("the benchmark's SMTP server did not start")
    return sink, port


def _unsent(trust: Any) -> int:
    from checkins.models import ReminderLog

    with trust_scope(trust):
        return ReminderLog.objects.for_trust(trust).filter(sent_at__isnull=True).count()


def _forget_claims(trust: Any, log_path: str) -> None:
    """The benchmark's own database: each run starts from no claims for the trust."""
    from checkins.models import ReminderLog

    with trust_scope(trust):
        ReminderLog.objects.for_trust(trust).delete()
    vacuum_analyze(ReminderLog._meta.db_table)
    with open(log_path, "w"):
        pass


def _sweep_with_a_worker(
    trust: Any, sweep_day: dt.date, port: int, log_path: str, *, concurrency: int
) -> SweepRun:
    """As deployed: the sweep task goes through Redis to a real Celery worker (prefork, one
    process per core), which claims, fans out and mails; timed until every claim is sent."""
    from celery import Celery

    from growth.management.commands.benchmark import database_url

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    client = Celery("growth-bench", broker=redis_url, backend=redis_url, set_as_current=False)
    client.conf.task_default_queue = "default"
    with client.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # the benchmark's own Redis database
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "growth.settings.bench",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    env.pop("CELERY_WORKER_TEST_DB", None)
    worker = subprocess.Popen(  # noqa: S603 - our own fixed command line
        celery_worker_argv(
            name=f"bench-{os.getpid()}@%h", concurrency=concurrency, queues="default"
        ),
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    sweep = "checkins.tasks.reminders_sweep_for_trust"
    kwargs = {"trust_id": trust.pk, "today": sweep_day.isoformat()}
    try:
        deadline = time.monotonic() + 90
        while not client.control.ping(timeout=1.0):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the benchmark's Celery worker did not start")
        started = time.perf_counter()
        client.send_task(sweep, kwargs=kwargs).get(timeout=600)
        while _unsent(trust) and time.perf_counter() - started < 1800:
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        first = len(_received(log_path))
        client.send_task(sweep, kwargs=kwargs).get(timeout=600)
        time.sleep(2)  # anything the rerun enqueued would be delivered by now
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
    return _run(seconds, first, log_path)


def _sweep_in_process(trust: Any, sweep_day: dt.date, port: int, log_path: str) -> SweepRun:
    """Every task in this one process, one after another (eager): the slowest way."""
    from django.test.utils import override_settings

    from checkins.tasks import reminders_sweep_for_trust
    from growth.celery import app

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
            kwargs = {"trust_id": trust.pk, "today": sweep_day.isoformat()}
            started = time.perf_counter()
            reminders_sweep_for_trust.apply(kwargs=kwargs)
            seconds = time.perf_counter() - started
            first = len(_received(log_path))
            reminders_sweep_for_trust.apply(kwargs=kwargs)
    finally:
        app.conf.task_always_eager = eager
    return _run(seconds, first, log_path)


def reminder_sweep_job(people: BenchPeople) -> dict:
    """The daily reminder sweep for the whole trust into a real SMTP server on loopback
    (aiosmtpd in its own process: checkins/smtp_sink.py), on a day when everyone has a
    check-in coming up; then the same sweep again, which must send nothing. Measured as
    deployed (a Celery worker, one process per core, through Redis) — the goal — and, for
    comparison, with every task one after another in this process."""
    from growth.selectors import cycle_current

    trust = people.trust
    with trust_scope(trust):
        cycle = cycle_current(trust=trust)
        dates = [d for d in cycle_schedule(cycle=cycle) if d > people_today()]
    if not dates:
        return {"summary": "no check-in ahead in this cycle", "goal": "", "met": False}
    sweep_day = dates[0] - dt.timedelta(days=trust.reminder_notice_days)
    concurrency = int(os.environ.get("BENCH_WORKER_CONCURRENCY", 0)) or os.cpu_count() or 1
    handle, log_path = tempfile.mkstemp(prefix="growth-bench-smtp-")
    os.close(handle)
    sink, port = _smtp_sink(log_path)
    try:
        _forget_claims(trust, log_path)
        worker = _sweep_with_a_worker(trust, sweep_day, port, log_path, concurrency=concurrency)
        _forget_claims(trust, log_path)
        serial = _sweep_in_process(trust, sweep_day, port, log_path)
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        os.unlink(log_path)
    return {
        "sweep_day": sweep_day.isoformat(),
        "emails": worker.emails,
        "seconds": worker.seconds,
        "worker_processes": concurrency,
        "sent_on_rerun": worker.sent_on_rerun,
        "duplicates": worker.duplicates,
        "in_one_process": asdict(serial),
        "summary": f"{worker.emails} emails in {worker.seconds:.1f} s with a "
        f"{concurrency}-process worker ({serial.seconds:.1f} s all in one process); "
        f"rerun sent {worker.sent_on_rerun} ({serial.sent_on_rerun}), duplicates "
        f"{worker.duplicates} ({serial.duplicates})",
        "goal": f"under {SWEEP_GOAL_SECONDS:.0f} s, nothing sent twice",
        "met": worker.clean and serial.clean and worker.seconds < SWEEP_GOAL_SECONDS,
    }


def people_today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


register_bench_job(BenchJob("reminder_sweep", "Reminder sweep (whole trust)", reminder_sweep_job))
