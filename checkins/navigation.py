"""The checkins app's links and home panel, registered with growth's registry. A line
manager's team check-ins show on the home page's "My team" panel through the report columns
in ``checkins/reports.py``, and in full under "Team check-ins"."""

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


def _manages(viewer: Viewer) -> bool:
    return viewer.manages_anyone


def _my_panel(home: Home) -> dict[str, Any] | None:
    from checkins.selectors import engagement_with_expected
    from growth.reporting.reports import figures_as_of, progress_of

    cycle = home.cycle
    if cycle is None:
        return None
    # The next date and the check-ins due so far come from the progress row the "my year"
    # panel reads, so both panels show the same figures; the counts behind the engagement
    # (reflections, areas, tools, recognition) are one query.
    mine = progress_of(home.me) if home.me else None
    engagement = engagement_with_expected(
        expected={home.staff.pk: mine.checkins_due if mine else 0}, cycle=cycle, on=home.ctx.today
    )[home.staff.pk]
    return {
        "subject": home.staff,
        "cycle": cycle,
        "next_on": mine.next_checkin_on if mine else None,
        "as_of": figures_as_of(home.ctx, [mine]),
        "engagement": engagement,
    }


register_nav(NavItem("Check-ins", "checkins:mine", order=30, visible=_has_staff, menu="growth"))
register_nav(
    NavItem("Observations", "checkins:observations", order=35, visible=_has_staff, menu="growth")
)
register_nav(NavItem("Team check-ins", "checkins:team", order=31, visible=_manages, menu="team"))
register_home_panel(HomePanel("checkins-mine", "checkins/panel_mine.html", _my_panel, order=30))


def _growth_feedback_panel(home: Home) -> dict[str, Any] | None:
    """Seed 004: every teacher receives feedback on their growth focus during the year. Shown
    to line managers and headteachers; its list is loaded after the page
    (``checkins.views.growth_feedback_panel``)."""
    if home.cycle is None or not (home.viewer.roles.headteacher_of or home.team):
        return None
    return {}


register_home_panel(
    HomePanel(
        "checkins-growth-feedback",
        "checkins/panel_growth_feedback.html",
        _growth_feedback_panel,
        order=32,
    )
)


def _checkins_link(viewer: Any, subject: Any, found: set, progress: Any) -> tuple[str, str]:
    return "Check-ins and observations", reverse("checkins:person", args=[subject.public_id])


register_person_link(PersonLink("checkins", _checkins_link, order=20))
