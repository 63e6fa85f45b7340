"""Build a large trust for the benchmark, e.g. ``manage.py seed_scale --schools 50 --staff 5000``.

The core (schools, staff, line managers, roles, cycle, terms) is built by ``growth.demo.scale``;
every app's records (plans and objectives, check-ins, observations, reviews) by the seeders
that app registers in its own ``scale.py``."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management import BaseCommand, CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from growth.demo.scale import SCALE_PASSWORD, build_core, scale_seeders
from growth.models import CareerStage, Trust
from growth.reporting.progress import progress_rebuild
from growth.security.tenancy import trust_scope


class Command(BaseCommand):
    help = "Build a realistic trust at scale (bulk inserts) for the benchmark."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--schools", type=int, default=50)
        parser.add_argument("--staff", type=int, default=5000)
        parser.add_argument("--slug", default="scale")
        parser.add_argument("--name", default="Scale Academies Trust")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if Trust.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"A trust with slug {options['slug']!r} exists: use another --slug.")
        if not CareerStage.objects.exists():
            call_command("loaddata", "fixtures/career_stages.json", verbosity=0)
        today = options["today"] or timezone.localdate()
        world = build_core(
            slug=options["slug"],
            name=options["name"],
            schools=options["schools"],
            staff=options["staff"],
            today=today,
            seed=options["seed"],
        )
        world.timings["core"] = time.perf_counter() - started
        self.stdout.write(
            f"core: {len(world.schools)} schools, {len(world.staff)} staff "
            f"({world.timings['core']:.1f} s)"
        )
        with trust_scope(world.trust):
            for seeder in scale_seeders():
                t0 = time.perf_counter()
                with transaction.atomic():
                    rows = seeder.build(world)
                world.timings[seeder.key] = time.perf_counter() - t0
                self.stdout.write(f"{seeder.key}: {rows} rows ({world.timings[seeder.key]:.1f} s)")
        # Bulk inserts pass the services, which keep the progress summaries: rebuild them.
        t0 = time.perf_counter()
        rows = progress_rebuild(trust=world.trust, today=today)
        world.timings["progress"] = time.perf_counter() - t0
        self.stdout.write(f"progress: {rows} rows ({world.timings['progress']:.1f} s)")
        if connection.vendor == "postgresql":
            # A bulk load leaves the planner's statistics describing empty tables until
            # autovacuum catches up; plans made from them are badly wrong (seconds, not
            # milliseconds), so refresh them now, as any bulk load should.
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            world.timings["analyze"] = time.perf_counter() - t0
            self.stdout.write(f"analyze: planner statistics ({world.timings['analyze']:.1f} s)")
        total = time.perf_counter() - started
        head = next(iter(world.heads.values()))
        self.stdout.write(self.style.SUCCESS(f"Trust {world.trust.slug!r} built in {total:.1f} s."))
        self.stdout.write(f"Password for every account: {SCALE_PASSWORD!r}")
        self.stdout.write(f"  trust admin: {world.admins[0].user.email}")
        self.stdout.write(f"  headteacher: {head.user.email}")
