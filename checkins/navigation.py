"""The checkins app's links and home panel, registered with growth's registry. A line
manager's team check-ins show on the home page's "My team" panel through the report columns
in ``checkins/reports.py``, and in full under "Team check-ins"."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from growth.navigation.registry import HomePanel, NavItem, register_home_panel, register_nav
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


def _growth_feedback_panel(request: HttpRequest) -> dict[str, Any] | None:
    """Seed 004: every teacher receives feedback on their growth focus during the year. The
    line manager sees their teachers who have not had it yet; the headteacher their school's."""
    from checkins.selectors import awaiting_growth_feedback
    from growth.domain.selectors import cycle_current
    from growth.models import StaffMember
    from growth.security.access import duty_view, roles_of

    staff = _staff(request)
    if staff is None:
        return None
    schools = roles_of(staff).headteacher_of
    if not schools and not manages_anyone(staff):
        return None
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        return None
    people = StaffMember.objects.for_trust(staff.trust_id).exclude(pk=staff.pk)
    if schools:
        people = people.filter(models.Q(line_manager=staff) | models.Q(school_id__in=schools))
        people = people.exclude(pk__in=duty_view(staff).school_leaders)
    else:
        people = people.filter(line_manager=staff)
    waiting = list(
        awaiting_growth_feedback(people=people, cycle=cycle)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")[: PANEL_NAMES + 1]
    )
    total = (
        len(waiting)
        if len(waiting) <= PANEL_NAMES
        else awaiting_growth_feedback(people=people, cycle=cycle).count()
    )
    return {"cycle": cycle, "waiting": waiting[:PANEL_NAMES], "total": total}


PANEL_NAMES = 12

register_home_panel(
    HomePanel(
        "checkins-growth-feedback",
        "checkins/panel_growth_feedback.html",
        _growth_feedback_panel,
        order=32,
    )
)
