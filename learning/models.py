"""Professional learning: a coach for everyone and the coaching sessions they hold.

Every table is trust-owned (``TrustOwned``): scoped managers, row-level security and the
cross-trust crawler cover it like the rest of the app."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from growth.models import StaffMember
from growth.tenancy import TrustOwned
from growth.text import LONG_TEXT_MAX
from objectives.models import Objective

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

    coachee = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
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
