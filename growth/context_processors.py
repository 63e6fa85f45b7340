from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from growth.access import roles_of
from growth.registry import nav_items


def navigation(request: HttpRequest) -> dict[str, Any]:
    staff = getattr(request, "staff", None)
    if staff is None:
        return {"nav_items": [], "current_staff": None, "current_roles": None}
    return {
        "nav_items": nav_items(request),
        "current_staff": staff,
        "current_roles": roles_of(staff),
        "current_trust": staff.trust,
    }
