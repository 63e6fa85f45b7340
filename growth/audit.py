"""The audit trail: every service that changes personal data calls ``audit_record``."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from growth.models import AuditEvent, StaffMember, Trust


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe copy of a model's concrete field values, for before/after."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = field.value_from_object(instance)
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
    """Write one audit row. ``actor`` is a User or StaffMember (or None for the system)."""
    user = getattr(actor, "user", actor)
    trust_id = trust if isinstance(trust, int) else trust.pk
    return AuditEvent.objects.for_trust(trust_id).create(
        trust_id=trust_id,
        actor=user if getattr(user, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(getattr(obj, "public_id", obj.pk)),
        subject=subject,
        before=before,
        after=after,
    )
