"""The learning app's links, registered with growth's registry."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from growth.access import manages_anyone, roles_of
from growth.registry import HomePanel, NavItem, register_home_panel, register_nav


def _has_staff(request: HttpRequest) -> bool:
    return getattr(request, "staff", None) is not None


def _leads_or_manages(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and (roles_of(staff).is_leader or manages_anyone(staff))


def _manages(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and manages_anyone(staff)


def _is_head(request: HttpRequest) -> bool:
    staff = getattr(request, "staff", None)
    return staff is not None and bool(roles_of(staff).headteacher_of)


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
register_nav(
    NavItem("Resources hub", "learning:resources", order=42, visible=_has_staff, menu="growth")
)
register_nav(
    NavItem("Learning record", "learning:record", order=41, visible=_has_staff, menu="growth")
)
register_nav(
    NavItem("Team learning", "learning:team_record", order=71, visible=_manages, menu="team")
)
register_nav(
    NavItem(
        "School learning and spend",
        "learning:my_school_record",
        order=72,
        visible=_is_head,
        menu="school",
    )
)
register_nav(
    NavItem(
        "Learning across schools",
        "learning:trust_record",
        order=73,
        visible=_is_trust_admin,
        menu="trust",
    )
)


def _prompts_panel(request: HttpRequest) -> dict[str, Any] | None:
    from learning.selectors import impact_prompts

    staff = getattr(request, "staff", None)
    if staff is None:
        return None
    prompts = impact_prompts(staff=staff, today=timezone.localdate())
    return {"prompts": prompts} if prompts else None


register_home_panel(
    HomePanel("learning-prompts", "learning/panel_prompts.html", _prompts_panel, order=35)
)
