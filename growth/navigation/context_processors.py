from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from growth.navigation.registry import nav_links
from growth.security.access import roles_of

# The header's fixed links, by route name.
_HEADER_LINKS = {
    "home": "home",
    "admin": "admin:index",
    "mfa": "mfa_index",
    "sign_out": "account_logout",
    "inbox": "inbox",
    "inbox_count": "inbox_count",
    "notifications": "notifications",
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    staff = getattr(request, "staff", None)
    links = {key: reverse(name) for key, name in _HEADER_LINKS.items()}
    if staff is None:
        return {"nav": None, "current_staff": None, "current_roles": None, "links": links}
    return {
        # Worked out only if the page shows a header and did not pass its own ``nav``
        # (the home page passes the one it builds from what it has read anyway).
        "nav": SimpleLazyObject(lambda: nav_links(request)),
        "current_staff": staff,
        "current_roles": roles_of(staff),
        "current_trust": staff.trust,
        "links": links,
    }
