"""``manage.py benchmark``: gunicorn on PostgreSQL with the scale trust; see growth/benchmark.py."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import connection

from growth.benchmark import markdown, run_benchmark, write_results
from growth.models import Trust


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Command(BaseCommand):
    help = "Benchmark every role's home page and every report against a floor view."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--schools", type=int, default=50)
        parser.add_argument("--staff", type=int, default=5000)
        parser.add_argument("--slug", default="scale")
        parser.add_argument("--requests", type=int, default=200, help="per page")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--no-jobs", action="store_true", help="pages only")
        parser.add_argument(
            "--skip-jobs", default="", help="comma-separated job keys, e.g. reminder_sweep"
        )
        parser.add_argument(
            "--pages", default="", help="comma-separated page keys to measure (default: all)"
        )
        parser.add_argument(
            "--figures-cache-seconds",
            type=int,
            default=None,
            help="how long the server keeps school and trust figures (0: computed every request)",
        )
        parser.add_argument(
            "--out", default=str(Path(settings.BASE_DIR) / "benchmark-results"), type=Path
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = database_url()
        seed_seconds = None
        if not Trust.objects.filter(slug=options["slug"]).exists():
            self.stdout.write(f"Seeding {options['schools']} schools, {options['staff']} staff …")
            started = time.perf_counter()
            call_command(
                "seed_scale",
                schools=options["schools"],
                staff=options["staff"],
                slug=options["slug"],
                stdout=self.stdout,
            )
            seed_seconds = time.perf_counter() - started
        self.stdout.write("Serving with gunicorn and measuring …")
        result = run_benchmark(
            slug=options["slug"],
            database_url=url,
            requests=options["requests"],
            concurrency=options["concurrency"],
            workers=options["workers"],
            jobs=not options["no_jobs"],
            skip_jobs=frozenset(k for k in options["skip_jobs"].split(",") if k),
            figures_cache_seconds=options["figures_cache_seconds"],
            only_pages=frozenset(k for k in options["pages"].split(",") if k),
            log=self.stdout.write,
        )
        result.seed_seconds = seed_seconds
        json_path, md_path = write_results(result, options["out"])
        self.stdout.write("")
        self.stdout.write(markdown(result))
        self.stdout.write(f"Written to {json_path} and {md_path}")
