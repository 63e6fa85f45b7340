"""Check-ins: the fortnightly term-time conversation and its record, the reminders that keep
it going (exactly once), the private calendar feed, non-graded observations, peer visits and
feedback conversations.

The schedule itself is not stored: it is derived from the cycle's terms and closures and the
trust's cadence (``checkins.schedule``), so a change of term dates or cadence is reflected at
once. What *is* stored is every check-in that happened or was excused (one row per slot).
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format

from growth.models import GrowthCycle, StaffMember
from growth.security.tenancy import TrustOwned
from objectives.models import Area, Objective


class ThinkingTool(TrustOwned):
    """A thinking tool a trust asks staff to use (seed 002: "Use of Thinking Tools")."""

    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta(TrustOwned.Meta):
        ordering = ["order", "name"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust", "name"], name="thinking_tool_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Checkin(TrustOwned):
    """One slot of a person's schedule that was held, missed, moved or cancelled (or an extra
    check-in with no slot). Absence with a reason is recorded, not counted against anyone."""

    class Status(models.TextChoices):
        HELD = "held", "Held"
        MISSED = "missed", "Missed"
        MOVED = "moved", "Moved"
        CANCELLED = "cancelled", "Cancelled"

    staff_member = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="checkins")
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="checkins")
    due_on = models.DateField(
        null=True, blank=True, help_text="The scheduled date this answers; empty for an extra."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    held_on = models.DateField(null=True, blank=True)
    moved_to = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    next_step_by = models.CharField("By …", max_length=200, blank=True)
    next_step_i_am = models.CharField("I am …", max_length=500, blank=True)
    next_step_so_that = models.CharField("so that …", max_length=500, blank=True)
    recognised = models.ManyToManyField(
        StaffMember, through="Recognition", related_name="recognised_in", blank=True
    )
    thinking_tools = models.ManyToManyField(ThinkingTool, related_name="checkins", blank=True)
    took_part_in_360 = models.BooleanField("Took part in 360 feedback", default=False)
    manager_comment = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        StaffMember, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TrustOwned.Meta):
        ordering = ["-held_on", "-due_on"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "staff_member", "due_on"],
                condition=models.Q(due_on__isnull=False),
                name="checkin_one_record_per_slot",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held") | models.Q(held_on__isnull=False),
                name="checkin_held_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="moved") | models.Q(moved_to__isnull=False),
                name="checkin_moved_has_new_date",
            ),
        ]
        indexes = [models.Index(fields=["trust", "cycle", "staff_member"])]

    def __str__(self) -> str:
        when = self.held_on or self.moved_to or self.due_on
        return f"Check-in {date_format(when)} ({self.get_status_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.status == self.Status.HELD and not self.held_on:
            errors["held_on"] = "Give the date the check-in was held."
        if self.status == self.Status.MOVED and not self.moved_to:
            errors["moved_to"] = "Give the new date."
        if self.status in (self.Status.MISSED, self.Status.MOVED, self.Status.CANCELLED) and not (
            self.reason.strip()
        ):
            errors["reason"] = "Give a reason."
        if self.status != self.Status.HELD and self.due_on is None:
            errors["due_on"] = "Only a scheduled check-in can be missed, moved or cancelled."
        if self.cycle_id and self.held_on and not self.cycle.contains(self.held_on):
            errors["held_on"] = "This date is outside the growth cycle."
        if self.cycle_id and self.trust_id and self.cycle.trust_id != self.trust_id:
            errors["cycle"] = "That cycle belongs to another trust."
        if errors:
            raise ValidationError(errors)

    @property
    def is_excused(self) -> bool:
        return self.status in (self.Status.MISSED, self.Status.CANCELLED) and bool(self.reason)

    @property
    def has_next_step(self) -> bool:
        return bool(self.next_step_i_am)


class CheckinReflection(TrustOwned):
    """Progress on one objective area, noted at a check-in."""

    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="reflections")
    area = models.CharField(max_length=10, choices=Area.choices)
    objective = models.ForeignKey(
        Objective,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkin_reflections",
        help_text="The objective reflected on, when the person has one in this area.",
    )
    progress_note = models.TextField()

    class Meta(TrustOwned.Meta):
        ordering = ["area"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "checkin", "area"], name="reflection_one_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.progress_note[:40]}"

    def clean(self) -> None:
        if self.objective_id and self.objective.trust_id != self.trust_id:
            raise ValidationError({"objective": "That objective belongs to another trust."})


class Recognition(TrustOwned):
    """A colleague recognised at a check-in (seed 002: "Recognition of others")."""

    checkin = models.ForeignKey(Checkin, on_delete=models.CASCADE, related_name="recognitions")
    colleague = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "checkin", "colleague"], name="recognition_once_per_checkin"
            ),
        ]


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # Never the original name on disk: it may carry personal data or path tricks.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"checkins/{instance.trust_id}/{secrets.token_hex(16)}.{ext}"


class Evidence(TrustOwned):
    """A link or file supporting progress on one objective ("supporting info linked to
    objectives only", seed 002). Files are served only through an access-checked view."""

    reflection = models.ForeignKey(
        CheckinReflection, on_delete=models.CASCADE, related_name="evidence"
    )
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=300)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200, blank=True)

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.CheckConstraint(
                condition=(~models.Q(url="") & models.Q(file=""))
                | (models.Q(url="") & ~models.Q(file="")),
                name="evidence_link_or_file",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class ReminderPreference(TrustOwned):
    """A person's reminder choices and their private calendar feed token."""

    staff_member = models.OneToOneField(
        StaffMember, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    weekly_digest = models.BooleanField(
        default=False,
        help_text="Line managers: one email a week about your team instead of single emails.",
    )
    # Globally unique and unguessable: the feed URL is the only credential it has.
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta(TrustOwned.Meta):
        pass


class ReminderLog(TrustOwned):
    """The claim that makes reminders exactly-once: a row is inserted (ON CONFLICT DO NOTHING)
    before an email is sent, and ``sent_at`` is set in the same transaction that sends it."""

    class Kind(models.TextChoices):
        CHECKIN_DUE = "checkin_due", "Check-in due"
        CHECKIN_OVERDUE = "checkin_overdue", "Check-in overdue"
        OBJECTIVES_DEADLINE = "objectives_deadline", "Objectives deadline"
        REFLECTION_OPENS = "reflection_opens", "July reflection"
        REVIEW_DEADLINE = "review_deadline", "Review deadline"
        WEEKLY_DIGEST = "weekly_digest", "Weekly digest"

    recipient = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    about = models.ForeignKey(
        StaffMember,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Whose check-in or deadline this is (the recipient for their own).",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    target_date = models.DateField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-claimed_at"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "recipient", "kind", "target_date", "about"],
                name="reminder_once",
            ),
        ]
        indexes = [
            # Unsent claims by age, for the reclaim of lost sends. Not led by trust: an index
            # led by (trust) with this condition would tie with the primary key for the
            # per-email "mark sent" update and be chosen, scanning every unsent claim.
            models.Index(
                fields=["claimed_at"],
                condition=models.Q(sent_at__isnull=True),
                name="reminder_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_date} → {self.recipient_id}"


class Observation(TrustOwned):
    """A non-graded observation. There is deliberately no grade field: seed 004, "lesson
    observations will not be graded"."""

    class Purpose(models.TextChoices):
        SUPPORT = "support", "To help the teacher you are observing become even better"
        LEARN = "learn", "To learn from the teacher you are observing"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed (the observee chooses timing and focus)"
        AGREED = "agreed", "Agreed"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="+")
    observee = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="observed_in")
    observer = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="observing")
    date = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    focus_area = models.CharField(max_length=10, choices=Area.choices)
    focus_objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    focus_note = models.CharField(max_length=300, blank=True)
    requested_by_observee = models.BooleanField(
        default=False, help_text="Asked for by the observee: outside the per-term limit."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    notes = models.TextField(
        blank=True, help_text="Feedback as information: what was seen, never a judgement."
    )
    created_by = models.ForeignKey(
        StaffMember, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TrustOwned.Meta):
        ordering = ["-date"]
        indexes = [models.Index(fields=["trust", "observee", "date"])]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.CheckConstraint(
                condition=~models.Q(observee=models.F("observer")),
                name="observation_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"Observation of {self.observee} on {date_format(self.date)}"

    @property
    def counts_towards_limit(self) -> bool:
        return not self.requested_by_observee and self.status != self.Status.CANCELLED


SUPPORT_LEVELS = [
    "1. Your colleague identifies the issue and possible solution without any prompts from you.",
    "2. You ask several questions, including the initial probing question, that prompts "
    "reflection and identification of a possible next step.",
    "3. You provide classroom 'information', such as photos, video, audio, timeline or "
    "students' work, that prompts your colleague to reflect on their chosen focus and possible "
    "next step.",
    "4. You offer some possible solutions. If you feel that your colleague would benefit from "
    "some suggestions, ask if they would like some suggestions first and then always offer at "
    "least two possible courses of action so that they still have some level of choice over "
    "their next step.",
]


class FeedbackConversation(TrustOwned):
    """Seed 004 appendix F: praise → probe → next action step → plan ahead → lock it in."""

    class Support(models.IntegerChoices):
        # Seed 004 appendix F, "four levels of possible support", in its own words.
        UNPROMPTED = 1, SUPPORT_LEVELS[0]
        QUESTIONS = 2, SUPPORT_LEVELS[1]
        INFORMATION = 3, SUPPORT_LEVELS[2]
        SOLUTIONS = 4, SUPPORT_LEVELS[3]

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="feedback_conversations"
    )
    coach = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    observation = models.ForeignKey(
        Observation, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The earlier conversation whose action step the praise links to.",
    )
    held_on = models.DateField()
    praise = models.TextField()
    probing_question = models.TextField()
    next_action_step = models.TextField()
    support_level = models.PositiveSmallIntegerField(choices=Support.choices)
    plan_ahead = models.TextField(
        help_text="A short-term target (a small +1) and what it looks like."
    )
    timeline = models.DateField(help_text="When the next step will be in place.")
    lock_in_i_am = models.CharField("By next week I am …", max_length=500)
    lock_in_so_that = models.CharField("so that the students …", max_length=500)
    confirmed_by_colleague_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_coach_at = models.DateTimeField(null=True, blank=True)
    # Seed 004 appendix F, lock it in: the colleague summarises the feedback and names their
    # next action, in their own words ("Get them to write it down").
    colleague_summary = models.TextField(
        "Your summary of the feedback and your next action", blank=True, max_length=2000
    )

    class Meta(TrustOwned.Meta):
        ordering = ["-held_on"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(support_level__gte=1, support_level__lte=4),
                name="feedback_support_level_1_4",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback conversation with {self.staff_member} on {date_format(self.held_on)}"

    @property
    def lock_in(self) -> str:
        return f"By next week I am {self.lock_in_i_am} so that the students {self.lock_in_so_that}"

    @property
    def is_locked_in(self) -> bool:
        return bool(self.confirmed_by_colleague_at and self.confirmed_by_coach_at)
