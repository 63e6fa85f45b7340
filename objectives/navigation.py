"""The objectives app's navigation links and home panels (see growth.navigation.registry)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse

from growth.navigation.registry import (
    HomePanel,
    NavItem,
    PersonLink,
    register_home_panel,
    register_nav,
    register_person_link,
)
from growth.security.access import Viewer

if TYPE_CHECKING:
    from growth.reporting.dashboards import Home


def _has_staff(viewer: Viewer) -> bool:
    return True


def _sees_team(viewer: Viewer) -> bool:
    return viewer.sees_team_lists


def _is_head(viewer: Viewer) -> bool:
    return bool(viewer.roles.headteacher_of)


def _is_trust_admin(viewer: Viewer) -> bool:
    return viewer.roles.trust_admin


def _my_plan_panel(home: Home) -> dict[str, Any] | None:
    from objectives.rules import coaching_requirement, plan_required
    from objectives.selectors import plan_with_coaching

    cycle = home.cycle
    if cycle is None:
        return None
    staff = home.staff
    # The rule is shown beside a plan, so it is only worked out for one.
    plan = plan_with_coaching(staff=staff, cycle=cycle)
    return {
        "cycle": cycle,
        "plan": plan,
        "required": plan_required(staff),
        "coaching": (
            coaching_requirement(
                staff=staff,
                cycle=cycle,
                cycles=home.cycles,
                is_line_manager=home.viewer.manages_anyone,
                coaching_this_cycle=plan.coaching_this,
                coaching_before=plan.coaching_before,
            )
            if plan
            else None
        ),
    }


def _team_panel(home: Home) -> dict[str, Any] | None:
    """Plans waiting for the viewer come from their team's progress rows, which the home page
    has read; the figures over everyone they oversee are loaded after the page
    (``objectives.views.team_panel``)."""
    from growth.reporting.reports import progress_of
    from objectives.models import GrowthPlan

    if home.cycle is None or not home.viewer.sees_team_lists:
        return None
    awaiting = sum(
        1
        for person in home.team
        if (row := progress_of(person)) and row.plan_state == GrowthPlan.State.SUBMITTED
    )
    return {"awaiting": awaiting}


register_nav(NavItem("My plan", "objectives:my_plan", order=20, visible=_has_staff, menu="growth"))
register_nav(NavItem("Team plans", "objectives:team", order=30, visible=_sees_team, menu="team"))
register_nav(
    NavItem("School focus", "objectives:school_focus", order=60, visible=_is_head, menu="school")
)
register_nav(
    NavItem("Objectives bank", "objectives:bank", order=91, visible=_is_trust_admin, menu="trust")
)
register_home_panel(
    HomePanel("objectives-my-plan", "objectives/_panel_my_plan.html", _my_plan_panel, order=20)
)
register_home_panel(
    HomePanel("objectives-team", "objectives/_panel_team.html", _team_panel, order=30)
)


def _plan_link(viewer: Any, subject: Any, found: set, progress: Any) -> tuple[str, str] | None:
    """Everyone who may open the person's page may read their plan (DESIGN.md §4)."""
    if progress is None or not progress.plan_public_id:
        return None
    return "Growth plan", reverse("objectives:plan", args=[progress.plan_public_id])


register_person_link(PersonLink("objectives_plan", _plan_link, order=10))
