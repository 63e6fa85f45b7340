"""The checkins app's links and home panels, registered with growth's registry."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from growth.registry import HomePanel, NavItem, register_home_panel, register_nav


def _staff(request: HttpRequest) -> Any:
    return getattr(request, "staff", None)


def _manages(request: HttpRequest) -> bool:
    staff = _staff(request)
    if staff is None:
        return False
    cached = getattr(request, "_checkins_manages", None)
    if cached is None:
        cached = staff.reports.filter(is_active=True).exists()
        request._checkins_manages = cached  # type: ignore[attr-defined]
    return cached


def _my_panel(request: HttpRequest) -> dict[str, Any] | None:
    from checkins.selectors import engagement_summary, next_checkin
    from growth.selectors import cycle_current

    staff = _staff(request)
    if staff is None:
        return None
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        return None
    return {
        "subject": staff,
        "cycle": cycle,
        "next": next_checkin(staff=staff, cycle=cycle),
        "engagement": engagement_summary(staff=staff, cycle=cycle),
    }


def _team_panel(request: HttpRequest) -> dict[str, Any] | None:
    from checkins.selectors import team_checkins
    from growth.selectors import cycle_current

    staff = _staff(request)
    if staff is None or not _manages(request):
        return None
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        return None
    return {"rows": team_checkins(manager=staff, cycle=cycle), "cycle": cycle}


register_nav(NavItem("Check-ins", "checkins:mine", order=30, visible=lambda r: bool(_staff(r))))
register_nav(NavItem("Team check-ins", "checkins:team", order=31, visible=_manages))
register_nav(
    NavItem("Observations", "checkins:observations", order=35, visible=lambda r: bool(_staff(r)))
)
register_home_panel(HomePanel("checkins-mine", "checkins/panel_mine.html", _my_panel, order=30))
register_home_panel(HomePanel("checkins-team", "checkins/panel_team.html", _team_panel, order=31))
