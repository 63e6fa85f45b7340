"""The data protection pages' link for trust admins."""

from django.http import HttpRequest

from growth.navigation.registry import NavItem, register_nav
from growth.security.access import roles_of


def _is_trust_admin(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and roles_of(staff).trust_admin


register_nav(
    NavItem("Data protection", "privacy_exports", order=97, visible=_is_trust_admin, menu="trust")
)
