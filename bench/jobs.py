"""``python -m bench.jobs SLUG OUT [SKIP,…]``: the benchmark's timed jobs on the scale trust of
one database (DATABASE_URL, settings bench.settings): the 5,000-row staff import, the
statement PDF and the reminder sweep into a real SMTP server; each leaves the trust as the
pages saw it. Written as JSON for the runner, which judges them against their goals."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent


class _RollBack(Exception):
    pass


def staff_import_job(slug: str, rows: int = 5000) -> dict[str, Any]:
    """Import ``rows`` new people into the trust through the real service, timed, then roll it
    all back so the trust (and the pages measured) are unchanged. Invitations are enqueued on
    commit, so they are not part of the figure."""
    from django.db import transaction

    from bench.pages import bench_people
    from growth.domain.staff_import import staff_import
    from growth.models import School
    from growth.security.tenancy import trust_scope

    people = bench_people(slug)
    schools = list(
        School.objects.for_trust(people.trust)
        .filter(kind=School.Kind.SCHOOL)
        .values_list("name", flat=True)
    )
    lines = [
        "First name,Last name,Email,School,Job title,Category,Career stage,"
        "Line manager email,Start date"
    ]
    for n in range(rows):
        manager = f"import{n // 10}@import.example" if n >= 10 else people.head.user.email
        lines.append(
            f"Import{n},Person,import{n}@import.example,{schools[n % len(schools)]},Teacher,"
            f"Teaching,MPR,{manager},2024-09-01"
        )
    body = "\n".join(lines) + "\n"
    started = time.perf_counter()
    try:
        with trust_scope(people.trust), transaction.atomic():
            result = staff_import(actor=None, trust=people.trust, csv_text=body)
            seconds = time.perf_counter() - started
            raise _RollBack
    except _RollBack:
        pass
    return {
        "rows": rows,
        "created": len(result.created) if result.applied else 0,
        "seconds": round(seconds, 2),
        "problem": "" if result.applied else result.summary,
    }


def statement_pdf_job(slug: str, renders: int = 20) -> dict[str, Any]:
    """Statement PDF render time (WeasyPrint) for decided reviews of the trust."""
    from bench.pages import bench_people
    from growth.security.tenancy import trust_scope
    from reviews.models import Review
    from reviews.pdf import render_pdf, statement_context
    from reviews.selectors import REVIEW_RELATED

    trust = bench_people(slug).trust
    times = []
    with trust_scope(trust):
        reviews = list(
            Review.objects.filter(status=Review.Status.DECIDED)
            .select_related(*REVIEW_RELATED)
            .order_by("pk")[:renders]
        )
        for review in reviews:
            started = time.perf_counter()
            render_pdf(statement_context(review))
            times.append((time.perf_counter() - started) * 1000)
    if not times:
        return {"renders": 0, "p50_ms": None, "p95_ms": None}
    return {
        "renders": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
    }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: a value that was measured, never an interpolation."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))]


# --- The reminder sweep --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _lines(path: str) -> list[str]:
    with open(path) as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def _smtp_sink(log_path: str, raw_path: str) -> tuple[subprocess.Popen, int]:
    """A real SMTP server in a process of its own, as a mail relay would be."""
    port = _free_port()
    sink = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "bench.smtp_sink", str(port), log_path, raw_path],
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    if sink.stdout is None or sink.stdout.readline().strip() != "ready":
        sink.kill()
        raise RuntimeError("the benchmark's SMTP server did not start")
    return sink, port


def _unsent(trust: Any) -> int:
    from checkins.models import ReminderLog
    from growth.security.tenancy import trust_scope

    with trust_scope(trust):
        return ReminderLog.objects.for_trust(trust).filter(sent_at__isnull=True).count()


def _forget_claims(trust: Any) -> None:
    """The benchmark's own database: each run starts from no reminder claims for the trust.
    (Claims carry no figures of any page, so deleting them leaves the pages as they were.)"""
    from checkins.models import ReminderLog
    from growth.security.tenancy import trust_scope

    with trust_scope(trust):
        ReminderLog.objects.for_trust(trust).delete()


def _start_worker(port: int, redis_url: str, concurrency: int) -> subprocess.Popen:
    from growth.workers import celery_worker_argv

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "PYTHONPATH": str(BASE_DIR),
    }
    env.pop("CELERY_WORKER_TEST_DB", None)
    return subprocess.Popen(  # noqa: S603 - our own fixed command line
        celery_worker_argv(
            name=f"bench-{os.getpid()}@%h", concurrency=concurrency, queues="default"
        ),
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def bare_smtp_loop(raw_path: str, count: int, port: int) -> float:
    """The same ``count`` messages (envelope and bytes as the sweep delivered them) sent with
    ``smtplib`` over one connection: what sending costs with nothing else in the way."""
    messages = [json.loads(line) for line in _lines(raw_path)[:count]]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for m in messages:
            smtp.sendmail(m["from"], m["to"], base64.b64decode(m["data"]))
    return time.perf_counter() - started


def reminder_sweep_job(slug: str, redis_url: str) -> dict[str, Any]:
    """The daily reminder sweep for the whole trust, as deployed: the sweep task through Redis
    to a real Celery worker (prefork, one process per core), which claims, fans out and mails
    into a real SMTP server on loopback; timed until every claim is sent. Then the same sweep
    again, which must send nothing; then a bare ``smtplib`` loop sending the same messages."""
    from celery import Celery
    from django.utils import timezone

    from bench.pages import bench_people
    from checkins.selectors import cycle_schedule
    from growth.domain.selectors import cycle_current
    from growth.security.tenancy import trust_scope

    trust = bench_people(slug).trust
    today = timezone.localdate()
    with trust_scope(trust):
        dates = [d for d in cycle_schedule(cycle=cycle_current(trust=trust)) if d > today]
    if not dates:
        return {"emails": 0, "problem": "no check-in ahead in this cycle"}
    sweep_day = dates[0] - dt.timedelta(days=trust.reminder_notice_days)
    concurrency = int(os.environ.get("BENCH_WORKER_CONCURRENCY", 0)) or os.cpu_count() or 1
    client = Celery("growth-bench", broker=redis_url, backend=redis_url, set_as_current=False)
    client.conf.task_default_queue = "default"
    with client.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # the benchmark's own Redis database
    directory = tempfile.mkdtemp(prefix="growth-bench-smtp-")
    log_path, raw_path = f"{directory}/received.log", f"{directory}/raw.jsonl"
    sink, port = _smtp_sink(log_path, raw_path)
    _forget_claims(trust)
    worker = _start_worker(port, redis_url, concurrency)
    sweep = "checkins.tasks.reminders_sweep_for_trust"
    kwargs = {"trust_id": trust.pk, "today": sweep_day.isoformat()}
    try:
        deadline = time.monotonic() + 90
        while not client.control.ping(timeout=1.0):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the benchmark's Celery worker did not start")
        started = time.perf_counter()
        client.send_task(sweep, kwargs=kwargs, ignore_result=False).get(timeout=600)
        while _unsent(trust) and time.perf_counter() - started < 1800:
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        emails = len(_lines(log_path))
        messages = len(_lines(raw_path))
        client.send_task(sweep, kwargs=kwargs, ignore_result=False).get(timeout=600)
        time.sleep(2)  # anything the rerun enqueued would be delivered by now
        received = _lines(log_path)
    finally:
        _stop(worker)
    try:
        bare_seconds = bare_smtp_loop(raw_path, messages, port) if emails else 0.0
        bare_delivered = len(_lines(log_path)) - len(received)
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        for path in (log_path, raw_path):
            os.unlink(path)
        os.rmdir(directory)
    return {
        "sweep_day": sweep_day.isoformat(),
        "emails": emails,
        "messages": messages,
        "seconds": round(seconds, 2),
        "worker_processes": concurrency,
        "sent_on_rerun": len(received) - emails,
        "duplicates": len(received) - len(set(received)),
        "bare_seconds": round(bare_seconds, 2),
        "bare_delivered": bare_delivered,
        "per_second": round(emails / seconds, 1) if seconds else None,
        "bare_per_second": round(bare_delivered / bare_seconds, 1) if bare_seconds else None,
    }


JOBS: dict[str, Callable[..., dict[str, Any]]] = {
    "staff_import": staff_import_job,
    "statement_pdf": statement_pdf_job,
    "reminder_sweep": reminder_sweep_job,
}


def main(argv: list[str]) -> None:
    import django

    django.setup()
    slug, out, skip = argv[0], argv[1], set(filter(None, (argv[2:] or [""])[0].split(",")))
    redis_url = os.environ["BENCH_REDIS_URL"]
    results: dict[str, Any] = {}
    for key, job in JOBS.items():
        if key in skip:
            continue
        print(f"  job {key} …", flush=True)
        started = time.perf_counter()
        results[key] = job(slug, redis_url) if key == "reminder_sweep" else job(slug)
        results[key]["wall_seconds"] = round(time.perf_counter() - started, 1)
        Path(out).write_text(json.dumps(results, indent=2))  # what is done survives a crash
    Path(out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
