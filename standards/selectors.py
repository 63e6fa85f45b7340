"""Reads of the standards app, always within one trust. The objectives app reads the self-review
through ``self_review_for`` and ``standards_to_develop``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Exists, OuterRef

from growth.models import CareerStage, GrowthCycle, StaffMember, Trust
from standards.models import (
    Descriptor,
    Framework,
    Rating,
    SelfReview,
    SelfReviewComment,
    SelfReviewRating,
    Standard,
)


def frameworks_visible(
    *, trust: Trust | int, with_drafts: bool = False
) -> models.QuerySet[Framework]:
    """The shared frameworks plus the trust's own; its drafts only for those who edit them."""
    rows = Framework.objects.for_trust(trust).select_related("trust").order_by("order", "name")
    return rows if with_drafts else rows.filter(is_draft=False)


def framework_for(*, staff: StaffMember) -> Framework | None:
    """The framework ``staff`` reflects against: their trust's own published framework for
    their category if it has one, else the shared one (Teachers' Standards for teachers,
    Thinking Customer First for support and central staff). A draft is nobody's."""
    # Sorted here, so read without the listing's join and ordering.
    candidates = [
        f
        for f in Framework.objects.for_trust(staff.trust_id).order_by()
        if staff.category in (f.applies_to or []) and not f.is_draft
    ]
    candidates.sort(key=lambda f: (f.trust_id is None, f.order, f.name))
    return candidates[0] if candidates else None


@dataclass
class StandardNode:
    """A top-level standard with its sub-standards, as people see the framework."""

    standard: Standard
    children: list[Standard] = field(default_factory=list)

    @property
    def rated(self) -> list[Standard]:
        """The standards a person rates: the sub-standards, or the standard itself."""
        return self.children or [self.standard]


@dataclass
class PartGroup:
    title: str
    nodes: list[StandardNode] = field(default_factory=list)


def framework_tree(*, framework: Framework) -> list[PartGroup]:
    """The framework's standards, grouped by part, headings with their sub-standards (one
    query)."""
    standards = list(Standard.objects.unscoped().filter(framework=framework).order_by("order"))
    nodes: dict[int, StandardNode] = {}
    parts: list[PartGroup] = []
    for standard in standards:
        if standard.parent_id is None:
            node = StandardNode(standard)
            nodes[standard.pk] = node
            if not parts or parts[-1].title != standard.part:
                parts.append(PartGroup(standard.part))
            parts[-1].nodes.append(node)
    for standard in standards:
        if standard.parent_id is not None and standard.parent_id in nodes:
            nodes[standard.parent_id].children.append(standard)
    return parts


def rated_standards(*, framework: Framework) -> list[Standard]:
    return [s for part in framework_tree(framework=framework) for n in part.nodes for s in n.rated]


def self_review_for(
    *, staff: StaffMember, cycle: GrowthCycle, shared_only: bool = False
) -> SelfReview | None:
    """The person's self-review for the cycle, with its ratings and their standards. With
    ``shared_only``, a draft (still private to its author) counts as none."""
    qs = (
        SelfReview.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .select_related("framework", "cycle", "staff_member__user")
        .prefetch_related(
            models.Prefetch(
                "ratings",
                queryset=SelfReviewRating.objects.for_trust(staff.trust_id).select_related(
                    "standard"
                ),
            )
        )
    )
    if shared_only:
        qs = qs.filter(state=SelfReview.State.SHARED)
    return qs.first()


def self_review_state_for(*, staff: StaffMember, cycle: GrowthCycle) -> SelfReview | None:
    """The person's self-review for the cycle with only where it stands: its state, when it
    was shared, its address and ``rated`` (how many standards it reflects on so far)."""
    return (
        SelfReview.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .only("public_id", "state", "shared_at")
        .annotate(rated=Count("ratings", distinct=True))
        .first()
    )


@dataclass(frozen=True)
class StandardToDevelop:
    standard: Standard
    rating: str
    next_steps: str


def standards_to_develop(
    *, staff: StaffMember, cycle: GrowthCycle, shared_only: bool = True
) -> list[StandardToDevelop]:
    """The standards the person is "not always meeting" in their self-review for the cycle,
    with their next steps: what objective setting starts from. Next steps written against a
    heading are included with the heading when any of its sub-standards is "not always"."""
    review = self_review_for(staff=staff, cycle=cycle, shared_only=shared_only)
    if review is None:
        return []
    rows = list(review.ratings.all())
    weak = [r for r in rows if r.rating == Rating.NOT_ALWAYS]
    weak_parents = {r.standard.parent_id for r in weak if r.standard.parent_id}
    found = [StandardToDevelop(r.standard, r.rating, r.next_steps) for r in weak]
    found += [
        StandardToDevelop(r.standard, "", r.next_steps)
        for r in rows
        if r.standard_id in weak_parents and r.next_steps and r.rating != Rating.NOT_ALWAYS
    ]
    return sorted(found, key=lambda item: item.standard.order)


def self_reviews_of(*, staff: StaffMember) -> models.QuerySet[SelfReview]:
    """Every cycle's self-review of the person, newest first."""
    return (
        SelfReview.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff)
        .select_related("cycle", "framework")
        .order_by("-cycle__start_date")
    )


def self_review_comments(*, review: SelfReview) -> list[SelfReviewComment]:
    return list(
        SelfReviewComment.objects.for_trust(review.trust_id)
        .filter(self_review=review)
        .select_related("author__user", "standard")
        .order_by("created_at")
    )


def self_review_page(*, review: SelfReview, is_self: bool) -> dict[str, Any]:
    """What the self-review page shows. Its owner (``is_self``) edits it until it is shared;
    once shared, everyone who may see it reads it with its comments and reflections. Before
    then others see only that it is not shared yet, and none of its history."""
    shown = is_self or review.is_shared
    editable = is_self and not review.is_shared
    page: dict[str, Any] = {
        "review": review,
        "subject": review.staff_member,
        "is_self": is_self,
        "editable": editable,
        "history": [r for r in self_reviews_of(staff=review.staff_member) if r.pk != review.pk]
        if shown
        else [],
    }
    if shown and not editable:
        comments = self_review_comments(review=review)
        page["layout"] = self_review_layout(review=review, comments=comments)
        page["comments"] = [c for c in comments if not c.standard_id]
        page["reflections"] = _reflections(review)
    return page


def _reflections(review: SelfReview) -> list[tuple[str, str]]:
    """Each reflection question with its answer. "The learning needs of my class" is a
    teacher's question, still shown where someone else answered it."""
    questions = ["strengths", "development_needs"]
    if review.staff_member.category == StaffMember.Category.TEACHING or review.learning_needs:
        questions.append("learning_needs")
    return [
        (SelfReview._meta.get_field(name).verbose_name, getattr(review, name)) for name in questions
    ]


def descriptor_statements(*, standard: Standard) -> dict[str, list[str]]:
    """A standard's descriptors: career stage code -> its statements."""
    return {
        d.career_stage.code: d.statements
        for d in Descriptor.objects.for_trust(standard.trust_id)
        .filter(standard=standard)
        .select_related("career_stage")
    }


def reviews_awaiting_comment(
    *, manager: StaffMember, team: Sequence[StaffMember] | None = None
) -> list[SelfReview]:
    """Shared self-reviews of the manager's direct reports that the manager has not yet
    commented on, oldest share first. ``team``, the manager's active direct reports with
    their accounts, when the caller has read them already (the home page has)."""
    trust_id = manager.trust_id
    if team is None:
        team = list(
            StaffMember.objects.for_trust(trust_id)
            .filter(line_manager=manager, is_active=True)
            .select_related("user")
        )
    people = {p.pk: p for p in team if p.line_manager_id == manager.pk and p.is_active}
    commented = SelfReviewComment.objects.for_trust(trust_id).filter(
        self_review=OuterRef("pk"), author=manager
    )
    waiting = list(
        SelfReview.objects.for_trust(trust_id)
        .filter(state=SelfReview.State.SHARED, staff_member__in=list(people))
        .exclude(Exists(commented))
        .select_related("cycle")
        .only("public_id", "shared_at", "staff_member", "cycle")
        .order_by("shared_at", "id")
    )
    for review in waiting:
        review.staff_member = people[review.staff_member_id]
    return waiting


@dataclass
class DescriptorRow:
    """One sub-standard with the statements of the chosen career stage and the next one."""

    standard: Standard
    heading: Standard | None
    current: list[str] | None
    following: list[str] | None


def descriptor_rows(
    *,
    framework: Framework,
    stage: CareerStage,
    next_stage: CareerStage | None,
    standard_code: str | None = None,
) -> list[DescriptorRow]:
    """What good looks like now and next, for every standard with descriptors (or one
    standard and its sub-standards). Two queries whatever the size of the framework."""
    standards = list(
        Standard.objects.unscoped()
        .filter(framework=framework)
        .select_related("parent")
        .order_by("order")
    )
    if standard_code:
        standards = [
            s
            for s in standards
            if s.code == standard_code or (s.parent is not None and s.parent.code == standard_code)
        ]
    stage_ids = [stage.pk] + ([next_stage.pk] if next_stage else [])
    cells = {
        (d.standard_id, d.career_stage_id): d.statements
        for d in Descriptor.objects.unscoped().filter(
            standard__in=[s.pk for s in standards], career_stage_id__in=stage_ids
        )
    }
    rows = []
    for standard in standards:
        current = cells.get((standard.pk, stage.pk))
        following = cells.get((standard.pk, next_stage.pk)) if next_stage else None
        if current is None and following is None:
            continue
        rows.append(DescriptorRow(standard, standard.parent, current, following))
    return rows


def framework_has_descriptors(*, framework: Framework) -> bool:
    return Descriptor.objects.unscoped().filter(standard__framework=framework).exists()


def self_review_layout(
    *, review: SelfReview, comments: list[SelfReviewComment] | None = None
) -> list[dict]:
    """The self-review to read: parts → top-level standards (with their next steps and the
    comments about them) → rated standards with their rating row."""
    rows = {r.standard_id: r for r in review.ratings.all()}
    by_standard: dict[int, list[SelfReviewComment]] = {}
    for comment in comments or []:
        if comment.standard_id:
            by_standard.setdefault(comment.standard_id, []).append(comment)
    layout = []
    for part in framework_tree(framework=review.framework):
        nodes = []
        for node in part.nodes:
            family = [node.standard, *node.children]
            steps = rows.get(node.standard.pk)
            nodes.append(
                {
                    "standard": node.standard,
                    "has_children": bool(node.children),
                    "rated": [(s, rows.get(s.pk)) for s in node.rated],
                    "next_steps": steps.next_steps if steps else "",
                    "comments": [c for s in family for c in by_standard.get(s.pk, [])],
                }
            )
        layout.append({"title": part.title, "nodes": nodes})
    return layout


def framework_page(
    *, framework: Framework, stage: CareerStage | None, standard_code: str
) -> dict[str, Any]:
    """A framework's standards (only ``standard_code``'s when one is chosen) and, where the
    framework has them, the descriptors of ``stage`` beside the next stage's."""
    has_descriptors = framework_has_descriptors(framework=framework)
    next_stage = stage.next_stage if stage else None
    tree = framework_tree(framework=framework)
    if standard_code:
        tree = [
            PartGroup(part.title, [n for n in part.nodes if n.standard.code == standard_code])
            for part in tree
        ]
    return {
        "tree": [part for part in tree if part.nodes],
        "has_descriptors": has_descriptors,
        "stage": stage,
        "next_stage": next_stage,
        "rows": descriptor_rows(
            framework=framework,
            stage=stage,
            next_stage=next_stage,
            standard_code=standard_code or None,
        )
        if has_descriptors and stage
        else [],
        "standard_code": standard_code,
    }
