"""``manage.py rebuild_progress [--trust SLUG] [--schools]``: work out every person's progress
row of every cycle again from the records, and every school's from its people's rows (after a
bulk load, a restore, an upgrade that adds a figure, or to check the kept rows)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from growth.models import Trust
from growth.reporting.progress import progress_rebuild
from growth.reporting.school_progress import school_progress_rebuild
from growth.security.tenancy import trust_scope


class Command(BaseCommand):
    help = "Rebuild the growth progress summaries (of every person and school) from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trust", help="Only this trust (its slug); every trust otherwise.")
        parser.add_argument(
            "--schools",
            action="store_true",
            help="Only the schools' rows, from the people's rows as kept (quick: a few "
            "queries per school year; run after an upgrade that adds a school figure).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trusts = Trust.objects.order_by("slug")
        if options["trust"]:
            trusts = trusts.filter(slug=options["trust"])
            if not trusts.exists():
                raise CommandError(f"No trust with the slug {options['trust']!r}.")
        for trust in trusts:
            if options["schools"]:
                with trust_scope(trust):
                    written = school_progress_rebuild(trust=trust)
                self.stdout.write(f"{trust.slug}: {written} school progress rows rebuilt")
            else:
                written = progress_rebuild(trust=trust)
                self.stdout.write(f"{trust.slug}: {written} progress rows rebuilt")
