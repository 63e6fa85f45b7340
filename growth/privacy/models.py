"""Data protection records (UK GDPR): subject access and offboarding exports, retention runs,
and the task outbox that keeps enqueued work through a broker outage. Imported at the end of
``growth.models`` so they are part of the ``growth`` app."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from growth.domain.audit_labels import record_kind
from growth.models import StaffMember
from growth.security.tenancy import TrustOwned


def export_path(instance: DataExport, filename: str) -> str:
    # Unguessable and outside any served URL: downloads go through an access-checked view.
    return f"exports/{instance.trust_id}/{uuid.uuid4().hex}/{filename}"


class DataExport(TrustOwned):
    """A subject access export (one person) or a whole-trust export (offboarding). Built in
    the background, then reviewed by a trust admin before it can be downloaded."""

    class Kind(models.TextChoices):
        SUBJECT = "subject", "Subject access export"
        TRUST = "trust", "Whole-trust export"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        BUILT = "built", "Built, awaiting review"
        RELEASED = "released", "Released"
        WITHDRAWN = "withdrawn", "Withdrawn"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        StaffMember, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    file = models.FileField(upload_to=export_path, blank=True, max_length=300)
    file_size = models.PositiveBigIntegerField(default=0)
    contents = models.JSONField(default=dict, blank=True, help_text="Row counts per model.")
    built_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-created_at"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(kind="trust", subject__isnull=True)
                | models.Q(kind="subject", subject__isnull=False),
                name="dataexport_subject_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def contents_by_kind(self) -> list[tuple[str, int]]:
        """What the export holds, each kind of record named in words."""
        return [(record_kind(label), count) for label, count in self.contents.items()]


class RetentionRun(TrustOwned):
    """One pass of the retention check for a trust. A dry run lists the leavers whose period
    has ended; they are deleted only by a later run, once they have been on a dry-run report
    for the notice period, so HR always sees a report before anything goes."""

    dry_run = models.BooleanField(default=True)
    run_at = models.DateTimeField(default=timezone.now)
    # [{"public_id", "name", "leave_date", "records": {model: count}, "blocked": reason}]
    people = models.JSONField(default=list, blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-run_at"]

    def __str__(self) -> str:
        kind = "Dry run" if self.dry_run else "Deletion"
        return f"{kind} on {date_format(timezone.localtime(self.run_at))}"


class TaskOutbox(models.Model):
    """A task that could not reach the broker (Redis down). The beat flush (and any later
    successful send) re-enqueues it, so an outage delays work but never loses it."""

    trust = models.ForeignKey(
        "growth.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"])]

    def __str__(self) -> str:
        return self.task_name
