from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from growth.access import roles_of
from growth.registry import named_url, nav_links


def navigation(request: HttpRequest) -> dict[str, Any]:
    staff = getattr(request, "staff", None)
    links = {key: named_url(name) for key, name in _HEADER_LINKS.items()}
    if staff is None:
        return {"nav_links": [], "current_staff": None, "current_roles": None, "links": links}
    return {
        "nav_links": nav_links(request),
        "current_staff": staff,
        "current_roles": roles_of(staff),
        "current_trust": staff.trust,
        "links": links,
    }


# The header's fixed links, by route name (resolved once per process: growth.registry).
_HEADER_LINKS = {
    "home": "home",
    "admin": "admin:index",
    "mfa": "mfa_index",
    "sign_out": "account_logout",
}
