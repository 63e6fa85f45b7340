"""Core domain: the trust (tenant), its schools and teams, its people and their roles,
the growth cycle with its terms, and the trust's priorities. Every other app builds on these."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from growth.domain.audit_labels import action_label, record_kind
from growth.security.tenancy import TrustOwned


def contrast_with_white(colour: str) -> float:
    """WCAG 2 contrast ratio of white text on ``colour`` (#rrggbb)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def validate_brand_colour(colour: str) -> None:
    """A colour the header can be painted in: #rrggbb, dark enough for its white text to meet
    WCAG AA (4.5:1)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        raise ValidationError(f"{colour!r} is not a colour: write it as # and six hex digits.")
    ratio = contrast_with_white(colour)
    if ratio < 4.5:
        raise ValidationError(
            f"White text on {colour} has a contrast of {ratio:.1f}:1; choose a darker colour "
            "(it needs at least 4.5:1 to be readable)."
        )


class Trust(models.Model):
    """A multi-academy trust: the tenant. Everything personal hangs off one trust."""

    # The settings the trust's admins change themselves, in the order their page shows them
    # (its name and slug are the platform admin's).
    SETTINGS = (
        "checkin_cadence_days",
        "checkin_length_minutes",
        "reminder_notice_days",
        "observation_minutes_per_term",
        "observation_terms_per_year",
        "peer_visits_use_observation_minutes",
        "early_career_teachers_write_plan",
        "early_career_exempt_from_objectives",
        "performance_concerns_policy_url",
        "retention_months",
        "require_mfa_for_leaders",
        "email_domains",
        "microsoft_tenant_id",
        "google_workspace_domain",
        "brand_colour",
    )

    public_id = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    brand_colour = models.CharField(
        "Header colour",
        max_length=7,
        default="#1d3557",
        validators=[validate_brand_colour],
        help_text="The colour of the header bar and of the printed statements' heading, behind "
        "white text.",
    )

    # Sign-in
    require_mfa_for_leaders = models.BooleanField(
        default=False,
        help_text="Headteachers, managers and trust admins must set up two-factor sign-in.",
    )
    email_domains = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated email domains of the trust's own accounts, e.g. trust.org.uk. "
        "Microsoft and Google sign-in accept only these.",
    )
    microsoft_tenant_id = models.CharField(
        max_length=64, blank=True, help_text="Entra ID (Azure AD) tenant id allowed to sign in."
    )
    google_workspace_domain = models.CharField(
        max_length=200, blank=True, help_text="Google Workspace hosted domain allowed to sign in."
    )

    # Growth settings used across the apps.
    checkin_cadence_days = models.PositiveSmallIntegerField(
        default=14, validators=[MinValueValidator(7), MaxValueValidator(56)]
    )
    checkin_length_minutes = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    reminder_notice_days = models.PositiveSmallIntegerField(
        default=2, validators=[MaxValueValidator(28)]
    )
    observation_minutes_per_term = models.PositiveSmallIntegerField(default=30)
    observation_terms_per_year = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="With the minutes per term, this caps a person's observations in a year "
        "(seed 002: 30 minutes a term \u00d7 6).",
    )
    peer_visits_use_observation_minutes = models.BooleanField(
        default=False,
        help_text="Whether a peer learning visit (a teacher observing a colleague to learn) "
        "uses up the host's observation minutes. Seed 004 makes it the visitor's learning.",
    )
    early_career_teachers_write_plan = models.BooleanField(
        default=False,
        help_text="Whether ECT 1 and ECT 2 teachers also write the GROW professional growth "
        "plan (seed 004 exempts them from it; they write three objectives and hold check-ins "
        "like everyone else).",
    )
    early_career_exempt_from_objectives = models.BooleanField(
        default=False,
        help_text="Widen the exemption: ECT 1 and ECT 2 teachers write no objectives and hold "
        "no check-ins either (seed 002 asks for \u201c3 objectives and check-ins for all\u201d).",
    )
    # Cell 1 ("may be on capability process"): performance concerns are handled under the
    # trust's separate policy; the app keeps no capability case, only this link.
    performance_concerns_policy_url = models.URLField(
        blank=True,
        help_text="Link to the trust's Managing Performance Concerns (capability) policy, shown "
        "to the headteacher and HR when a review is placed in cell 1.",
    )
    retention_months = models.PositiveSmallIntegerField(
        default=72, help_text="How long leavers' growth records are kept after their leave date."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def email_domain_list(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split(",") if d.strip()]


class School(TrustOwned):
    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        CENTRAL = "central", "Central services"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SCHOOL)

    class Meta(TrustOwned.Meta):
        ordering = ["kind", "name"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust", "name"], name="school_unique_name_per_trust"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def leader_title(self) -> str:
        return "Headteacher" if self.kind == self.Kind.SCHOOL else "Manager"


class CareerStageManager(models.Manager["CareerStage"]):
    def get_by_natural_key(self, code: str) -> CareerStage:
        return self.get(code=code)


class CareerStage(models.Model):
    """The seven career stages of the descriptors (shared reference data, no trust)."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(unique=True)
    preamble = models.TextField(blank=True)

    objects = CareerStageManager()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def next_stage(self) -> CareerStage | None:
        return CareerStage.objects.filter(order__gt=self.order).order_by("order").first()

    EARLY_CAREER_CODES = frozenset({"ect1", "ect2"})

    @property
    def is_early_career(self) -> bool:
        return self.code in self.EARLY_CAREER_CODES


class PayRange(models.TextChoices):
    """The teachers' pay ranges (seed 004): where a teacher's pay sits, and so whether they
    progress along a range or may apply to cross onto the Upper Pay Scale."""

    NONE = "", "Not on a teachers' range"
    MAIN = "main", "Main pay range"
    UPPER = "upper", "Upper pay range"
    LEADING_PRACTITIONER = "leading_practitioner", "Leading practitioner range"


# How many points each range has (the national pay ranges: M1-M6, U1-U3, L1-L18), and the
# letter its points are written with ("M3").
PAY_POINTS = {PayRange.MAIN: 6, PayRange.UPPER: 3, PayRange.LEADING_PRACTITIONER: 18}
PAY_LETTERS = {PayRange.MAIN: "M", PayRange.UPPER: "U", PayRange.LEADING_PRACTITIONER: "L"}


class StaffMember(TrustOwned):
    """A person's membership of one trust. History (plans, check-ins, reviews) hangs off this
    row, so a move between schools inside the trust keeps it."""

    class Category(models.TextChoices):
        TEACHING = "teaching", "Teaching"
        SUPPORT = "support", "Support"
        CENTRAL = "central", "Central services"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_member"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff")
    job_title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    career_stage = models.ForeignKey(
        CareerStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    start_date = models.DateField(default=dt.date.today)
    leave_date = models.DateField(null=True, blank=True)
    fte = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.000"))],
    )
    holds_tlr = models.BooleanField("Holds a TLR", default=False)
    is_senior_leader = models.BooleanField(default=False)
    is_coaching_facilitator = models.BooleanField("Trained coaching facilitator", default=False)
    coaching_qualified = models.BooleanField("Holds the coaching qualification", default=False)
    asked_for_leadership_goal = models.BooleanField(
        "Writes a leadership goal",
        default=False,
        help_text="Asked to write a leadership goal although not on the upper pay range, a TLR "
        "holder or a senior leader (they always write one).",
    )
    is_active = models.BooleanField(default=True)
    # Pay (seed 004): the teachers' range and point, for pay progression and the Upper Pay
    # Scale. Empty for anyone not paid on a teachers' range.
    pay_range = models.CharField(
        max_length=30, choices=PayRange.choices, default=PayRange.NONE, blank=True
    )
    pay_point = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(18)]
    )

    class Meta(TrustOwned.Meta):
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust", "user"], name="staff_unique_user_per_trust"),
        ]
        indexes = [
            models.Index(fields=["trust", "school"]),
            models.Index(fields=["trust", "line_manager"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.user.get_full_name() or self.user.email

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def writes_leadership_goal(self) -> bool:
        upr = self.career_stage is not None and self.career_stage.code in {"upr1", "upr23"}
        return upr or self.holds_tlr or self.is_senior_leader or self.asked_for_leadership_goal

    @property
    def pay_position(self) -> str:
        """The range and point as payroll writes them ("M3", "U1"), or the range's name."""
        if self.pay_range and self.pay_point:
            return f"{PAY_LETTERS[PayRange(self.pay_range)]}{self.pay_point}"
        return PayRange(self.pay_range or "").label

    @property
    def can_progress(self) -> bool:
        """On a teachers' range below its top point: eligible for pay progression."""
        top = PAY_POINTS.get(PayRange(self.pay_range or ""))
        return bool(top and self.pay_point and self.pay_point < top)

    def clean(self) -> None:
        pay_problem = pay_position_problem(self.category, self.pay_range, self.pay_point)
        if pay_problem:
            raise ValidationError(pay_problem)
        if self.category == self.Category.TEACHING and self.career_stage_id is None:
            raise ValidationError({"career_stage": "Teaching staff need a career stage."})
        if self.category != self.Category.TEACHING and self.career_stage_id is not None:
            raise ValidationError({"career_stage": "Only teaching staff have a career stage."})
        if self.leave_date and not self.start_date:
            raise ValidationError({"start_date": "Give the start date as well as the leave date."})
        if self.leave_date and self.start_date and self.leave_date < self.start_date:
            raise ValidationError({"leave_date": "The leave date is before the start date."})
        if self.line_manager_id and self.line_manager_id == self.pk:
            raise ValidationError({"line_manager": "Nobody can line-manage themselves."})
        if self.school_id and self.trust_id and self.school.trust_id != self.trust_id:
            raise ValidationError({"school": "That school belongs to another trust."})


def pay_position_problem(category: str, pay_range: str, pay_point: int | None) -> dict:
    """What is wrong with a pay range and point, by field ({} when nothing is)."""
    if not pay_range:
        return {"pay_point": "Leave the pay point empty: there is no range."} if pay_point else {}
    if category != StaffMember.Category.TEACHING:
        return {"pay_range": "Only teaching staff are paid on a teachers' range."}
    top = PAY_POINTS[PayRange(pay_range)]
    if not pay_point or not 1 <= pay_point <= top:
        return {"pay_point": f"The {PayRange(pay_range).label.lower()} has points 1 to {top}."}
    return {}


class SchoolMove(TrustOwned):
    """One row per change of school, so the person's path through the trust is kept."""

    staff_member = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="moves")
    from_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField(default=dt.date.today)

    class Meta(TrustOwned.Meta):
        ordering = ["moved_on"]


class RoleAssignment(TrustOwned):
    """A leadership role: headteacher/manager of one school or unit, or trust admin (HR)."""

    class Role(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher / manager"
        TRUST_ADMIN = "trust_admin", "Trust admin"
        # Acts for an absent headteacher of one school: makes the final decisions there.
        ACTING_HEADTEACHER = "acting_headteacher", "Deputy acting for an absent headteacher"
        # Takes the final decision wherever the usual decider is conflicted (their own review,
        # one they wrote, a headteacher's own review), e.g. the CEO or an executive head.
        DESIGNATED_DECIDER = "designated_decider", "Designated decider (e.g. CEO)"

    staff_member = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="leaders"
    )

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "staff_member", "role", "school"], name="role_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    role__in=["trust_admin", "designated_decider"], school__isnull=True
                )
                | models.Q(role__in=["headteacher", "acting_headteacher"], school__isnull=False),
                name="role_school_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = f" of {self.school}" if self.school_id else ""
        return f"{self.get_role_display()}{where}"


class LeaderReviewArrangement(TrustOwned):
    """Who reviews a headteacher or manager, whose line manager is not in their own school.
    Without a named reviewer their line manager (usually in the central team) reviews them;
    an adviser (e.g. an external adviser with an account in the trust) may read and comment.
    The final decision on a leader's review is always the trust's designated decider's."""

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="review_arrangements"
    )
    reviewer = models.ForeignKey(
        StaffMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leaders_reviewed",
        help_text="Leave empty for their line manager.",
    )
    adviser = models.ForeignKey(
        StaffMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leaders_advised",
        help_text="May read their growth records and comment on their review.",
    )

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "staff_member"], name="leader_review_one_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Review arrangement for {self.staff_member}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("reviewer", "adviser"):
            person = getattr(self, name)
            if person is None:
                continue
            if person.pk == self.staff_member_id:
                errors[name] = "Nobody reviews or advises on their own growth year."
            elif person.trust_id != self.trust_id:
                errors[name] = "That person belongs to another trust."
            elif person.school_id == self.staff_member.school_id:
                errors[name] = (
                    "Their own school's staff do not see a headteacher's growth records: "
                    "choose someone from outside the school."
                )
        if errors:
            raise ValidationError(errors)


class GrowthCycle(TrustOwned):
    """One year of professional growth, e.g. "2025-26", with its deadlines."""

    name = models.CharField(max_length=40, help_text='e.g. "2025-26"')
    start_date = models.DateField()
    end_date = models.DateField()
    objectives_deadline = models.DateField(help_text="Objectives agreed by, e.g. 31 October.")
    reflection_opens = models.DateField(help_text="July reflection window opens.")
    reflection_closes = models.DateField(help_text="July reflection window closes.")
    review_deadline = models.DateField()
    final_decision_deadline = models.DateField()
    # When reviewers may submit end-of-year reviews; empty means the summer term.
    review_window_opens = models.DateField(null=True, blank=True)
    review_window_closes = models.DateField(null=True, blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-start_date"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust", "name"], name="cycle_unique_name_per_trust"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = "The cycle must end after it starts."
        inside = {
            "objectives_deadline": self.objectives_deadline,
            "reflection_opens": self.reflection_opens,
            "reflection_closes": self.reflection_closes,
            "review_deadline": self.review_deadline,
            "final_decision_deadline": self.final_decision_deadline,
            "review_window_opens": self.review_window_opens,
            "review_window_closes": self.review_window_closes,
        }
        if self.start_date and self.end_date:
            for field, value in inside.items():
                if value and not (self.start_date <= value <= self.end_date):
                    errors[field] = "This date must fall inside the cycle."
        if (
            self.reflection_opens
            and self.reflection_closes
            and self.reflection_closes < self.reflection_opens
        ):
            errors["reflection_closes"] = "The window closes before it opens."
        if (
            self.review_window_opens
            and self.review_window_closes
            and self.review_window_closes < self.review_window_opens
        ):
            errors["review_window_closes"] = "The review window closes before it opens."
        if errors:
            raise ValidationError(errors)

    def contains(self, day: dt.date) -> bool:
        return self.start_date <= day <= self.end_date

    def review_window(self) -> tuple[dt.date, dt.date]:
        """When end-of-year reviews are submitted: the trust's dates, else the summer term
        (the terms named "Summer…"), else from the July reflection to the cycle's end."""
        opens, closes = self.review_window_opens, self.review_window_closes
        if opens is None or closes is None:
            summer = [t for t in self.terms.all() if t.name.lower().startswith("summer")]
            default_opens = min((t.start_date for t in summer), default=self.reflection_opens)
            default_closes = max((t.end_date for t in summer), default=self.end_date)
            opens = opens or default_opens
            closes = closes or default_closes
        return opens, closes


class Term(TrustOwned):
    """A term of the cycle. The gaps between terms are the holidays."""

    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=60)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta(TrustOwned.Meta):
        ordering = ["start_date"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust", "cycle", "name"], name="term_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The term ends before it starts."})


class Closure(TrustOwned):
    """A closure inside term time (bank holiday, training day): no check-ins are due."""

    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="closures")
    name = models.CharField(max_length=100)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta(TrustOwned.Meta):
        ordering = ["start_date"]


class TrustPriority(TrustOwned):
    """A trust pillar, e.g. "Success through learning" or "Trust of choice"."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TrustOwned.Meta):
        ordering = ["order", "name"]
        verbose_name_plural = "trust priorities"
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(fields=["trust", "name"], name="priority_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class StrategicGoal(TrustOwned):
    """A strategic goal under a priority. With a school set, it is that school's focus for the
    Impact on Trust objective (set by the headteacher)."""

    priority = models.ForeignKey(TrustPriority, on_delete=models.PROTECT, related_name="goals")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )
    cycle = models.ForeignKey(
        GrowthCycle, null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )

    class Meta(TrustOwned.Meta):
        ordering = ["priority__order", "title"]

    def __str__(self) -> str:
        return self.title


class AuditEvent(TrustOwned):
    """Who did what, when, with the state before and after. Written only by services."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    subject = models.ForeignKey(
        StaffMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        help_text="The person whose record this is about.",
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta(TrustOwned.Meta):
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["trust", "subject", "-at"]),
            models.Index(fields=["trust", "object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.what}: {self.record_kind}"

    @property
    def what(self) -> str:
        return action_label(self.action, self.object_type)

    @property
    def record_kind(self) -> str:
        return record_kind(self.object_type)


class GrowthProgress(TrustOwned):
    """One person's progress through one growth cycle: the figures the home pages, the team,
    school and trust reports and their exports show, one row per person per cycle.

    Kept by the services in the same transaction as every write that changes them
    (``growth.reporting.progress.progress_refresh``) and rebuildable from the records
    (``manage.py rebuild_progress``), the way Zulip's ``analytics`` keeps its counts: a school
    or trust table is then one GROUP BY over these rows, not a year of check-ins. Each app
    owns its own columns (``<app>/progress.py``); the check-in figures move with the calendar
    too, so they carry the day they were worked out for and the next day they change on, and
    the daily sweep moves on every row whose day has come.
    """

    staff_member = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="progress")
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="progress")
    # The person's school when the row was worked out: a refresh after a move then knows
    # which school's summary (``SchoolProgress``) the person has left.
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")

    # The growth plan (objectives app). Empty state: no plan started.
    plan_public_id = models.UUIDField(null=True, blank=True)
    plan_state = models.CharField(max_length=20, blank=True)
    objectives_agreed_at = models.DateTimeField(null=True, blank=True)

    # The self-review against the standards (standards app). Empty: not started.
    self_review_state = models.CharField(max_length=20, blank=True)

    # Check-ins and observations (checkins app), as of ``checkins_as_of``.
    checkins_due = models.PositiveIntegerField(default=0, help_text="Due so far.")
    checkins_held = models.PositiveIntegerField(default=0)
    checkins_excused = models.PositiveIntegerField(default=0)
    checkins_expected = models.PositiveIntegerField(
        default=0, help_text="Due so far, less absences with a reason."
    )
    checkins_overdue = models.PositiveIntegerField(default=0)
    next_checkin_on = models.DateField(null=True, blank=True)
    observations_this_term = models.PositiveSmallIntegerField(default=0)
    checkins_as_of = models.DateField(null=True, blank=True)
    checkins_change_on = models.DateField(
        null=True, blank=True, help_text="The next day on which the calendar moves a figure."
    )

    # The July reflection and the review (reviews app).
    reflection_started = models.BooleanField(default=False)
    reflection_submitted_at = models.DateTimeField(null=True, blank=True)
    review_public_id = models.UUIDField(null=True, blank=True)
    review_status = models.CharField(max_length=20, blank=True)
    reviewer = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_outcome = models.CharField(max_length=20, blank=True)
    final_outcome = models.CharField(max_length=20, blank=True)
    statement_state = models.CharField(max_length=20, blank=True)

    class Meta(TrustOwned.Meta):
        verbose_name = "growth progress"
        verbose_name_plural = "growth progress"
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "cycle", "staff_member"], name="progress_one_per_person_cycle"
            ),
        ]
        indexes = [
            models.Index(fields=["trust", "cycle", "reviewer"]),
            models.Index(fields=["trust", "cycle", "checkins_change_on"]),
        ]

    def __str__(self) -> str:
        return f"Progress of {self.staff_member_id} in {self.cycle_id}"


class SchoolProgress(TrustOwned):
    """One school's figures in one growth cycle: every school measure and chart figure counted
    over the school's active staff and their ``GrowthProgress`` rows, one row per school per
    cycle, so that a trust's table reads one row per school rather than every person's.

    Kept in the same transaction as the person rows it counts
    (``growth.reporting.school_progress``), and by the few writes that change what a school
    counts without changing a person's row (a headteacher appointed, a trust setting). A
    school with no active staff has no row. The figures are named by the apps that count them
    (their ``SchoolMeasure`` aggregates and ``ReportChart`` school figures), so they are kept
    as one JSON object rather than a column each.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="progress")
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="school_progress")
    figures = models.JSONField(default=dict)
    # ``{day: as_of}``: for each day on which some of the school's check-in figures move (the
    # rows' ``checkins_change_on``), the earliest day those rows are as of; a report read on
    # or after such a day says its figures are as of that earlier day.
    checkins_as_of = models.JSONField(default=dict)

    class Meta(TrustOwned.Meta):
        verbose_name = "school progress"
        verbose_name_plural = "school progress"
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "cycle", "school"], name="school_progress_one_per_school_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"Progress of school {self.school_id} in {self.cycle_id}"


# Data protection and task outbox models (hardening); kept in their own module.
from growth.notifications.models import Notification, NotificationPreference  # noqa: E402,F401
from growth.privacy.models import DataExport, RetentionRun, TaskOutbox  # noqa: E402,F401
