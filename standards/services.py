"""Writes of the standards app. Every function is keyword-only, atomic and audited (frameworks
shared by every trust have no trust to audit under; their loads are logged by the command)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from growth.audit import audit_record, snapshot
from growth.models import CareerStage, Trust
from standards.loader import FrameworkFileError, FrameworkSpec
from standards.models import Descriptor, Framework, SelfReviewRating, Standard


def _audit(framework: Framework, *, actor: Any, action: str, obj: Any, **extra: Any) -> None:
    if framework.trust_id is not None:
        audit_record(trust=framework.trust_id, actor=actor, action=action, obj=obj, **extra)


@transaction.atomic
def framework_load(*, actor: Any, spec: FrameworkSpec, trust: Trust | None) -> Framework:
    """Create or replace the framework ``spec.code`` of ``trust`` (None: shared by every trust)
    so that it matches the file exactly. Loading the same file twice changes nothing. A standard
    someone has already reflected against cannot be removed, and the whole load is refused."""
    framework = Framework.objects.unscoped().filter(trust=trust, code=spec.code).first()
    created = framework is None
    if framework is None:
        framework = Framework(trust=trust, code=spec.code)
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
        SelfReviewRating.objects.unscoped()
        .filter(standard__in=removed)
        .values_list("standard__code", flat=True)
        .distinct()
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


def next_standard_order(framework: Framework) -> int:
    top = Standard.objects.unscoped().filter(framework=framework).aggregate(m=Max("order"))["m"]
    return (top or 0) + 10
