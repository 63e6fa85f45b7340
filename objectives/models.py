"""Growth plans: each person's three objectives for a cycle (Impact on Self, Others, Trust),
the objectives bank and examples they are built from, the objectives checklist, the school's
Impact-on-Trust focus, and the agreement record (every version, who agreed it, when)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.formats import date_format

from growth.models import GrowthCycle, School, StaffMember, StrategicGoal, TrustPriority
from growth.security.tenancy import SharedOrTenantManager, TrustOwned

# Lengths are limits a person can reach by pasting, so every one has a clear error message
# (forms) and a matching database bound (models), never a silent truncation.
TO_MAX = 500
PHRASE_MAX = 300
PHRASES_MAX = 10
LONG_TEXT_MAX = 4000


class Area(models.TextChoices):
    SELF = "self", "Impact on Self"
    OTHERS = "others", "Impact on Others"
    TRUST = "trust", "Impact on Trust"


AREA_ORDER = [Area.SELF, Area.OTHERS, Area.TRUST]


class GrowthPlan(TrustOwned):
    """One person's plan for one cycle. Staff own it; their line manager agrees it."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for agreement"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        AGREED = "agreed", "Agreed"

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="growth_plans"
    )
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.PROTECT, related_name="growth_plans")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    # The version being written or agreed now; 1 until the first agreement, then each edit of
    # an agreed plan opens the next one.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The latest version that was agreed."
    )
    # GROW notes (seed 004 appendix B) and the leadership goal (appendix E), keyed by the
    # prompt keys in objectives/grow.py. Optional; the leadership goal is for UPR, TLR
    # holders and senior leaders.
    grow_notes = models.JSONField(default=dict, blank=True)
    leadership_goal = models.JSONField(default=dict, blank=True)
    # What was typed on the GROW page but not saved yet (autosave): the raw form fields.
    # Kept apart from grow_notes so that typing never reopens an agreed plan; a real save
    # clears it.
    grow_autosave = models.JSONField(default=dict, blank=True)
    grow_autosaved_at = models.DateTimeField(null=True, blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-cycle__start_date"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "staff_member", "cycle"], name="plan_unique_per_person_cycle"
            ),
        ]
        indexes = [models.Index(fields=["trust", "cycle", "state"])]

    def __str__(self) -> str:
        return f"{self.staff_member}, {self.cycle}"

    @property
    def is_agreed(self) -> bool:
        return self.state == self.State.AGREED

    @property
    def has_been_agreed(self) -> bool:
        return self.agreed_version is not None

    def clean(self) -> None:
        if self.staff_member_id and self.staff_member.trust_id != self.trust_id:
            raise ValidationError({"staff_member": "That person belongs to another trust."})
        if self.cycle_id and self.cycle.trust_id != self.trust_id:
            raise ValidationError({"cycle": "That cycle belongs to another trust."})


class Objective(TrustOwned):
    """One of the plan's three objectives: "To … through … in order to … by …"."""

    plan = models.ForeignKey(GrowthPlan, on_delete=models.CASCADE, related_name="objectives")
    area = models.CharField(max_length=10, choices=Area.choices)
    to_text = models.CharField("To", max_length=TO_MAX, blank=True)
    through = models.JSONField(
        "Through", default=list, blank=True, help_text="Key activities: at least one."
    )
    in_order_to = models.JSONField(
        "In order to", default=list, blank=True, help_text="The impact and how it is measured."
    )
    by_date = models.DateField("By", null=True, blank=True)
    success_criteria = models.TextField(
        "How will I know I have been successful?",
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT_MAX)],
    )
    priority = models.ForeignKey(
        TrustPriority, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    strategic_goal = models.ForeignKey(
        StrategicGoal, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_coaching_qualification = models.BooleanField(
        "This objective is completing the coaching qualification", default=False
    )
    standards = models.ManyToManyField(
        "standards.Standard", through="ObjectiveStandard", blank=True, related_name="+"
    )
    # What the person typed but has not saved yet (autosave). Kept until a valid save, so a
    # refresh or a validation error never loses a word.
    autosave = models.JSONField(default=dict, blank=True)
    autosaved_at = models.DateTimeField(null=True, blank=True)
    # Last year's objective this one carries on (September's "carry forward"): the new plan
    # shows it as carried forward, and last year's stays as it was.
    carried_forward_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_into"
    )

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "plan", "area"], name="objective_one_per_area_per_plan"
            ),
            models.CheckConstraint(
                condition=models.Q(area__in=[a.value for a in Area]), name="objective_area_valid"
            ),
        ]
        indexes = [
            # The coaching rule asks who has a coaching-qualification objective: a few rows
            # among a trust's thousands of objectives (objectives.selectors._coaching_objectives).
            models.Index(
                fields=["trust", "plan"],
                condition=models.Q(is_coaching_qualification=True),
                name="objective_coaching",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.to_text or '(not written yet)'}"

    @property
    def area_order(self) -> int:
        return AREA_ORDER.index(self.area)

    @property
    def sentence(self) -> str:
        return objective_sentence(
            to_text=self.to_text,
            through=self.through,
            in_order_to=self.in_order_to,
            by_date=self.by_date,
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("through", "in_order_to"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors[name] = "This must be a list of phrases."
            elif len(value) > PHRASES_MAX:
                errors[name] = f"At most {PHRASES_MAX} phrases."
            elif any(len(v) > PHRASE_MAX for v in value):
                errors[name] = f"Each phrase can be at most {PHRASE_MAX} characters."
        plan = self.plan if self.plan_id else None
        if plan is not None:
            if plan.trust_id != self.trust_id:
                errors["plan"] = "That plan belongs to another trust."
            cycle = plan.cycle
            if self.by_date and not cycle.contains(self.by_date):
                errors["by_date"] = (
                    f"The date must fall inside the {cycle.name} cycle "
                    f"({date_format(cycle.start_date)} to "
                    f"{date_format(cycle.end_date)})."
                )
        if self.priority_id and self.priority.trust_id != self.trust_id:
            errors["priority"] = "Choose one of your trust's priorities."
        if self.strategic_goal_id:
            if self.strategic_goal.trust_id != self.trust_id:
                errors["strategic_goal"] = "Choose one of your trust's strategic goals."
            elif self.priority_id and self.strategic_goal.priority_id != self.priority_id:
                errors["strategic_goal"] = "That goal sits under a different priority."
        if errors:
            raise ValidationError(errors)

    def as_snapshot(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "to": self.to_text,
            "through": list(self.through),
            "in_order_to": list(self.in_order_to),
            "by": self.by_date.isoformat() if self.by_date else None,
            "success_criteria": self.success_criteria,
            "priority": self.priority.name if self.priority_id else None,
            "strategic_goal": self.strategic_goal.title if self.strategic_goal_id else None,
            "is_coaching_qualification": self.is_coaching_qualification,
            "standards": [st.ref for st in self.standards.all()],
            "sentence": self.sentence,
        }


class ObjectiveStandard(TrustOwned):
    """An optional link from an objective to a standard it develops (shared or the trust's)."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="standard_links"
    )
    standard = models.ForeignKey("standards.Standard", on_delete=models.PROTECT, related_name="+")

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "objective", "standard"], name="objective_standard_unique"
            ),
        ]

    def clean(self) -> None:
        if self.standard_id and self.standard.trust_id not in (None, self.trust_id):
            raise ValidationError({"standard": "That standard belongs to another trust."})


def join_phrases(phrases: list[str]) -> str:
    phrases = [p.strip() for p in phrases if p and p.strip()]
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def objective_sentence(
    *, to_text: str, through: list[str], in_order_to: list[str], by_date: dt.date | None
) -> str:
    """ "To … through … in order to … by …", with gaps shown as ellipses while writing."""
    by = date_format(by_date, "F Y") if by_date else "…"
    return (
        f"To {to_text.strip() or '…'} through {join_phrases(through) or '…'} "
        f"in order to {join_phrases(in_order_to) or '…'} by {by}."
    )


class PlanVersion(TrustOwned):
    """A version of the plan as submitted and (perhaps) agreed: a frozen copy of the three
    objectives, the GROW notes and the leadership goal."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        AGREED = "agreed", "Agreed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    plan = models.ForeignKey(GrowthPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.SUBMITTED)
    snapshot = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    agreed_by = models.ForeignKey(
        StaffMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["-number"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "plan", "number"], name="plan_version_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class PlanComment(TrustOwned):
    """A line manager's comment on a version: a change request, or a note when agreeing.
    Managers comment and agree; they never edit the objectives themselves."""

    class Kind(models.TextChoices):
        CHANGE_REQUEST = "change_request", "Changes requested"
        AGREEMENT = "agreement", "Agreed"
        COMMENT = "comment", "Comment"

    plan = models.ForeignKey(GrowthPlan, on_delete=models.CASCADE, related_name="comments")
    version_number = models.PositiveIntegerField()
    author = models.ForeignKey(StaffMember, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True, validators=[MaxLengthValidator(LONG_TEXT_MAX)])

    class Meta(TrustOwned.Meta):
        ordering = ["created_at"]


def validate_categories(value: Any) -> None:
    """A list of staff categories (``applies_to``): the rows a category is shown."""
    known = set(StaffMember.Category.values)
    if not isinstance(value, list) or not set(value) <= known:
        raise ValidationError(f"Give a list of staff categories, from {sorted(known)}.")


class ForCategories:
    """Content (a checklist question, a bank phrase) shown only to the staff categories it
    names in ``applies_to``; to every category when it names none."""

    applies_to: list[str]

    def shown_to(self, category: str) -> bool:
        return not self.applies_to or category in self.applies_to


class SharedReferenceManager(SharedOrTenantManager):
    """Shared rows (null trust) load from fixtures by their natural key."""

    def get_by_natural_key(self, key: str) -> Any:
        return self.unscoped().get(trust__isnull=True, key=key)


class ChecklistQuestion(ForCategories, models.Model):
    """A question of the objectives checklist (seed 002), three per area. Shared when trust is
    null; a trust may add its own."""

    trust = models.ForeignKey(
        "growth.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.SlugField(max_length=60)
    area = models.CharField(max_length=10, choices=Area.choices)
    text = models.CharField(max_length=400)
    hint = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    applies_to = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_categories],
        help_text="The staff categories asked this question; empty for every category.",
    )

    objects = SharedReferenceManager()

    class Meta:
        ordering = ["area", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(trust__isnull=True), name="checklist_shared_key"
            ),
            models.UniqueConstraint(
                fields=["trust", "key"],
                condition=models.Q(trust__isnull=False),
                name="checklist_trust_key",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str]:
        return (self.key,)


class ChecklistAnswer(TrustOwned):
    """The person's yes/no to one checklist question for one objective."""

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="checklist_answers"
    )
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.BooleanField(null=True)

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "objective", "question"], name="checklist_answer_unique"
            ),
        ]


class ObjectiveBankPhrase(ForCategories, models.Model):
    """A phrase of the objectives bank (seed 002): a "through" how-verb or what-phrase, or an
    "in order to" impact for one area. Shared when trust is null. A trust edits a shared
    phrase by adding its own row that ``replaces`` it, and hides one with ``is_hidden``."""

    class Kind(models.TextChoices):
        HOW = "how", "Through (how)"
        WHAT = "what", "Through (what)"
        IMPACT = "impact", "In order to"

    trust = models.ForeignKey(
        "growth.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    public_id = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    key = models.SlugField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    area = models.CharField(max_length=10, choices=Area.choices, blank=True)
    text = models.CharField(max_length=PHRASE_MAX)
    order = models.PositiveSmallIntegerField(default=0)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replacements"
    )
    is_hidden = models.BooleanField(default=False)
    applies_to = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_categories],
        help_text="The staff categories offered this phrase; empty for every category.",
    )

    objects = SharedReferenceManager()

    class Meta:
        ordering = ["kind", "area", "order", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(trust__isnull=True), name="bank_shared_key"
            ),
            models.UniqueConstraint(
                fields=["trust", "key"],
                condition=models.Q(trust__isnull=False),
                name="bank_trust_key",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="impact", area__in=[a.value for a in Area])
                | (~models.Q(kind="impact") & models.Q(area="")),
                name="bank_impact_has_area",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str]:
        return (self.key,)


# The date that ends an example objective ("… by October 2022."), and what follows it.
_EXAMPLE_BY = re.compile(
    r"\bby (?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{4}(\.?)\s*$"
)


class ExampleObjective(models.Model):
    """An example objective (seed 002) for a staff category and an area."""

    trust = models.ForeignKey(
        "growth.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.SlugField(max_length=60)
    category = models.CharField(max_length=20, choices=StaffMember.Category.choices)
    area = models.CharField(max_length=10, choices=Area.choices)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    objects = SharedReferenceManager()

    class Meta:
        ordering = ["area", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(trust__isnull=True), name="example_shared_key"
            ),
            models.UniqueConstraint(
                fields=["trust", "key"],
                condition=models.Q(trust__isnull=False),
                name="example_trust_key",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def dated_within(self, cycle: GrowthCycle) -> str:
        """The example with its "by <month> <year>" moved to the month of ``cycle``'s reviews,
        when objectives are looked back on: the guide's examples were written for 2021-22, and
        an example dated in the past reads as stale."""
        by = date_format(cycle.review_deadline, "F Y")
        return _EXAMPLE_BY.sub(lambda m: f"by {by}{m.group(1)}", self.text)

    def natural_key(self) -> tuple[str]:
        return (self.key,)


class SchoolFocus(TrustOwned):
    """The one strategic goal a headteacher sets for the school's Impact on Trust objectives
    in a cycle (seed 002: "the Head could select ONE of the strategic goals for all staff to
    turn into an objective")."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(StrategicGoal, on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey(StaffMember, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TrustOwned.Meta):
        verbose_name_plural = "school foci"
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "school", "cycle"], name="school_focus_one_per_cycle"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.goal}"

    def clean(self) -> None:
        for name in ("school", "cycle", "goal"):
            if getattr(self, f"{name}_id") and getattr(self, name).trust_id != self.trust_id:
                raise ValidationError({name: "That belongs to another trust."})


class DeadlineReminder(TrustOwned):
    """One row per reminder sent that a person's plan is not agreed by the deadline: the
    unique key is what makes beat send each reminder exactly once."""

    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="+")
    staff_member = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta(TrustOwned.Meta):
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "cycle", "staff_member", "recipient"],
                name="deadline_reminder_once",
            ),
        ]
