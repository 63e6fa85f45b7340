"""The core's own navigation links (other apps register theirs in their AppConfig.ready)."""

from growth.navigation.registry import NavItem, register_nav
from growth.security.access import Viewer


def _is_trust_admin(viewer: Viewer) -> bool:
    return viewer.roles.trust_admin


def _is_head(viewer: Viewer) -> bool:
    return bool(viewer.roles.headteacher_of)


def _manages(viewer: Viewer) -> bool:
    return viewer.manages_anyone


def _sees_people(viewer: Viewer) -> bool:
    return viewer.roles.is_leader or viewer.manages_anyone


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
