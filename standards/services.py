"""Writes of the standards app. Every function is keyword-only, atomic and audited (frameworks
shared by every trust have no trust to audit under; their loads are logged by the command)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from growth.domain.audit import audit_record, audited_change, snapshot
from growth.models import CareerStage, GrowthCycle, StaffMember, Trust
from growth.reporting.progress import progress_refresh
from standards.loader import FrameworkFileError, FrameworkSpec
from standards.models import (
    Descriptor,
    Framework,
    Rating,
    SelfReview,
    SelfReviewComment,
    SelfReviewRating,
    Standard,
)
from standards.selectors import framework_for, rated_standards


def _audit(framework: Framework, *, actor: Any, action: str, obj: Any, **extra: Any) -> None:
    if framework.trust_id is not None:
        audit_record(trust=framework.trust_id, actor=actor, action=action, obj=obj, **extra)


@transaction.atomic
def framework_load(
    *, actor: Any, spec: FrameworkSpec, trust: Trust | None, as_draft: bool = False
) -> Framework:
    """Create or replace the framework ``spec.code`` of ``trust`` (None: shared by every trust)
    so that it matches the file exactly. Loading the same file twice changes nothing. A standard
    someone has already reflected against cannot be removed, and the whole load is refused.
    ``as_draft``: a framework the file creates waits to be published (an upload in the
    browser); one it replaces keeps its state."""
    framework = Framework.objects.unscoped().filter(trust=trust, code=spec.code).first()
    created = framework is None
    if framework is None:
        framework = Framework(trust=trust, code=spec.code, is_draft=as_draft)
    before = None if created else snapshot(framework)
    framework.name = spec.name
    framework.description = spec.description
    framework.applies_to = spec.applies_to
    framework.order = spec.order
    framework.full_clean()
    framework.save()

    existing = {s.code: s for s in Standard.objects.unscoped().filter(framework=framework)}
    wanted = {s.code for s in spec.standards}
    removed = [s for code, s in existing.items() if code not in wanted]
    in_use = sorted(
        set(
            SelfReviewRating.objects.unscoped()
            .filter(standard__in=removed)
            .values_list("standard__code", flat=True)
        )
        | set(
            SelfReviewComment.objects.unscoped()
            .filter(standard__in=removed)
            .values_list("standard__code", flat=True)
        )
    )
    if in_use:
        raise FrameworkFileError(
            [
                f"standards: '{code}' is missing from the file but people have reflected "
                "against it; keep it in the file"
                for code in in_use
            ]
        )
    stages = {s.code: s for s in CareerStage.objects.all()}
    saved: dict[str, Standard] = {}
    for order, item in enumerate(spec.standards, start=1):
        standard = existing.get(item.code) or Standard(framework=framework, code=item.code)
        standard.parent = saved.get(item.parent_code) if item.parent_code else None
        standard.label = item.label
        standard.alt_code = item.alt_code
        standard.part = item.part
        standard.title = item.title
        standard.text = item.text
        standard.order = order * 10
        standard.full_clean(exclude=["parent"])
        standard.save()
        saved[item.code] = standard
        current = {
            d.career_stage.code: d
            for d in Descriptor.objects.unscoped()
            .filter(standard=standard)
            .select_related("career_stage")
        }
        for stage_code, statements in item.descriptors.items():
            descriptor = current.pop(stage_code, None) or Descriptor(
                standard=standard, career_stage=stages[stage_code]
            )
            descriptor.statements = statements
            descriptor.full_clean()
            descriptor.save()
        for leftover in current.values():
            leftover.delete()
    # Kept standards were re-parented above, so removing a parent takes only removed children.
    Standard.objects.unscoped().filter(pk__in=[s.pk for s in removed]).delete()
    _audit(
        framework,
        actor=actor,
        action="framework.load",
        obj=framework,
        before=before,
        after={**snapshot(framework), "standards": len(spec.standards)},
    )
    return framework


# --- A trust's own frameworks, edited in the browser by its trust admins -------------------


class FrameworkEditError(ValueError):
    """An edit that is not allowed; the message says why."""


def _own(framework: Framework, actor: StaffMember) -> None:
    if framework.trust_id is None or framework.trust_id != actor.trust_id:
        raise FrameworkEditError("Only a trust's own frameworks can be edited.")


@transaction.atomic
def framework_save(*, actor: StaffMember, framework: Framework | None, **fields: Any) -> Framework:
    """Create (``framework`` None) or update one of the actor's trust's own frameworks."""
    if framework is None:
        # Used by nobody until published: an empty framework must not become anyone's
        # self-review the moment it is created.
        framework = Framework(trust_id=actor.trust_id, is_draft=True)
        before = None
    else:
        _own(framework, actor)
        before = snapshot(framework)
    for name in ("code", "name", "description", "applies_to", "order"):
        if name in fields:
            setattr(framework, name, fields[name])
    framework.full_clean()
    framework.save()
    _audit(
        framework,
        actor=actor,
        action="framework.create" if before is None else "framework.update",
        obj=framework,
        before=before,
        after=snapshot(framework),
    )
    return framework


@transaction.atomic
def framework_publish(*, actor: StaffMember, framework: Framework) -> Framework:
    """Make a draft framework the one its staff categories self-review against. A framework
    with no standards is refused: it would give them a self-review of nothing."""
    _own(framework, actor)
    if not framework.is_draft:
        return framework
    if not Standard.objects.unscoped().filter(framework=framework).exists():
        raise FrameworkEditError(
            f"{framework.name} has no standards yet: add them (or upload a file with them) "
            "before publishing it."
        )
    if not framework.applies_to:
        raise FrameworkEditError(f"Say which staff {framework.name} is for before publishing it.")
    audited_change(framework, actor=actor, action="framework.publish", changes={"is_draft": False})
    return framework


STANDARD_FIELDS = ("parent", "code", "label", "alt_code", "part", "title", "text")


@transaction.atomic
def standard_save(
    *, actor: StaffMember, framework: Framework, standard: Standard | None, **fields: Any
) -> Standard:
    """Add a standard at the end of the framework (or of its parent), or change one."""
    _own(framework, actor)
    if standard is None:
        standard = Standard(framework=framework, order=next_standard_order(framework))
        before = None
    else:
        before = snapshot(standard)
    for name in STANDARD_FIELDS:
        if name in fields:
            setattr(standard, name, fields[name])
    if standard.parent_id and standard.parent.framework_id != framework.pk:
        raise FrameworkEditError("The parent standard is in another framework.")
    if (
        standard.parent_id
        and standard.pk
        and Standard.objects.unscoped().filter(parent=standard).exists()
    ):
        raise FrameworkEditError("A standard with sub-standards cannot become a sub-standard.")
    if before is None and standard.parent_id:
        # Sub-standards go after their parent's last sub-standard, then renumber.
        siblings = Standard.objects.unscoped().filter(parent_id=standard.parent_id)
        last = siblings.aggregate(m=Max("order"))["m"] or standard.parent.order
        standard.order = last + 5
    standard.full_clean()
    standard.save()
    _renumber(framework)
    _audit(
        framework,
        actor=actor,
        action="standard.create" if before is None else "standard.update",
        obj=standard,
        before=before,
        after=snapshot(standard),
    )
    return standard


def _renumber(framework: Framework, *, swap: tuple[int, int] | None = None) -> None:
    """Orders 10, 20, 30… in reading order: each top-level standard followed by its
    sub-standards. ``swap`` exchanges two siblings (by pk) first."""
    rows = list(Standard.objects.unscoped().filter(framework=framework).order_by("order", "pk"))
    if swap is not None:
        position = {s.pk: i for i, s in enumerate(rows)}
        a, b = position[swap[0]], position[swap[1]]
        rows[a], rows[b] = rows[b], rows[a]
    reading: list[Standard] = []
    for top in (s for s in rows if s.parent_id is None):
        reading.append(top)
        reading += [s for s in rows if s.parent_id == top.pk]
    for index, standard in enumerate(reading, start=1):
        standard.order = index * 10
    Standard.objects.bulk_update(reading, ["order"])


@transaction.atomic
def standard_move(*, actor: StaffMember, standard: Standard, direction: str) -> None:
    """Move a standard one place up or down among its siblings (sub-standards move with their
    parent)."""
    framework = standard.framework
    _own(framework, actor)
    if direction not in ("up", "down"):
        raise FrameworkEditError("Move a standard up or down.")
    siblings = list(
        Standard.objects.unscoped()
        .filter(framework=framework, parent_id=standard.parent_id)
        .order_by("order")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == standard.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return
    _renumber(framework, swap=(standard.pk, siblings[other].pk))
    _audit(framework, actor=actor, action=f"standard.move_{direction}", obj=standard)


@transaction.atomic
def standard_delete(*, actor: StaffMember, standard: Standard) -> None:
    framework = standard.framework
    _own(framework, actor)
    family = [
        standard.pk,
        *Standard.objects.unscoped().filter(parent=standard).values_list("pk", flat=True),
    ]
    used = SelfReviewRating.objects.unscoped().filter(standard_id__in=family).exists()
    used = used or SelfReviewComment.objects.unscoped().filter(standard_id__in=family).exists()
    if used:
        raise FrameworkEditError(
            f"{standard.ref} cannot be removed: people have already reflected against it."
        )
    before = snapshot(standard)
    _audit(framework, actor=actor, action="standard.delete", obj=standard, before=before)
    standard.delete()
    _renumber(framework)


@transaction.atomic
def descriptors_save(
    *, actor: StaffMember, standard: Standard, statements: dict[str, list[str] | None]
) -> None:
    """Set the descriptors of a standard: career stage code -> statements; None removes the
    stage's descriptor, [] records it as empty."""
    _own(standard.framework, actor)
    stages = {s.code: s for s in CareerStage.objects.all()}
    current = {
        d.career_stage.code: d
        for d in Descriptor.objects.unscoped()
        .filter(standard=standard)
        .select_related("career_stage")
    }
    for code, lines in statements.items():
        descriptor = current.get(code)
        if lines is None:
            if descriptor is not None:
                descriptor.delete()
            continue
        if descriptor is None:
            descriptor = Descriptor(standard=standard, career_stage=stages[code])
        descriptor.statements = [line.strip() for line in lines if line.strip()]
        descriptor.full_clean()
        descriptor.save()
    _audit(
        standard.framework,
        actor=actor,
        action="standard.descriptors",
        obj=standard,
        after={"descriptors": {k: v for k, v in statements.items()}},
    )


def next_standard_order(framework: Framework) -> int:
    top = Standard.objects.unscoped().filter(framework=framework).aggregate(m=Max("order"))["m"]
    return (top or 0) + 10


# --- Self-review -------------------------------------------------------------------------------


class SelfReviewError(ValueError):
    """A self-review change that is not allowed now; the message says why, for the person."""


@transaction.atomic
def self_review_start(*, actor: Any, staff: StaffMember, cycle: GrowthCycle) -> SelfReview:
    """The person's self-review for the cycle, created (as a draft, against the framework for
    their role) the first time."""
    existing = (
        SelfReview.objects.for_trust(staff.trust_id).filter(staff_member=staff, cycle=cycle).first()
    )
    if existing is not None:
        return existing
    framework = framework_for(staff=staff)
    if framework is None:
        raise SelfReviewError(
            "There is no framework for your role yet. Ask your trust admin to add one."
        )
    review = SelfReview(
        trust_id=staff.trust_id, staff_member=staff, cycle=cycle, framework=framework
    )
    review.full_clean()
    review.save()
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="self_review.start",
        obj=review,
        subject=staff,
        after=snapshot(review),
    )
    progress_refresh(people=[staff], cycle=cycle)
    return review


REFLECTION_FIELDS = ("strengths", "development_needs", "learning_needs")


def _lock(review: SelfReview) -> SelfReview:
    """The row as stored, locked for the rest of the transaction (two tabs, one person)."""
    return SelfReview.objects.for_trust(review.trust_id).select_for_update().get(pk=review.pk)


@transaction.atomic
def self_review_save(
    *,
    actor: Any,
    review: SelfReview,
    ratings: dict[int, str],
    next_steps: dict[int, str],
    reflections: dict[str, str],
) -> list[str]:
    """Save the draft: ratings and next steps keyed by standard id, and the reflection answers.
    Returns what changed (empty when nothing did, so autosave writes no audit row then)."""
    if _lock(review).is_shared:
        raise SelfReviewError("This self-review has been shared and can no longer be changed.")
    standards = {
        s.pk: s for s in Standard.objects.unscoped().filter(framework_id=review.framework_id)
    }
    unknown = (set(ratings) | set(next_steps)) - set(standards)
    if unknown:
        raise SelfReviewError("Some of those standards are not in your framework.")
    valid = set(Rating.values) | {""}
    bad = [standards[pk].shown_code for pk, value in ratings.items() if value not in valid]
    if bad:
        raise SelfReviewError(f"Choose one of the three statements for {', '.join(bad)}.")
    changed: list[str] = []
    before = snapshot(review, list(REFLECTION_FIELDS))
    for name in REFLECTION_FIELDS:
        if name in reflections and getattr(review, name) != reflections[name].strip():
            setattr(review, name, reflections[name].strip())
            changed.append(name)
    if changed:
        review.full_clean()
        review.save(update_fields=[*changed, "updated_at"])
    rows = {
        r.standard_id: r
        for r in SelfReviewRating.objects.for_trust(review.trust_id).filter(self_review=review)
    }
    to_create: list[SelfReviewRating] = []
    to_update: list[SelfReviewRating] = []
    for standard_id in sorted(set(ratings) | set(next_steps)):
        row = rows.get(standard_id)
        rating = ratings.get(standard_id, row.rating if row else "")
        steps = next_steps.get(standard_id, row.next_steps if row else "").strip()
        if row is None:
            if rating or steps:
                to_create.append(
                    SelfReviewRating(
                        trust_id=review.trust_id,
                        self_review=review,
                        standard_id=standard_id,
                        rating=rating,
                        next_steps=steps,
                    )
                )
        elif (row.rating, row.next_steps) != (rating, steps):
            row.rating, row.next_steps, row.updated_at = rating, steps, timezone.now()
            to_update.append(row)
    SelfReviewRating.objects.bulk_create(to_create)
    SelfReviewRating.objects.bulk_update(to_update, ["rating", "next_steps", "updated_at"])
    changed += [f"standard {standards[r.standard_id].code}" for r in [*to_create, *to_update]]
    if changed:
        audit_record(
            trust=review.trust_id,
            actor=actor,
            action="self_review.save",
            obj=review,
            subject=review.staff_member,
            before=before,
            after={**snapshot(review, list(REFLECTION_FIELDS)), "changed": changed},
        )
    progress_refresh(people=[review.staff_member], cycle=review.cycle)
    return changed


@transaction.atomic
def self_review_share(*, actor: Any, review: SelfReview) -> SelfReview:
    """Share the self-review with the line manager. Every rated standard needs a rating (the
    scale is a prompt to reflect on each, not a grade)."""
    locked = _lock(review)
    if locked.is_shared:
        review.state, review.shared_at = locked.state, locked.shared_at
        return review
    framework = Framework.objects.unscoped().get(pk=review.framework_id)
    rated = {
        r.standard_id
        for r in SelfReviewRating.objects.for_trust(review.trust_id).filter(self_review=review)
        if r.rating
    }
    missing = [s.ref for s in rated_standards(framework=framework) if s.pk not in rated]
    if missing:
        raise SelfReviewError(
            "Choose a statement for every standard before sharing. Still to do: "
            + ", ".join(missing)
            + "."
        )
    audited_change(
        review,
        actor=actor,
        action="self_review.share",
        subject=review.staff_member,
        changes={"state": SelfReview.State.SHARED, "shared_at": timezone.now()},
        fields=["state", "shared_at"],
    )
    manager = review.staff_member.line_manager
    if manager is not None and manager.is_active:
        _notify(
            trust_id=review.trust_id,
            to=manager.email,
            subject=f"{review.staff_member.full_name} has shared their self-review",
            body=(
                f"{review.staff_member.full_name} has shared their self-review for "
                f"{review.cycle.name}. Read it and add your comments: "
                f"{_link(review)}"
            ),
        )
    progress_refresh(people=[review.staff_member], cycle=review.cycle)
    return review


@transaction.atomic
def self_review_comment(
    *, actor: StaffMember, review: SelfReview, text: str, standard: Standard | None = None
) -> SelfReviewComment:
    """The line manager's (or a leader's) comment on a shared self-review."""
    if not review.is_shared:
        raise SelfReviewError("You can comment once the self-review has been shared.")
    if actor.pk == review.staff_member_id:
        raise SelfReviewError("Comments are for your line manager.")
    comment = SelfReviewComment(
        trust_id=review.trust_id,
        self_review=review,
        author=actor,
        standard=standard,
        text=text.strip(),
    )
    comment.full_clean()
    comment.save()
    audit_record(
        trust=review.trust_id,
        actor=actor,
        action="self_review.comment",
        obj=comment,
        subject=review.staff_member,
        after=snapshot(comment),
    )
    _notify(
        trust_id=review.trust_id,
        to=review.staff_member.email,
        subject=f"{actor.full_name} has commented on your self-review",
        body=(
            f"{actor.full_name} has commented on your self-review for {review.cycle.name}: "
            f"{_link(review)}"
        ),
    )
    return comment


def _link(review: SelfReview) -> str:
    path = reverse("standards:self_review", kwargs={"public_id": review.public_id})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _notify(*, trust_id: int, to: str, subject: str, body: str) -> None:
    from growth.tasks import send_email

    transaction.on_commit(
        lambda: send_email.delay(trust_id=trust_id, to=[to], subject=subject, body=body)
    )
