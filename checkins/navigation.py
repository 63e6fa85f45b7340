"""The checkins app's links and home panel, registered with growth's registry. A line
manager's team check-ins show on the home page's "My team" panel through the report columns
in ``checkins/reports.py``, and in full under "Team check-ins"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from growth.access import manages_anyone
from growth.registry import HomePanel, NavItem, register_home_panel, register_nav
from growth.selectors import cycle_current


def _staff(request: HttpRequest) -> Any:
    return getattr(request, "staff", None)


def _manages(request: HttpRequest) -> bool:
    staff = _staff(request)
    if staff is None:
        return False
    return manages_anyone(staff)


def _my_panel(request: HttpRequest) -> dict[str, Any] | None:
    from checkins.selectors import my_checkins

    staff = _staff(request)
    if staff is None:
        return None
    cycle = cycle_current(trust=staff.trust_id)  # the request's one lookup (request_memo)
    if cycle is None:
        return None
    next_on, engagement = my_checkins(staff=staff, cycle=cycle)
    return {"subject": staff, "cycle": cycle, "next_on": next_on, "engagement": engagement}


register_nav(NavItem("Check-ins", "checkins:mine", order=30, visible=lambda r: bool(_staff(r))))
register_nav(NavItem("Team check-ins", "checkins:team", order=31, visible=_manages))
register_nav(
    NavItem("Observations", "checkins:observations", order=35, visible=lambda r: bool(_staff(r)))
)
register_home_panel(HomePanel("checkins-mine", "checkins/panel_mine.html", _my_panel, order=30))
