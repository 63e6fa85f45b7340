"""``manage.py rebuild_progress [--trust SLUG]``: work out every person's progress row of every
cycle again from the records (after a bulk load, a restore, or to check the kept rows)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from growth.models import Trust
from growth.reporting.progress import progress_rebuild


class Command(BaseCommand):
    help = "Rebuild every person's growth progress summary from the records."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trust", help="Only this trust (its slug); every trust otherwise.")

    def handle(self, *args: Any, **options: Any) -> None:
        trusts = Trust.objects.order_by("slug")
        if options["trust"]:
            trusts = trusts.filter(slug=options["trust"])
            if not trusts.exists():
                raise CommandError(f"No trust with the slug {options['trust']!r}.")
        for trust in trusts:
            written = progress_rebuild(trust=trust)
            self.stdout.write(f"{trust.slug}: {written} progress rows rebuilt")
