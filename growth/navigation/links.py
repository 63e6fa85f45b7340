"""The core's own navigation links (other apps register theirs in their AppConfig.ready)."""

from django.http import HttpRequest

from growth.navigation.registry import NavItem, register_nav
from growth.security.access import manages_anyone, roles_of


def _is_trust_admin(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and roles_of(staff).trust_admin


def _is_head(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and bool(roles_of(staff).headteacher_of)


def _manages(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and manages_anyone(staff)


def _sees_people(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    if staff is None:
        return False
    roles = roles_of(staff)
    return roles.is_leader or manages_anyone(staff)


register_nav(NavItem("Home", "home", order=0))
register_nav(NavItem("People", "people", order=80, visible=_sees_people, menu="team"))
# The report pages: each in the menu of the people it covers.
register_nav(NavItem("Team report", "reports:team", order=60, visible=_manages, menu="team"))
register_nav(
    NavItem("School report", "reports:my_school", order=61, visible=_is_head, menu="school")
)
register_nav(
    NavItem("Trust report", "reports:trust", order=62, visible=_is_trust_admin, menu="trust")
)
register_nav(
    NavItem("Import staff", "staff_import", order=90, visible=_is_trust_admin, menu="trust")
)
register_nav(
    NavItem("Trust settings", "trust_settings", order=95, visible=_is_trust_admin, menu="trust")
)
