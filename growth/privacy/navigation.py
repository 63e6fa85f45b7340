"""The data protection pages' link for trust admins."""

from typing import Any

from django.urls import reverse

from growth.navigation.registry import NavItem, PersonLink, register_nav, register_person_link
from growth.security.access import Relation, Viewer


def _is_trust_admin(viewer: Viewer) -> bool:
    return viewer.roles.trust_admin


register_nav(
    NavItem("Data protection", "privacy_exports", order=97, visible=_is_trust_admin, menu="trust")
)


def _privacy_link(viewer: Any, subject: Any, found: set, progress: Any) -> tuple[str, str] | None:
    if Relation.TRUST_ADMIN not in found:
        return None
    return "Data protection (audit trail, exports, leaving)", reverse(
        "privacy_person", args=[subject.public_id]
    )


register_person_link(PersonLink("privacy", _privacy_link, order=90))
