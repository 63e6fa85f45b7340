"""Frameworks of standards (the Teachers' Standards, "Thinking Customer First", a trust's own),
the "achieved expectations" descriptors per career stage, and the yearly self-review against a
framework (a prompt for reflection, not a grade).

Frameworks, their standards and descriptors are reference data: a null ``trust`` means shared
by every trust (loaded by the platform), a set ``trust`` means the trust's own and visible only
to it. Self-reviews are personal records and subclass ``TrustOwned``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from growth.models import CareerStage, GrowthCycle, StaffMember, Trust
from growth.security.tenancy import SharedOrTenantManager, TrustOwned

StaffCategory = StaffMember.Category


class FrameworkManager(SharedOrTenantManager):
    def get_by_natural_key(self, code: str, trust_slug: str | None = None) -> Framework:
        rows = self.unscoped().filter(code=code)
        if trust_slug is None:
            return rows.get(trust__isnull=True)
        return rows.get(trust__slug=trust_slug)


class Framework(models.Model):
    """A set of standards people reflect against, e.g. the Teachers' Standards."""

    trust = models.ForeignKey(
        Trust,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: shared by every trust.",
    )
    public_id = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    applies_to = models.JSONField(
        default=list,
        blank=True,
        help_text="Staff categories who self-review against this framework: "
        "teaching, support, central.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_draft = models.BooleanField(
        default=False,
        help_text="A draft is used by nobody's self-review until a trust admin publishes it.",
    )

    objects = FrameworkManager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(trust__isnull=True),
                name="framework_unique_shared_code",
            ),
            models.UniqueConstraint(
                fields=["trust", "code"],
                condition=models.Q(trust__isnull=False),
                name="framework_unique_code_per_trust",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str | None]:
        return (self.code, self.trust.slug if self.trust_id else None)

    @property
    def is_shared(self) -> bool:
        return self.trust_id is None

    def clean(self) -> None:
        known = set(StaffCategory.values)
        unknown = [c for c in (self.applies_to or []) if c not in known]
        if not isinstance(self.applies_to, list) or unknown:
            raise ValidationError({"applies_to": f"Use a list of: {', '.join(sorted(known))}."})

    def applies_to_labels(self) -> list[str]:
        labels = dict(StaffCategory.choices)
        return [labels.get(c, c) for c in self.applies_to or []]


class StandardManager(SharedOrTenantManager):
    def get_by_natural_key(
        self, framework_code: str, trust_slug: str | None, code: str
    ) -> Standard:
        framework = Framework.objects.get_by_natural_key(framework_code, trust_slug)
        return self.unscoped().get(framework=framework, code=code)


class Standard(models.Model):
    """One standard of a framework. A standard with sub-standards is a heading (people write
    their next steps against it); a standard without is rated."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    # Copied from the framework so a trust's rows are filtered like every other tenant row.
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    public_id = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(
        max_length=20, help_text='Unique in the framework, e.g. "1", "1.1" or "P2.1".'
    )
    label = models.CharField(
        max_length=20, blank=True, help_text="Shown instead of the code when set."
    )
    alt_code = models.CharField(
        max_length=20,
        blank=True,
        help_text='Another numbering of the same standard, e.g. "1a" for 1.1.',
    )
    part = models.CharField(max_length=120, blank=True, help_text='e.g. "Part One: Teaching".')
    title = models.CharField(max_length=120, blank=True, help_text='A short name, e.g. "Trusted".')
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    objects = StandardManager()

    class Meta:
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="standard_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.shown_code} {self.title or self.text}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.trust_id = self.framework.trust_id
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str, str | None, str]:
        return (*self.framework.natural_key(), self.code)

    natural_key.dependencies = ["standards.framework"]  # type: ignore[attr-defined]

    @property
    def shown_code(self) -> str:
        return self.label or self.code

    @property
    def ref(self) -> str:
        """Both references, e.g. "1.1 (1a)"."""
        if self.alt_code:
            return f"{self.shown_code} ({self.alt_code})"
        return self.shown_code

    def clean(self) -> None:
        if self.parent_id and self.parent.framework_id != self.framework_id:
            raise ValidationError({"parent": "The parent is in another framework."})
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": "Sub-standards cannot have sub-standards."})


class DescriptorManager(SharedOrTenantManager):
    def get_by_natural_key(
        self, framework_code: str, trust_slug: str | None, code: str, stage: str
    ) -> Descriptor:
        standard = Standard.objects.get_by_natural_key(framework_code, trust_slug, code)
        return self.unscoped().get(standard=standard, career_stage__code=stage)


class Descriptor(models.Model):
    """What "achieved expectations" looks like for one standard at one career stage: an ordered
    list of statements. An empty list is a cell the source leaves empty."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="descriptors")
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="+", editable=False
    )
    career_stage = models.ForeignKey(CareerStage, on_delete=models.PROTECT, related_name="+")
    statements = models.JSONField(default=list, blank=True)

    objects = DescriptorManager()

    class Meta:
        ordering = ["standard", "career_stage__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "career_stage"], name="descriptor_unique_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.shown_code} · {self.career_stage}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.trust_id = self.standard.trust_id
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str, str | None, str, str]:
        return (*self.standard.natural_key(), self.career_stage.code)

    natural_key.dependencies = ["standards.standard", "growth.careerstage"]  # type: ignore[attr-defined]

    def clean(self) -> None:
        if not isinstance(self.statements, list) or not all(
            isinstance(s, str) and s.strip() for s in self.statements
        ):
            raise ValidationError({"statements": "A list of statements, none of them blank."})


class Rating(models.TextChoices):
    """The three-point scale of seed 004: a prompt for reflection, never a grade."""

    FULLY = "fully", "I am fully meeting this expectation"
    MOSTLY = "mostly", "I am confident that I am meeting this expectation most of the time"
    NOT_ALWAYS = "not_always", "I am not always meeting this expectation"


RAG_COLOUR = {Rating.FULLY: "green", Rating.MOSTLY: "amber", Rating.NOT_ALWAYS: "red"}


class SelfReview(TrustOwned):
    """A person's reflection against their framework, once per cycle."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SHARED = "shared", "Shared with line manager"

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="self_reviews"
    )
    cycle = models.ForeignKey(GrowthCycle, on_delete=models.CASCADE, related_name="self_reviews")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    shared_at = models.DateTimeField(null=True, blank=True)
    strengths = models.TextField(
        "When I'm at my best, what are my strengths?",
        blank=True,
        help_text="Identified from my own reflections, results and data analysis and any "
        "feedback from my colleagues.",
    )
    development_needs = models.TextField(
        "What are my development needs?",
        blank=True,
        help_text="Identified from my own reflections, results and data analysis and any "
        "feedback from my colleagues.",
    )
    learning_needs = models.TextField(
        "What are the learning needs of my class or a class that I teach?",
        blank=True,
        help_text="What could I do better and more often that would help them make the most "
        "progress? What are the barriers to them becoming better learners?",
    )

    class Meta(TrustOwned.Meta):
        ordering = ["-cycle__start_date"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "staff_member", "cycle"], name="self_review_once_per_cycle"
            ),
        ]
        indexes = [models.Index(fields=["trust", "staff_member"])]

    def __str__(self) -> str:
        return f"Self-review of {self.staff_member} for {self.cycle}"

    @property
    def is_shared(self) -> bool:
        return self.state == self.State.SHARED

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.staff_member_id and self.staff_member.trust_id != self.trust_id:
            errors["staff_member"] = "That person belongs to another trust."
        if self.cycle_id and self.cycle.trust_id != self.trust_id:
            errors["cycle"] = "That cycle belongs to another trust."
        if self.framework_id and self.framework.trust_id not in (None, self.trust_id):
            errors["framework"] = "That framework belongs to another trust."
        if errors:
            raise ValidationError(errors)


class SelfReviewRating(TrustOwned):
    """One standard of a self-review: where the person places themselves (rated standards) and
    their next steps, the "+1s" (written against headings, or any standard)."""

    self_review = models.ForeignKey(SelfReview, on_delete=models.CASCADE, related_name="ratings")
    # PROTECT: a trust cannot delete a standard someone has reflected against.
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=12, choices=Rating.choices, blank=True)
    next_steps = models.TextField("Next step(s)", blank=True)

    class Meta(TrustOwned.Meta):
        ordering = ["standard__order"]
        constraints = [
            *TrustOwned.Meta.constraints,
            models.UniqueConstraint(
                fields=["trust", "self_review", "standard"], name="self_review_rating_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard.shown_code}: {self.get_rating_display() or 'not rated'}"

    @property
    def rag(self) -> str:
        return RAG_COLOUR.get(self.rating, "")

    def clean(self) -> None:
        if (
            self.self_review_id
            and self.standard_id
            and self.standard.framework_id != self.self_review.framework_id
        ):
            raise ValidationError({"standard": "That standard is not in this framework."})


class SelfReviewComment(TrustOwned):
    """The line manager's (or a leader's) comment on a shared self-review."""

    self_review = models.ForeignKey(SelfReview, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    standard = models.ForeignKey(
        Standard,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty: a comment on the whole self-review.",
    )
    text = models.TextField("Comment")

    class Meta(TrustOwned.Meta):
        ordering = ["created_at"]
        indexes = [models.Index(fields=["trust", "self_review"])]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.self_review}"

    def clean(self) -> None:
        if self.author_id and self.author.trust_id != self.trust_id:
            raise ValidationError({"author": "That person belongs to another trust."})
        if (
            self.standard_id
            and self.self_review_id
            and self.standard.framework_id != self.self_review.framework_id
        ):
            raise ValidationError({"standard": "That standard is not in this framework."})
