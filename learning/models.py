"""Professional learning: a coach for everyone and the coaching sessions they hold; the
learning record (courses, qualifications, training, reading) with its cost and impact.

Every table is trust-owned (``TrustOwned``): scoped managers, row-level security and the
cross-trust crawler cover it like the rest of the app."""

from __future__ import annotations

import calendar
import datetime as dt
import secrets
from decimal import Decimal

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from growth.domain.text import LONG_TEXT_MAX
from growth.models import GrowthCycle, School, StaffMember
from growth.security.tenancy import TrustOwned
from objectives.models import Area, Objective

DEFAULT_COACHEES_PER_COACH = 6


class LearningSettings(TrustOwned):
    """The trust's own settings for professional learning (one row per trust)."""

    coachees_per_coach = models.PositiveSmallIntegerField(
        "Most coachees per coach",
        default=DEFAULT_COACHEES_PER_COACH,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="A coach is not offered, and cannot be given, more coachees than this.",
    )

    class Meta(TrustOwned.Meta):
        verbose_name = "learning settings"
        verbose_name_plural = "learning settings"
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust"], name="learning_settings_one_per_trust"),
        ]


class CoachAssignment(TrustOwned):
    """A coach for one person: a coaching-qualified colleague outside their line management.
    Ended rather than deleted, so the sessions held keep their coach."""

    # Named (not "+") so the person's subject access export and retention find it.
    coachee = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="coaching_assignments"
    )
    # Emptied, not deleted, when a coach's own records are erased (retention): the sessions
    # are the coachee's record too, and stay theirs.
    coach = models.ForeignKey(StaffMember, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-started_on", "-created_at"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "coachee"],
                condition=models.Q(ended_on__isnull=True),
                name="learning_one_current_coach",
            ),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("coachee")), name="learning_coach_not_self"
            ),
        ]
        indexes = [models.Index(fields=["trust", "coach"])]

    def __str__(self) -> str:
        return f"{self.coach} coaching {self.coachee}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class CoachingSession(TrustOwned):
    """One coaching conversation. Its focus and notes are the coach's and coachee's alone;
    everyone else sees only that it happened."""

    assignment = models.ForeignKey(
        CoachAssignment, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField("Date")
    minutes = models.PositiveSmallIntegerField(
        "Length (minutes)", validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    focus = models.CharField(max_length=200)
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX)])
    recorded_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TrustOwned.Meta):
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["trust", "assignment"])]

    def __str__(self) -> str:
        return f"Coaching session on {self.held_on}"


IMPACT_AFTER_MONTHS = 3


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (the month's last day when it is
    shorter): 30 Nov + 3 months is 28 Feb."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class LearningEntry(TrustOwned):
    """One piece of professional learning a person did, with what it cost and — asked three
    months later — what difference it made."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        QUALIFICATION = "qualification", "Qualification (e.g. an NPQ)"
        TRAINING_DAY = "training_day", "Training day"
        COACHING = "coaching", "Coaching"
        READING = "reading", "Reading or research"
        PEER_VISIT = "peer_visit", "Peer visit"

    class PaidBy(models.TextChoices):
        NOBODY = "nobody", "No cost"
        SCHOOL = "school", "The school"
        TRUST = "trust", "The trust"
        SELF = "self", "Myself"
        OTHER = "other", "Someone else (e.g. a grant)"

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="learning_entries"
    )
    # The school the person was in when they did it: its budget paid, even if they move.
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    started_on = models.DateField("Date")
    hours = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("2000"))],
    )
    cost = models.DecimalField(
        "Cost (£)",
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    paid_by = models.CharField(max_length=10, choices=PaidBy.choices, default=PaidBy.NOBODY)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="+")
    standards = models.ManyToManyField("standards.Standard", blank=True, related_name="+")
    impact_due_on = models.DateField()
    impact = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX)])
    impact_written_on = models.DateField(null=True, blank=True)

    class Meta(TrustOwned.Meta):
        verbose_name_plural = "learning entries"
        ordering = ["-started_on", "-created_at"]
        indexes = [
            models.Index(fields=["trust", "staff_member", "started_on"]),
            models.Index(fields=["trust", "school", "started_on"]),
            models.Index(fields=["trust", "impact_due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def school_funded(self) -> bool:
        return self.paid_by == self.PaidBy.SCHOOL


class LearningBudget(TrustOwned):
    """What a school sets aside for professional learning in one growth year."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(
        "Budget (£)", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    set_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "school", "cycle"], name="learning_budget_one_per_year"
            ),
        ]


def resource_upload_to(instance: Resource, filename: str) -> str:
    # Never the original name on disk: it may carry personal data or path tricks.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"learning/{instance.trust_id}/{secrets.token_hex(16)}.{ext}"


class Resource(TrustOwned):
    """An entry of the trust's resources hub: a link, a file or a page of text, tagged so
    people find what fits their objectives. An empty tag means "for everyone"."""

    class Format(models.TextChoices):
        LINK = "link", "Link"
        FILE = "file", "File"
        PAGE = "page", "Page of text"

    class Phase(models.TextChoices):
        EARLY_YEARS = "early_years", "Early years"
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"
        POST_16 = "post_16", "Post-16"
        SPECIAL = "special", "Special"

    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    format = models.CharField(max_length=10, choices=Format.choices)
    url = models.URLField("Link", max_length=500, blank=True)
    file = models.FileField(upload_to=resource_upload_to, blank=True, max_length=300)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField("Text", blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX)])
    area = models.CharField("Objective area", max_length=10, choices=Area.choices, blank=True)
    category = models.CharField(
        "Staff category", max_length=20, choices=StaffMember.Category.choices, blank=True
    )
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    standards = models.ManyToManyField("standards.Standard", blank=True, related_name="+")
    published_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TrustOwned.Meta):
        ordering = ["title"]
        indexes = [models.Index(fields=["trust", "area", "category", "phase"])]

    def __str__(self) -> str:
        return self.title


class PlanReview(TrustOwned):
    """The end-of-cycle "Professional Growth Plan: Review" (seed 004): the impact of the
    person's work this year, in their words. A draft until submitted; once submitted its
    writer may share it — with their school or the whole trust — as part of the library of
    what colleagues learned, and withdraw it at any time. Sharing shares these answers only:
    never check-ins, reviews or outcomes."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class Sharing(models.TextChoices):
        PRIVATE = "", "Not shared"
        SCHOOL = "school", "Shared with my school"
        TRUST = "trust", "Shared with the whole trust"

    # Named (not "+") so the person's subject access export and retention find them.
    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="plan_reviews"
    )
    plan = models.ForeignKey(
        "objectives.GrowthPlan", on_delete=models.CASCADE, related_name="learning_reviews"
    )
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="+")
    intended = models.TextField(
        "What did you intend to achieve this year?",
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    did = models.TextField(
        "What did you do to move towards achieving this aim?",
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    impact = models.TextField(
        "What has the impact been of this work on the students' learning, how did you "
        "measure your success?",
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    recommendations = models.TextField(
        "What would you recommend colleagues to do if they focus on this area of development?",
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    other_contexts = models.TextField(
        "How could your findings be successfully implemented in other contexts?",
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    area = models.CharField("Objective area", max_length=10, choices=Area.choices, blank=True)
    standards = models.ManyToManyField("standards.Standard", blank=True, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    shared_with = models.CharField(
        max_length=10, choices=Sharing.choices, default=Sharing.PRIVATE, blank=True
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    # The writer's school when they shared it: "my school" stays the one they meant.
    shared_school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TrustOwned.Meta):
        ordering = ["-cycle__start_date", "-submitted_at"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust", "plan"], name="learning_one_review_per_plan"),
            models.CheckConstraint(
                condition=models.Q(shared_with="") | models.Q(state="submitted"),
                name="learning_only_submitted_reviews_shared",
            ),
        ]
        indexes = [models.Index(fields=["trust", "shared_with", "shared_school"])]

    def __str__(self) -> str:
        return f"Professional growth plan review: {self.staff_member} {self.cycle}"

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED
