"""Reviews: the outcome key, writing frames, the review (placement, statement, final decision,
acknowledgement), its statement versions, rendered PDFs and school zips."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from growth.domain.duties import DecisionCapacity
from growth.models import GrowthCycle, School, StaffMember
from growth.security.tenancy import SharedOrTenantManager, TrustOwned
from reviews import rubric


class OutcomeKeyEntry(TrustOwned):
    """A trust's own outcome for one cell; cells without a row use the default key."""

    cell = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    outcome = models.CharField(max_length=20, choices=rubric.OUTCOME_CHOICES)

    class Meta(TrustOwned.Meta):
        ordering = ["cell"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust", "cell"], name="outcome_key_unique_cell"),
        ]

    def __str__(self) -> str:
        return f"{self.cell} → {self.get_outcome_display()}"


class WritingFrameManager(SharedOrTenantManager):
    def get_by_natural_key(self, part: int, cell: int) -> WritingFrame:
        """A shared frame by (part, cell): what fixtures/writing_frames.json names, so
        ``loaddata`` updates the shared rows in place and never touches a trust's own."""
        return self.unscoped().get(trust__isnull=True, part=part, cell=cell)


class WritingFrame(models.Model):
    """A reviewer-statement writing frame. A null trust is the shared default (loaded from
    fixtures/writing_frames.json); a trust's own row for the same part and cell replaces it."""

    class Part(models.IntegerChoices):
        ONE = 1, "Part 1"
        TWO = 2, "Part 2"

    trust = models.ForeignKey(
        "growth.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    part = models.PositiveSmallIntegerField(choices=Part.choices, default=Part.ONE)
    cell = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(10)],
        help_text="The grid cell 1-10 for part 1; 0 for part 2.",
    )
    source_text = models.TextField(
        blank=True, help_text="The guide's own wording, kept verbatim where the guide gives one."
    )
    body = models.TextField(help_text="The frame, with [[slot]] where the reviewer chooses.")
    slots = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WritingFrameManager()

    class Meta:
        ordering = ["part", "cell"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "part", "cell"],
                name="writing_frame_unique_per_trust",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"Part {self.part}, frame {self.cell}" if self.part == 1 else "Part 2"

    def natural_key(self) -> tuple[int, int]:
        return (self.part, self.cell)

    def clean(self) -> None:
        from reviews.frames import FrameError, parse_slots

        try:
            parse_slots(self.body, self.slots or {})
        except FrameError as exc:
            raise ValidationError({"slots": list(exc.errors.values())}) from exc


class Review(TrustOwned):
    """One person's review for one cycle: placement, statement, final decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Awaiting final decision"
        DECIDED = "decided", "Decided and released"

    class Decision(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        AMENDED = "amended", "Amended"

    class EarlyReason(models.TextChoices):
        """Why a review was submitted before the review window or without the July
        reflection (a fixed list, so the head can see and compare them)."""

        LEAVING = "leaving", "The person is leaving"
        LONG_TERM_ABSENCE = "long_term_absence", "Long-term absence"
        OTHER = "other", "Other (say why)"

    staff_member = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="reviews")
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="reviews_written"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    # Placement
    suggested_engagement = models.PositiveSmallIntegerField(null=True, blank=True)
    engagement_evidence = models.JSONField(default=list, blank=True)
    cell = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    engagement_override_reason = models.TextField(blank=True)
    headteacher_consulted_on = models.DateField(null=True, blank=True)
    headteacher_consulted_note = models.TextField(blank=True)
    placed_outcome = models.CharField(max_length=20, choices=rubric.OUTCOME_CHOICES, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)

    # Statement
    frame_choices = models.JSONField(default=dict, blank=True)
    part1 = models.TextField(blank=True)
    considers_objectives = models.BooleanField(default=True)
    considers_job_description = models.BooleanField(default=True)
    considers_standards = models.BooleanField(default=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Submitted early or without the July reflection: the reason, and what was missing then.
    early_reason = models.CharField(max_length=30, choices=EarlyReason.choices, blank=True)
    early_reason_text = models.TextField(blank=True)
    missing_evidence = models.JSONField(default=list, blank=True)

    # Final decision (headteacher/manager); deciding locks and releases the statement.
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    final_outcome = models.CharField(max_length=20, choices=rubric.OUTCOME_CHOICES, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # In which capacity ``decided_by`` decided (separation of duties, growth/domain/duties.py).
    decided_as = models.CharField(max_length=30, choices=DecisionCapacity.choices, blank=True)

    # The person
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    staff_comment = models.TextField(blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["staff_member__user__last_name", "staff_member__user__first_name"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "staff_member", "cycle"], name="review_one_per_person_cycle"
            ),
            models.CheckConstraint(
                condition=~models.Q(cell=1) | models.Q(headteacher_consulted_on__isnull=False),
                name="review_not_met_needs_headteacher_consulted",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="amended") | ~models.Q(decision_reason=""),
                name="review_amendment_needs_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["trust", "cycle", "status"]),
            models.Index(fields=["trust", "reviewer"]),
        ]

    def __str__(self) -> str:
        return f"Review of {self.staff_member} ({self.cycle})"

    @property
    def is_flagged(self) -> bool:
        """Submitted before the review window or without the evidence the window expects."""
        return bool(self.early_reason)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.DECIDED

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.DECIDED

    @property
    def outcome(self) -> str:
        """The outcome that stands: the final decision once made, else the placement's."""
        return self.final_outcome or self.placed_outcome

    @property
    def outcome_label(self) -> str:
        return rubric.OUTCOME_LABELS.get(self.outcome, "Not placed")

    @property
    def outcome_sentence(self) -> str:
        if not self.outcome:
            return ""
        return rubric.OUTCOME_SENTENCES[self.outcome].format(cycle=self.cycle.name)

    @property
    def cell_label(self) -> str:
        return rubric.cell_label(self.cell) if self.cell else "Not placed"

    @property
    def considerations(self) -> list[str]:
        return [
            label
            for label, on in (
                ("Objectives", self.considers_objectives),
                ("Job description", self.considers_job_description),
                ("Standards", self.considers_standards),
            )
            if on
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        trust_id = self.trust_id
        for name in ("staff_member", "cycle", "reviewer", "decided_by"):
            related = getattr(self, name, None)
            if related is not None and trust_id and related.trust_id != trust_id:
                errors[name] = "That belongs to another trust."
        if self.cell == 1 and not self.headteacher_consulted_on:
            errors["headteacher_consulted_on"] = (
                "Record when you consulted the headteacher before entering Not met."
            )
        if errors:
            raise ValidationError(errors)


class ReviewComment(TrustOwned):
    """A comment on a review by someone the trust lets read it, such as a headteacher's
    external adviser. Comments are kept; none is edited or removed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=4000)

    class Meta(TrustOwned.Meta):
        ordering = ["created_at"]

    @property
    def staff_member(self) -> StaffMember:
        return self.review.staff_member


class StatementVersion(TrustOwned):
    """A kept version of the statement. Autosaves fold into the latest version while the same
    person keeps typing; a pause, another editor or an explicit save starts a new one."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    cell = models.PositiveSmallIntegerField(null=True, blank=True)
    frame_choices = models.JSONField(default=dict, blank=True)
    part1 = models.TextField(blank=True)
    saved_by = models.ForeignKey(
        StaffMember, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    autosaved = models.BooleanField(default=False)

    class Meta(TrustOwned.Meta):
        ordering = ["-number"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "review", "number"], name="statement_version_unique_number"
            ),
        ]

    @property
    def staff_member(self) -> StaffMember:
        return self.review.staff_member


class StatementPdf(TrustOwned):
    """A rendered statement. The content hash is of everything the PDF shows, so the same
    content is rendered once and any change renders a new file."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="pdfs")
    content_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(upload_to="statements/", blank=True)
    render_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-created_at"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "review", "content_hash"], name="statement_pdf_unique_content"
            ),
        ]

    @property
    def staff_member(self) -> StaffMember:
        return self.review.staff_member


class SchoolZip(TrustOwned):
    """All of a school's statements for a cycle as one zip, built in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="statement-zips/", blank=True)
    error = models.TextField(blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class JulyReflection(TrustOwned):
    """The person's July reflection: each objective met / partially met / not met with its
    evidence, and the impact on self, others and trust."""

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="july_reflections"
    )
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.PROTECT, related_name="+")
    impact_self = models.TextField("Impact on self", blank=True)
    impact_others = models.TextField("Impact on others", blank=True)
    impact_trust = models.TextField("Impact on trust", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "staff_member", "cycle"], name="july_reflection_one_per_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"July reflection of {self.staff_member} ({self.cycle})"


class ObjectiveReflection(TrustOwned):
    class Rating(models.TextChoices):
        MET = "met", "Met"
        PARTIALLY_MET = "partially_met", "Partially met"
        NOT_MET = "not_met", "Not met"

    reflection = models.ForeignKey(
        JulyReflection, on_delete=models.CASCADE, related_name="objective_ratings"
    )
    objective = models.ForeignKey(
        "objectives.Objective", on_delete=models.CASCADE, related_name="july_ratings"
    )
    rating = models.CharField(max_length=20, choices=Rating.choices)
    evidence = models.TextField(blank=True)

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "reflection", "objective"], name="objective_reflection_unique"
            ),
        ]
