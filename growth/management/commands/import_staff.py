"""manage.py import_staff FILE --trust SLUG [--dry-run]: the browser import, from a shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management import BaseCommand, CommandError, CommandParser

from growth.domain.staff_import import ImportResult, staff_import
from growth.models import Trust
from growth.security.tenancy import trust_scope
from growth.security.uploads import upload_text


class Command(BaseCommand):
    help = "Import staff from a CSV file into a trust (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--trust", required=True, help="the trust's slug")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and show the changes only"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trust = Trust.objects.filter(slug=options["trust"]).first()
        if trust is None:
            raise CommandError(f"No trust with the slug {options['trust']!r}.")
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                text = upload_text(File(handle, name=path.name), kinds=("csv",))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        except ValidationError as exc:
            raise CommandError(f"{path}: {' '.join(exc.messages)}") from exc
        with trust_scope(trust):
            result = staff_import(
                actor=None, trust=trust, csv_text=text, dry_run=options["dry_run"]
            )
        self.report(result, dry_run=options["dry_run"])
        if not result.ok:
            raise CommandError(result.summary)

    def report(self, result: ImportResult, *, dry_run: bool) -> None:
        for error in result.errors:
            self.stderr.write(str(error))
        if not result.ok:
            return
        for row in result.created:
            self.stdout.write(f"+ line {row.line}: {row.full_name} <{row.email}>")
        for row in result.updated:
            diff = "; ".join(f"{c.label}: {c.before} → {c.after}" for c in row.changes)
            self.stdout.write(f"~ line {row.line}: {row.full_name} <{row.email}>: {diff}")
        prefix = "Dry run, nothing written. " if dry_run and result.changes_anything else ""
        self.stdout.write(self.style.SUCCESS(prefix + result.summary))
