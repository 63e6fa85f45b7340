"""The benchmark's runner (``python -m bench``): seeds or reuses a database per size, serves
each with gunicorn on loopback, measures every page of every database side by side with the
reference page in ONE Locust run while a writer saves a check-in every second, counts each
page's queries, runs the timed jobs, judges the goals and writes benchmark-results/."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import results
from bench.databases import BASE_DIR, SCALE_SLUG, Databases, Variant

REQUEST_TIMEOUT = 120


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
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _vm_hwm_mb(pid: int) -> float:
    """Peak resident set size of a process (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Server:
    """gunicorn serving the app with bench.settings on one database, on a free loopback
    port."""

    def __init__(self, env: dict[str, str], *, workers: int) -> None:
        self.port = _free_port()
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
            cwd=BASE_DIR,
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


def variants_for(args: argparse.Namespace) -> list[Variant]:
    """The full size, and (unless turned off) a tenth of it with a tenth of the schools, and
    the full size with other trusts of the same size in the same database."""
    found = [Variant(str(args.staff), "primary", args.staff, args.schools)]
    if args.small_staff:
        schools = max(1, round(args.schools * args.small_staff / args.staff))
        found.append(Variant(str(args.small_staff), "small", args.small_staff, schools))
    if args.other_trusts:
        found.append(
            Variant(
                f"{args.staff}+{args.other_trusts}",
                "crowded",
                args.staff,
                args.schools,
                args.other_trusts,
            )
        )
    return found


def _run_module(module: str, env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-m", module, *args], cwd=BASE_DIR, env=env, check=True
    )


def _pages_env(dbs: Databases, name: str, args: argparse.Namespace) -> dict[str, str]:
    """The environment of the processes that serve and prepare the pages: with ``--on``, the
    day they are served on (bench/settings.py). The jobs run on today's clock."""
    return {**dbs.env(name), **({"BENCH_ON": args.on} if args.on else {})}


def run(args: argparse.Namespace, log: Any = print) -> dict[str, Any]:
    started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    dbs = Databases(args.database_url, log=log, redis_url=args.redis_url)
    work = Path(tempfile.mkdtemp(prefix="growth-bench-"))
    variants = variants_for(args)
    prepared: dict[str, dict[str, Any]] = {}
    described = []
    for variant in variants:
        name, seed_seconds = dbs.ensure(variant, fresh=args.fresh)
        plan_path = work / f"prepare-{variant.role}.json"
        log(f"Preparing {name}: people, sessions, query counts …")
        _run_module("bench.prepare", _pages_env(dbs, name, args), SCALE_SLUG, str(plan_path))
        prepared[variant.key] = json.loads(plan_path.read_text())
        described.append(
            {
                "key": variant.key,
                "role": variant.role,
                "database": name,
                "size": prepared[variant.key]["size"],
                "seed_seconds": seed_seconds,
            }
        )
    only = set(filter(None, args.pages.split(","))) | {"reference"}
    servers: dict[str, Server] = {}
    try:
        for variant, info in zip(variants, described, strict=True):
            env = _pages_env(dbs, info["database"], args)
            servers[variant.key] = Server(env, workers=args.workers)
        targets, writers = [], []
        first = prepared[variants[0].key]
        for page in first["pages"]:
            if args.pages and page["key"] not in only:
                continue
            for variant in variants:
                mine = next(p for p in prepared[variant.key]["pages"] if p["key"] == page["key"])
                port = servers[variant.key].port
                targets.append(
                    {
                        "variant": variant.key,
                        "key": page["key"],
                        "url": f"http://127.0.0.1:{port}{mine['path']}",
                        "session": mine["session"],
                    }
                )
        if not args.no_writer:
            for variant in variants:
                w = prepared[variant.key]["writer"]
                port = servers[variant.key].port
                writers.append(
                    {**w, "variant": variant.key, "url": f"http://127.0.0.1:{port}{w['path']}"}
                )
        timings_path = work / "timings.json"
        plan = {
            "targets": targets,
            "writers": writers,
            "readers": args.readers,
            "rounds": args.rounds,
            "warmup_rounds": args.warmup_rounds,
            "session_cookie_name": first["session_cookie_name"],
            "csrf_cookie_name": first["csrf_cookie_name"],
            "out": str(timings_path),
        }
        plan_path = work / "locust-plan.json"
        plan_path.write_text(json.dumps(plan))
        log(
            f"Locust: {args.readers} readers x {args.rounds} rounds of {len(targets)} requests"
            f" ({len(writers)} writers) …"
        )
        load_started = time.perf_counter()
        users = args.readers + len(writers)
        subprocess.run(  # noqa: S603 - our own fixed command line
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(BASE_DIR / "bench/locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                args.max_run_time,
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            cwd=BASE_DIR,
            env={**os.environ, "BENCH_PLAN": str(plan_path)},
            check=True,
            stdout=subprocess.DEVNULL if args.quiet_locust else None,
        )
        load_seconds = time.perf_counter() - load_started
        for variant, info in zip(variants, described, strict=True):
            info["peak_rss_mb_per_worker"] = round(servers[variant.key].workers_peak_mb(), 1)
    finally:
        for server in servers.values():
            server.stop()
    measured = json.loads(timings_path.read_text())
    timings, errors = measured["timings"], measured["errors"]
    pages = []
    for page in first["pages"]:
        if args.pages and page["key"] not in only:
            continue
        by_variant = {}
        for variant in variants:
            mine = next(p for p in prepared[variant.key]["pages"] if p["key"] == page["key"])
            name = f"{variant.key} {page['key']}"
            by_variant[variant.key] = results.latency(
                timings.get(name, []), errors.get(name, 0), mine["queries"]
            )
        pages.append(
            {
                "key": page["key"],
                "label": page["label"],
                "role": page["role"],
                "by_variant": by_variant,
            }
        )
    result: dict[str, Any] = {
        "started_at": started_at,
        "settings": {
            "workers": args.workers,
            "readers": args.readers,
            "rounds": args.rounds,
            "warmup_rounds": args.warmup_rounds,
            "seconds": round(load_seconds, 1),
            "cache": "django.core.cache.backends.dummy.DummyCache",
            "on": args.on,
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "variants": described,
        "pages": pages,
        "writers": {
            w["variant"]: {
                "requests": len(timings.get(f"{w['variant']} writer", [])),
                "errors": errors.get(f"{w['variant']} writer", 0),
            }
            for w in writers
        },
    }
    if not args.no_jobs:
        jobs_path = work / "jobs.json"
        primary_db = described[0]["database"]
        log(f"Timed jobs on {primary_db} …")
        _run_module("bench.jobs", dbs.env(primary_db), SCALE_SLUG, str(jobs_path), args.skip_jobs)
        result["jobs"] = json.loads(jobs_path.read_text())
    result["goals"] = results.judge(result)
    result["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return result


def _day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: write YYYY-MM-DD") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--staff", type=int, default=5000, help="the scale trust's size")
    p.add_argument("--schools", type=int, default=50)
    p.add_argument(
        "--small-staff",
        type=int,
        default=None,
        help="the size to compare with (default: a tenth of --staff; 0: no size ratio)",
    )
    p.add_argument(
        "--other-trusts",
        type=int,
        default=19,
        help="other trusts of the same size in a third database (0: no crowd ratio)",
    )
    p.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/growth_bench"
        ),
        help="the server and the base name: databases are <name>_<staff>[_plus<n>]",
    )
    p.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="a Redis database of the benchmark's own (flushed by the sweep)",
    )
    p.add_argument("--fresh", action="store_true", help="seed every database again")
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers per database")
    p.add_argument("--readers", type=int, default=2, help="concurrent Locust readers")
    p.add_argument("--rounds", type=int, default=40, help="requests per page per reader")
    p.add_argument("--warmup-rounds", type=int, default=2)
    p.add_argument("--max-run-time", default="3h", help="Locust's own limit, e.g. 90m")
    p.add_argument("--pages", default="", help="comma-separated page keys (default: all)")
    p.add_argument("--no-writer", action="store_true", help="measure with nobody writing")
    p.add_argument(
        "--on",
        default=None,
        type=_day,
        help="serve the pages as on this day (YYYY-MM-DD), e.g. in July of the scale trust's "
        "previous cycle, when its reviews are written (default: today)",
    )
    p.add_argument("--no-jobs", action="store_true", help="pages only")
    p.add_argument("--skip-jobs", default="", help="e.g. reminder_sweep,staff_import")
    p.add_argument("--quiet-locust", action="store_true", help="hide Locust's summary")
    p.add_argument("--out", type=Path, default=BASE_DIR / "benchmark-results")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.small_staff is None:
        args.small_staff = args.staff // 10
    result = run(args)
    json_path, md_path = results.write(result, args.out)
    print()
    print(results.markdown(result))
    print(f"Written to {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
