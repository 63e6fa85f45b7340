"""The checkins app's links and home panel, registered with growth's registry. A line
manager's team check-ins show on the home page's "My team" panel through the report columns
in ``checkins/reports.py``, and in full under "Team check-ins"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from growth.navigation.registry import (
    HomePanel,
    NavItem,
    PersonLink,
    register_home_panel,
    register_nav,
    register_person_link,
)
from growth.security.access import manages_anyone


def _staff(request: HttpRequest) -> Any:
    return getattr(request, "staff", None)


def _has_staff(request: HttpRequest) -> bool:
    return _staff(request) is not None


def _manages(request: HttpRequest) -> bool:
    staff = _staff(request)
    if staff is None:
        return False
    return manages_anyone(staff)


def _my_panel(request: HttpRequest) -> dict[str, Any] | None:
    from checkins.selectors import engagement_for_people
    from growth.reporting.dashboards import me_and_team
    from growth.reporting.reports import progress_of

    staff = _staff(request)
    found = me_and_team(request)
    if staff is None or found is None or found.ctx.cycle is None:
        return None
    cycle = found.ctx.cycle
    # The next date comes from the progress row the "my year" panel reads, so both panels
    # show the same date without a query of their own.
    mine = progress_of(found.me) if found.me else None
    engagement = engagement_for_people(
        spans={staff.pk: (staff.start_date, staff.leave_date)}, cycle=cycle, on=found.ctx.today
    )[staff.pk]
    return {
        "subject": staff,
        "cycle": cycle,
        "next_on": mine.next_checkin_on if mine else None,
        "engagement": engagement,
    }


register_nav(NavItem("Check-ins", "checkins:mine", order=30, visible=_has_staff, menu="growth"))
register_nav(
    NavItem("Observations", "checkins:observations", order=35, visible=_has_staff, menu="growth")
)
register_nav(NavItem("Team check-ins", "checkins:team", order=31, visible=_manages, menu="team"))
register_home_panel(HomePanel("checkins-mine", "checkins/panel_mine.html", _my_panel, order=30))


def _checkins_link(viewer: Any, subject: Any, found: set, progress: Any) -> tuple[str, str]:
    return "Check-ins and observations", reverse("checkins:person", args=[subject.public_id])


register_person_link(PersonLink("checkins", _checkins_link, order=20))
