"""The audit trail: every service that changes personal data calls ``audit_record``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from growth.models import AuditEvent, StaffMember, Trust

M = TypeVar("M", bound=models.Model)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe copy of a model's concrete field values, for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = field.value_from_object(instance)
        if isinstance(field, models.FileField):
            value = value.name if value else ""  # the stored name, not the file object
        data[field.attname] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def audit_record(
    *,
    trust: Trust | int,
    actor: Any,
    action: str,
    obj: models.Model,
    subject: StaffMember | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit row of a change. ``actor`` is a User or StaffMember (or None for the
    system)."""
    trust_id = trust if isinstance(trust, int) else trust.pk
    return _event(
        trust_id=trust_id,
        actor=actor,
        obj=obj,
        action=action,
        subject=subject,
        before=before,
        after=after,
    )


def audited_change(
    instance: M,
    *,
    actor: Any,
    action: str,
    changes: Mapping[str, Any],
    subject: StaffMember | None = None,
    fields: list[str] | None = None,
    validate: Callable[[M], None] | None = None,
    save: Callable[[M], None] | None = None,
    always: bool = False,
) -> list[str]:
    """The one shape of an audited change to one row: snapshot it, apply ``changes`` (field
    name → new value), check it (``full_clean``, or ``validate`` where the service has rules
    of its own), save it (or ``save`` it the service's own way) and write the audit row with
    before and after. ``fields`` limits what the snapshots hold. Returns the names of the
    fields that changed; when none did, nothing is saved or recorded unless ``always``."""
    before = snapshot(instance, fields) if instance.pk else None
    # A new row takes every value (and its unset relations cannot be read to compare).
    changed = (
        [name for name, value in changes.items() if getattr(instance, name) != value]
        if instance.pk
        else list(changes)
    )
    if not changed and not always and instance.pk:
        return []
    for name in changed:
        setattr(instance, name, changes[name])
    (validate or (lambda obj: obj.full_clean()))(instance)
    (save or (lambda obj: obj.save()))(instance)
    audit_record(
        trust=instance if isinstance(instance, Trust) else instance.trust_id,
        actor=actor,
        action=action,
        obj=instance,
        subject=subject,
        before=before,
        after=snapshot(instance, fields),
    )
    return changed


def audit_record_many(*, trust: Trust | int, events: list[AuditEvent]) -> None:
    """Write many audit rows of changes at once (the bulk imports)."""
    trust_id = trust if isinstance(trust, int) else trust.pk
    AuditEvent.objects.for_trust(trust_id).bulk_create(events, batch_size=1000)


def _event(*, trust_id: int, actor: Any, obj: models.Model, **fields: Any) -> AuditEvent:
    """The row itself (``fields``: action, subject, before, after)."""
    user = getattr(actor, "user", actor)
    return AuditEvent.objects.for_trust(trust_id).create(
        trust_id=trust_id,
        actor=user if getattr(user, "pk", None) else None,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "public_id", obj.pk)),
        **fields,
    )


def audit_read(
    *, viewer: Any, obj: models.Model, subject: StaffMember, action: str | None = None
) -> AuditEvent | None:
    """Record that ``viewer`` (a StaffMember or User) read ``obj`` — a review, a statement, a
    PDF — about ``subject``. Reading one's own record is not recorded. Call it from the view
    after the access helper has allowed the read (e.g. ``audit_read(viewer=request.staff,
    obj=review, subject=review.staff_member)``); the action defaults to
    ``"<app>.<model>.read"``."""
    user = getattr(viewer, "user", viewer)
    if user is not None and getattr(user, "pk", None) == subject.user_id:
        return None
    return _event(
        trust_id=subject.trust_id,
        actor=viewer,
        action=action or f"{obj._meta.label_lower}.read",
        obj=obj,
        subject=subject,
    )
