"""The benchmark end to end on a small trust: seed it, serve it with gunicorn, measure every
page and job, write the results. Its figures are reported (printed), never asserted."""

import json
import time

import pytest
from django.core.management import call_command
from django.db import connection

from growth.benchmark import markdown, run_benchmark, write_results
from growth.management.commands.benchmark import database_url


@pytest.mark.slow
def test_it_runs_the_benchmark_end_to_end_on_a_small_trust(transactional_db, tmp_path, capsys):
    started = time.perf_counter()
    call_command("seed_scale", schools=2, staff=40, slug="smoke")
    seeded = time.perf_counter()
    result = run_benchmark(
        slug="smoke",
        database_url=database_url(),
        requests=4,
        concurrency=2,
        workers=1,
        jobs=True,  # the 5,000-row import, the statement PDFs and the sweep through a worker
        log=lambda line: None,
    )
    json_path, md_path = write_results(result, tmp_path)
    with capsys.disabled():
        print(f"\nseed {seeded - started:.1f} s, benchmark {time.perf_counter() - seeded:.1f} s")
        print(markdown(result))
    data = json.loads(json_path.read_text())
    keys = {p["key"] for p in data["pages"]}
    assert {"floor", "home_staff", "home_manager", "home_head", "home_admin"} <= keys
    assert {"report_team", "report_school", "report_trust"} <= keys
    assert all(p["errors"] == 0 for p in data["pages"]), data["pages"]
    assert all(p["peak_rss_mb"] > 0 for p in data["pages"])
    assert all(p["floor_p95_ms"] for p in data["pages"])  # each page has its own floor
    jobs = data["jobs"]
    assert {"staff_import", "statement_pdf", "reminder_sweep"} <= set(jobs)
    assert jobs["staff_import"]["rows"] == 5000
    sweep = jobs["reminder_sweep"]
    assert sweep["emails"] > 0 and sweep["sent_on_rerun"] == 0 and sweep["duplicates"] == 0
    assert data["size"] == {"schools": 3, "staff": 40}
    assert md_path.read_text().startswith("# Benchmark")
    assert connection.settings_dict["NAME"] in database_url()
