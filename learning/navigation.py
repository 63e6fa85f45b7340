"""The learning app's links, registered with growth's registry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from growth.navigation.registry import (
    NavItem,
    PagePanel,
    register_nav,
    register_page_panel,
)
from growth.security.access import Viewer

if TYPE_CHECKING:
    pass


def _has_staff(viewer: Viewer) -> bool:
    return True


def _leads_or_manages(viewer: Viewer) -> bool:
    return viewer.roles.is_leader or viewer.manages_anyone


def _manages(viewer: Viewer) -> bool:
    return viewer.manages_anyone


def _is_head(viewer: Viewer) -> bool:
    return bool(viewer.roles.headteacher_of)


def _is_trust_admin(viewer: Viewer) -> bool:
    return viewer.roles.trust_admin


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
    NavItem(
        "Review of my plan", "learning:plan_review", order=43, visible=_has_staff, menu="growth"
    )
)
register_nav(
    NavItem(
        "What colleagues learned", "learning:library", order=44, visible=_has_staff, menu="growth"
    )
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


def _recommendations_panel(request: HttpRequest, objective: Any) -> dict[str, Any] | None:
    """On the objective builder: what colleagues who worked on the objective's standards (or
    its area) recommend, from reviews they shared."""
    from learning.selectors import recommendations_for

    staff = getattr(request, "staff", None)
    if staff is None or objective.plan.staff_member_id != staff.pk:
        return None
    found = recommendations_for(
        viewer=staff, standards=list(objective.standards.all()), area=objective.area
    )
    return {"reviews": found} if found else None


def _plan_resources_panel(request: HttpRequest, plan: Any) -> dict[str, Any] | None:
    """On a person's own plan: the hub's resources that fit their objectives."""
    from learning.selectors import resources_for_objectives

    staff = getattr(request, "staff", None)
    if staff is None or plan.staff_member_id != staff.pk:
        return None
    found = resources_for_objectives(staff=staff, cycle=plan.cycle)
    return {"resources": found} if found else None


register_page_panel(
    "objectives.objective_form",
    PagePanel(
        "learning-recommendations", "learning/panel_recommendations.html", _recommendations_panel
    ),
)
register_page_panel(
    "objectives.plan",
    PagePanel("learning-resources", "learning/panel_plan_resources.html", _plan_resources_panel),
)
