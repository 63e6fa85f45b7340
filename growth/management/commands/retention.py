"""The retention check. By default a dry run that prints (and records) who would be deleted;
``--execute`` deletes those already on a dry-run report for the notice period."""

from __future__ import annotations

from typing import Any

from django.core.management import BaseCommand
from django.utils import timezone

from growth.models import Trust
from growth.privacy.services import retention_report, retention_run
from growth.security.tenancy import trust_scope


class Command(BaseCommand):
    help = "Report (dry run) or delete leavers' growth records after the retention period."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--trust", help="Trust slug (default: every trust).")
        parser.add_argument("--execute", action="store_true", help="Delete, not just report.")

    def handle(self, *args: Any, trust: str | None, execute: bool, **options: Any) -> None:
        today = timezone.localdate()
        trusts = Trust.objects.filter(slug=trust) if trust else Trust.objects.all()
        for t in trusts.order_by("pk"):
            with trust_scope(t):
                report = retention_report(t, today)
                self.stdout.write(
                    f"{t.name}: {len(report)} leaver(s) past {t.retention_months} months"
                )
                for person in report:
                    counts = ", ".join(f"{k} {v}" for k, v in person["records"].items())
                    blocked = f" BLOCKED: {person['blocked']}" if person["blocked"] else ""
                    self.stdout.write(
                        f"  {person['name']} (left {person['leave_date']}): {counts}{blocked}"
                    )
                run = retention_run(trust=t, today=today, dry_run=not execute)
                if execute:
                    self.stdout.write(f"  deleted {len(run.people)} leaver(s)")
