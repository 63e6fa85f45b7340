"""The benchmark: serve the app with gunicorn on PostgreSQL with a scale trust and measure, in one
run, a floor view and every role's home page and every report (requests per second, p50, p95,
peak memory per worker process), each page's p95 as a ratio to the floor's, plus the timed jobs
apps register (reminder sweep, statement PDF, staff import). See README "Benchmark".

Pages and jobs are registered like report columns: ``register_bench_page`` and
``register_bench_job`` in an app's ``scale.py``."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from growth.models import RoleAssignment, School, StaffMember, Trust

PAGE_GOAL_RATIO = 3.0
REQUEST_TIMEOUT = 120


@dataclass
class BenchPeople:
    trust: Trust
    staff: StaffMember
    manager: StaffMember
    head: StaffMember
    admin: StaffMember
    school: School


@dataclass(frozen=True)
class BenchPage:
    key: str
    label: str
    role: str  # "staff", "manager", "head" or "admin"
    url: Callable[[BenchPeople], str]
    order: int = 50


@dataclass(frozen=True)
class BenchJob:
    """A timed job (not a page): ``run(people)`` returns its figures, including ``seconds``
    (or ``p50_ms``) and ``goal`` text; it must leave nothing behind that changes the pages."""

    key: str
    label: str
    run: Callable[[BenchPeople], dict[str, Any]]
    order: int = 50


_pages: dict[str, BenchPage] = {}
_jobs: dict[str, BenchJob] = {}


def register_bench_page(page: BenchPage) -> None:
    _pages.setdefault(page.key, page)


def register_bench_job(job: BenchJob) -> None:
    _jobs.setdefault(job.key, job)


def bench_pages() -> list[BenchPage]:
    autodiscover_modules("scale")
    return sorted(_pages.values(), key=lambda p: p.order)


def bench_jobs() -> list[BenchJob]:
    autodiscover_modules("scale")
    return sorted(_jobs.values(), key=lambda j: j.order)


register_bench_page(
    BenchPage("floor", "Floor: 25 rows, no template", "admin", lambda p: "/bench/floor/", order=0)
)
register_bench_page(BenchPage("home_staff", "Home: staff member", "staff", lambda p: "/", order=10))
register_bench_page(
    BenchPage("home_manager", "Home: line manager", "manager", lambda p: "/", order=11)
)
register_bench_page(BenchPage("home_head", "Home: headteacher", "head", lambda p: "/", order=12))
register_bench_page(BenchPage("home_admin", "Home: trust admin", "admin", lambda p: "/", order=13))
register_bench_page(
    BenchPage("report_team", "Report: team", "manager", lambda p: reverse("reports:team"), order=20)
)
register_bench_page(
    BenchPage(
        "report_school",
        "Report: school",
        "head",
        lambda p: reverse("reports:school", args=[p.school.public_id]),
        order=21,
    )
)
register_bench_page(
    BenchPage(
        "report_trust", "Report: trust", "admin", lambda p: reverse("reports:trust"), order=22
    )
)
register_bench_page(
    BenchPage(
        "export_trust_xlsx",
        "Export: trust table (XLSX)",
        "admin",
        lambda p: reverse("reports:trust") + "?export=schools&format=xlsx",
        order=23,
    )
)


def bench_people(slug: str) -> BenchPeople:
    trust = Trust.objects.get(slug=slug)
    staff_qs = StaffMember.objects.for_trust(trust).select_related("user", "school")
    roles = RoleAssignment.objects.for_trust(trust).select_related("staff_member__user", "school")
    admin = roles.filter(role=RoleAssignment.Role.TRUST_ADMIN).order_by("pk").first().staff_member
    head_role = (
        roles.filter(role=RoleAssignment.Role.HEADTEACHER, school__kind=School.Kind.SCHOOL)
        .order_by("school__name")
        .first()
    )
    head, school = head_role.staff_member, head_role.school
    manager = (
        staff_qs.filter(school=school, line_manager=head)
        .annotate(n=Count("reports"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    ) or head
    staff = staff_qs.filter(line_manager=manager).order_by("pk").first()
    return BenchPeople(trust, staff, manager, head, admin, school)


def session_cookie(staff: StaffMember) -> str:
    """A signed-in session for ``staff``, made the way ``Client.force_login`` makes one."""
    session = SessionStore()
    session[SESSION_KEY] = str(staff.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = staff.user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


@dataclass
class PageResult:
    key: str
    label: str
    url: str
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    peak_rss_mb: float
    bytes: int
    ratio_p95_to_floor: float | None = None
    within_goal: bool | None = None
    # The floor's p95, measured in the same run as this page (interleaved with it).
    floor_p95_ms: float | None = None


@dataclass
class BenchResult:
    started_at: str
    size: dict[str, int]
    workers: int
    concurrency: int
    requests_per_page: int
    # How long the server keeps school and trust figures (growth/report_cache.py); 0 measures
    # every page as on the first view after a change.
    figures_cache_seconds: int = 0
    pages: list[PageResult] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    seed_seconds: float | None = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces: split after it.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _vm_hwm_mb(pid: int) -> float:
    """Peak resident set size of a process (VmHWM), in MB; psutil is not a dependency."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Server:
    """gunicorn serving the app with the benchmark settings, on a free loopback port."""

    def __init__(
        self, *, database_url: str, workers: int, figures_cache_seconds: int | None = None
    ) -> None:
        self.port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "growth.settings.bench",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        env.pop("CELERY_WORKER_TEST_DB", None)
        if figures_cache_seconds is not None:
            env["REPORT_FIGURES_CACHE_SECONDS"] = str(figures_cache_seconds)
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [
                sys.executable,
                "-m",
                "gunicorn",
                "growth.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                "--timeout",
                str(REQUEST_TIMEOUT),
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.process.stderr.read().decode())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start within 60 s.")

    def workers_peak_mb(self) -> float:
        return max((_vm_hwm_mb(pid) for pid in _children(self.process.pid)), default=0.0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _get(port: int, url: str, cookie: str) -> tuple[int, float, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        status = response.status
    except OSError:  # a timeout or a worker killed mid-request: an error, not a crash
        body, status = b"", 599
    finally:
        conn.close()
    return status, (time.perf_counter() - started) * 1000, len(body)


@dataclass(frozen=True)
class Target:
    page: BenchPage
    url: str
    cookie: str


def measure_pages(
    server: Server, targets: Sequence[Target], *, requests: int, concurrency: int
) -> list[PageResult]:
    """``requests`` requests to each target, interleaved (one of each in turn) over the same
    ``concurrency`` clients, so that every target is measured under the same conditions:
    this machine's speed drifts within seconds, and a page measured in the minute after its
    floor could be compared with a floor taken on a faster or slower machine."""
    for target in targets:  # warm caches, connections and imports
        for _ in range(max(1, min(5, requests // 4))):
            _get(server.port, target.url, target.cookie)
    latencies: dict[str, list[float]] = {t.page.key: [] for t in targets}
    errors = dict.fromkeys(latencies, 0)
    sizes = dict.fromkeys(latencies, 0)
    lock = threading.Lock()

    def one(target: Target) -> None:
        status, ms, length = _get(server.port, target.url, target.cookie)
        with lock:
            latencies[target.page.key].append(ms)
            sizes[target.page.key] = length
            if status != 200:
                errors[target.page.key] += 1

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, [t for _ in range(requests) for t in targets]))
    peak = round(server.workers_peak_mb(), 1)
    results = []
    for target in targets:
        found = sorted(latencies[target.page.key])
        p95 = found[min(len(found) - 1, round(0.95 * len(found)) - 1)]
        results.append(
            PageResult(
                key=target.page.key,
                label=target.page.label,
                url=target.url,
                requests=requests,
                errors=errors[target.page.key],
                # What the page sustains over the clients: interleaved, the pages share the
                # run's wall time, so it is worked out from the page's own mean latency.
                rps=round(concurrency * 1000 / statistics.fmean(found), 1),
                p50_ms=round(statistics.median(found), 1),
                p95_ms=round(p95, 1),
                peak_rss_mb=peak,
                bytes=sizes[target.page.key],
            )
        )
    return results


def vacuum_analyze(*tables: str) -> None:
    """What autovacuum does in a deployment, done now: the benchmark's own jobs delete and
    roll back thousands of rows per run, and on a server with autovacuum off (as on this
    machine) those dead rows pile up run after run and slow every later measurement."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}" if tables else "VACUUM (ANALYZE)")


def run_benchmark(
    *,
    slug: str,
    database_url: str,
    requests: int = 200,
    concurrency: int = 2,
    workers: int = 2,
    jobs: bool = True,
    skip_jobs: frozenset[str] = frozenset(),
    figures_cache_seconds: int | None = None,
    only_pages: frozenset[str] = frozenset(),
    log: Callable[[str], None] = print,
) -> BenchResult:
    vacuum_analyze()
    people = bench_people(slug)
    cookies = {
        role: session_cookie(getattr(people, role))
        for role in ("staff", "manager", "head", "admin")
    }
    result = BenchResult(
        started_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        size={
            "schools": School.objects.for_trust(people.trust).count(),
            "staff": StaffMember.objects.for_trust(people.trust).count(),
        },
        workers=workers,
        concurrency=concurrency,
        requests_per_page=requests,
        figures_cache_seconds=(
            settings.REPORT_FIGURES_CACHE_SECONDS
            if figures_cache_seconds is None
            else figures_cache_seconds
        ),
    )
    server = Server(
        database_url=database_url,
        workers=workers,
        figures_cache_seconds=result.figures_cache_seconds,
    )
    pages = [p for p in bench_pages() if not only_pages or p.key in only_pages | {"floor"}]
    floor_page = next(p for p in pages if p.key == "floor")

    def target(page: BenchPage) -> Target:
        return Target(page, page.url(people), cookies[page.role])

    try:
        for page in pages:
            # Each page is measured together with the floor, their requests interleaved
            # (measure_pages), and its p95 divided by the floor's of that same run.
            if page.key == "floor":
                (row,) = measure_pages(
                    server, [target(page)], requests=requests, concurrency=concurrency
                )
                floor = row
            else:
                floor, row = measure_pages(
                    server,
                    [target(floor_page), target(page)],
                    requests=requests,
                    concurrency=concurrency,
                )
            row.floor_p95_ms = floor.p95_ms
            if floor.p95_ms:
                row.ratio_p95_to_floor = round(row.p95_ms / floor.p95_ms, 2)
                row.within_goal = page.key == "floor" or row.ratio_p95_to_floor <= PAGE_GOAL_RATIO
            result.pages.append(row)
            log(
                f"  {page.label:<36} p50 {row.p50_ms:7.1f} ms  p95 {row.p95_ms:7.1f} ms"
                f"  (floor p95 {floor.p95_ms:.1f} ms)"
            )
    finally:
        server.stop()
    if jobs:
        for job in bench_jobs():
            if job.key in skip_jobs:
                result.jobs[job.key] = {"label": job.label, "summary": "skipped", "met": None}
                continue
            log(f"  job {job.label} …")
            result.jobs[job.key] = {"label": job.label, **job.run(people)}
    return result


def write_results(result: BenchResult, directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / "latest.json", directory / "latest.md"
    json_path.write_text(json.dumps(asdict(result), indent=2))
    md_path.write_text(markdown(result))
    return json_path, md_path


def markdown(result: BenchResult) -> str:
    lines = [
        f"# Benchmark {result.started_at}",
        "",
        f"Trust: {result.size['schools']} schools, {result.size['staff']} staff. gunicorn "
        f"{result.workers} workers (sync), {result.concurrency} concurrent clients, "
        f"{result.requests_per_page} requests per page.",
        "",
        (
            f"School and trust figures kept for {result.figures_cache_seconds} s per version of "
            "the trust's data (every write moves it on)."
            if result.figures_cache_seconds
            else "School and trust figures computed on every request (figures cache off)."
        ),
        "",
        "Each page is measured with the floor, their requests interleaved; its p95 is divided "
        "by the floor's p95 of that run.",
        "",
        "| page | req/s | p50 ms | p95 ms | floor p95 ms | p95 / floor | within 3x floor "
        "| peak RSS per worker MB | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for p in result.pages:
        goal = (
            "—"
            if p.within_goal is None or p.key == "floor"
            else ("yes" if p.within_goal else "**no**")
        )
        ratio = "" if p.ratio_p95_to_floor is None else f"{p.ratio_p95_to_floor:.2f}"
        lines.append(
            f"| {p.label} | {p.rps} | {p.p50_ms} | {p.p95_ms} | {p.floor_p95_ms or ''} | "
            f"{ratio} | {goal} | "
            f"{p.peak_rss_mb} | {p.errors} |"
        )
    if result.jobs:
        lines += ["", "| job | result | goal | met |", "| --- | --- | --- | --- |"]
        for job in result.jobs.values():
            lines.append(
                f"| {job['label']} | {job.get('summary', '')} | {job.get('goal', '')} | "
                f"{ {True: 'yes', False: '**no**', None: '—'}[job.get('met')] } |"
            )
    if result.seed_seconds is not None:
        lines += ["", f"Seeding the trust took {result.seed_seconds:.1f} s."]
    return "\n".join(lines) + "\n"


# --- Jobs of the core ----------------------------------------------------------------------

IMPORT_GOAL_SECONDS = 30.0


class _RollBack(Exception):
    pass


def staff_import_job(people: BenchPeople, rows: int = 5000) -> dict[str, Any]:
    """Import ``rows`` new people into the scale trust through the real service, timed, then
    roll it all back so the trust (and the pages measured) are unchanged. Invitations are
    enqueued on commit, so they are not part of the figure."""
    from django.db import transaction

    from growth.staff_import import staff_import
    from growth.tenancy import trust_scope

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
        school = schools[n % len(schools)]
        lines.append(
            f"Import{n},Person,import{n}@import.example,{school},Teacher,Teaching,MPR,"
            f"{manager},2024-09-01"
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
    ok = result.applied and len(result.created) == rows
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "summary": f"{rows} rows in {seconds:.1f} s" + ("" if ok else f" ({result.summary})"),
        "goal": f"under {IMPORT_GOAL_SECONDS:.0f} s",
        "met": ok and seconds < IMPORT_GOAL_SECONDS,
    }


register_bench_job(
    BenchJob("staff_import", "Staff import (5,000 rows)", staff_import_job, order=30)
)
