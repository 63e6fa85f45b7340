"""The objectives app's navigation links and home panels (see growth.navigation.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from growth.domain.selectors import cycle_current
from growth.navigation.registry import (
    HomePanel,
    NavItem,
    PersonLink,
    register_home_panel,
    register_nav,
    register_person_link,
)
from growth.security.access import roles_of


def _staff(request: HttpRequest) -> Any:
    return getattr(request, "staff", None)


def _has_staff(request: HttpRequest) -> bool:
    return _staff(request) is not None


def _sees_team(request: HttpRequest) -> bool:
    from objectives.selectors import sees_team_lists

    staff = _staff(request)
    return staff is not None and sees_team_lists(staff)


def _is_head(request: HttpRequest) -> bool:
    staff = _staff(request)
    return staff is not None and bool(roles_of(staff).headteacher_of)


def _is_trust_admin(request: HttpRequest) -> bool:
    staff = _staff(request)
    return staff is not None and roles_of(staff).trust_admin


def _my_plan_panel(request: HttpRequest) -> dict[str, Any] | None:
    from growth.reporting.dashboards import me_and_team
    from objectives.models import GrowthPlan
    from objectives.rules import plan_required
    from objectives.selectors import coaching_for

    staff = _staff(request)
    found = me_and_team(request)
    if staff is None or found is None or found.ctx.cycle is None:
        return None
    cycle = found.ctx.cycle
    plan = (
        GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .only("public_id", "state", "agreed_version")
        .first()
    )
    return {
        "cycle": cycle,
        "plan": plan,
        "required": plan_required(staff),
        # The coaching rule is shown beside a plan, so it is only worked out for one.
        "coaching": coaching_for(staff=staff, cycle=cycle) if plan else None,
    }


def _team_panel(request: HttpRequest) -> dict[str, Any] | None:
    from objectives.models import GrowthPlan
    from objectives.selectors import coaching_count, overdue_count

    staff = _staff(request)
    if staff is None or not _sees_team(request):
        return None
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        return None
    today = timezone.localdate()

    figures = {
        "awaiting": GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(cycle=cycle, staff_member__line_manager=staff, state=GrowthPlan.State.SUBMITTED)
        .count(),
        "overdue": overdue_count(viewer=staff, cycle=cycle, today=today),
        "coaching": coaching_count(viewer=staff, cycle=cycle),
    }
    return {"cycle": cycle, "deadline_passed": today > cycle.objectives_deadline, **figures}


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
