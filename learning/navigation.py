"""The learning app's links, registered with growth's registry."""

from __future__ import annotations

from django.http import HttpRequest

from growth.access import manages_anyone, roles_of
from growth.registry import NavItem, register_nav


def _has_staff(request: HttpRequest) -> bool:
    return getattr(request, "staff", None) is not None


def _leads_or_manages(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and (roles_of(staff).is_leader or manages_anyone(staff))


def _is_trust_admin(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and roles_of(staff).trust_admin


register_nav(NavItem("Coaching", "learning:coaching", order=40, visible=_has_staff, menu="growth"))
register_nav(
    NavItem(
        "Who is coached",
        "learning:coaching_overview",
        order=70,
        visible=_leads_or_manages,
        menu="team",
    )
)
register_nav(
    NavItem(
        "Learning settings", "learning:settings", order=96, visible=_is_trust_admin, menu="trust"
    )
)
