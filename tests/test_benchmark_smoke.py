"""The benchmark end to end at a tiny size: seed its databases (a trust, a smaller one, the
trust beside another), serve them with gunicorn, load every page with Locust side by side
with the reference while a writer saves check-ins, run the timed jobs and write the results.
Its figures are reported (printed), never asserted: only that every figure was produced."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.databases import Databases, Variant, database_name, with_database

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench_database_url() -> str:
    """Databases of this run's own, named after the tests' database (so that engineers and
    xdist workers never share one), dropped afterwards."""
    url = os.environ["DATABASE_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    base = with_database(url, f"{database_name(url)}_benchsmoke{worker}")
    yield base
    dbs = Databases(base, log=lambda _: None, redis_url="")
    for suffix in ("40", "20", "40_plus1", "template"):
        dbs.drop(f"{dbs.base}_{suffix}")


@pytest.mark.slow
def test_it_runs_the_benchmark_end_to_end_at_a_tiny_size(bench_database_url, tmp_path, capsys):
    started = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--database-url",
            bench_database_url,
            "--redis-url",
            os.environ["REDIS_URL"],
            "--staff=40",
            "--schools=2",
            "--small-staff=20",
            "--other-trusts=1",
            "--rounds=2",
            "--warmup-rounds=1",
            "--workers=1",
            "--quiet-locust",
            "--fresh",
            "--out",
            str(tmp_path),
        ],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    with capsys.disabled():
        print(f"\nbenchmark {time.perf_counter() - started:.0f} s\n{run.stdout}")
    assert run.returncode == 0, run.stderr[-4000:]
    data = json.loads((tmp_path / "latest.json").read_text())
    assert (tmp_path / "latest.md").read_text().startswith("# Benchmark")
    assert [v["role"] for v in data["variants"]] == ["primary", "small", "crowded"]
    assert data["variants"][2]["size"]["trusts"] == 2
    keys = {p["key"] for p in data["pages"]}
    assert {"reference", "home_staff", "home_manager", "home_head", "home_admin"} <= keys
    assert {"report_team", "report_school", "report_trust", "export_trust_schools_xlsx"} <= keys
    for page in data["pages"]:
        # Every page produced all three ratios and a query count at every size.
        assert page["ratio_to_reference"] and page["size_ratio"] and page["crowd_ratio"], page
        assert all(v["queries"] > 0 and v["errors"] == 0 for v in page["by_variant"].values())
    assert all(w["requests"] > 0 and w["errors"] == 0 for w in data["writers"].values())
    jobs = data["jobs"]
    assert jobs["staff_import"]["created"] == 5000
    assert jobs["statement_pdf"]["renders"] > 0
    sweep = jobs["reminder_sweep"]
    assert sweep["emails"] > 0 and sweep["bare_delivered"] == sweep["emails"]
    assert all(g["met"] is not None for g in data["goals"])


def test_each_size_has_a_database_of_its_own():
    variants = [
        Variant("5000", "primary", 5000, 50),
        Variant("500", "small", 500, 5),
        Variant("5000+19", "crowded", 5000, 50, 19),
    ]
    names = [v.database("growth_bench") for v in variants]
    assert names == ["growth_bench_5000", "growth_bench_500", "growth_bench_5000_plus19"]


def test_the_benchmark_serves_its_pages_on_the_day_it_is_given():
    """``python -m bench --on DAY``: the processes that serve and prepare the pages run on
    that day's clock (bench/settings.py), so that a run can measure the year in July."""
    show_today = (
        "import django; django.setup(); from django.utils import timezone; "
        "print(timezone.localdate(), timezone.localtime().hour)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_ON": "2026-07-14"}
    shown = subprocess.run(
        [sys.executable, "-c", show_today], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["2026-07-14", "11"]
