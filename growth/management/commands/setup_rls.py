"""(Re)apply PostgreSQL row-level security to every trust-owned table. Runs automatically
after ``migrate``; run it by hand after restoring a dump. Must run as the tables' owner."""

from __future__ import annotations

from typing import Any

from django.core.management import BaseCommand

from growth.security.rls import app_role, protected_tables, setup_rls


class Command(BaseCommand):
    help = "Enable and force row-level security on every trust-owned table."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument("--list", action="store_true", help="Only list the tables.")

    def handle(self, *args: Any, database: str, list: bool, **options: Any) -> None:
        if list:
            for entry in protected_tables():
                self.stdout.write(f"{entry['table']} ({entry['kind']})")
            return
        count = setup_rls(using=database, verbosity=0)
        if count:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Row-level security on {count} tables; application role {app_role()}."
                )
            )
        else:
            self.stdout.write("Not PostgreSQL (or GROWTH_RLS is off): nothing to do.")
