"""The data protection pages' link for trust admins."""

from growth.navigation.registry import NavItem, register_nav
from growth.security.access import Viewer


def _is_trust_admin(viewer: Viewer) -> bool:
    return viewer.roles.trust_admin


register_nav(
    NavItem("Data protection", "privacy_exports", order=97, visible=_is_trust_admin, menu="trust")
)
