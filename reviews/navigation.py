"""Reviews' navigation links and home panels, registered with growth.navigation.registry."""

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
from growth.reporting.reports import progress_of
from growth.security.access import Relation, Viewer

if TYPE_CHECKING:
    from growth.reporting.dashboards import Home


def _is_head(viewer: Viewer) -> bool:
    return bool(viewer.roles.headteacher_of)


def _is_admin(viewer: Viewer) -> bool:
    return viewer.roles.trust_admin


def _is_designated_decider(viewer: Viewer) -> bool:
    return viewer.roles.designated_decider


def _reflection_open(viewer: Viewer) -> bool:
    cycle = viewer.cycle
    return cycle is not None and cycle.reflection_opens <= viewer.today <= cycle.reflection_closes


def _my_review_panel(home: Home) -> dict[str, Any] | None:
    from reviews.models import Review

    staff = home.staff
    review = (
        Review.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, status=Review.Status.DECIDED)
        .select_related("cycle")
        .only("public_id", "acknowledged_at", "cycle__name")  # not the statement's text
        .order_by("-cycle__start_date")
        .first()
    )
    return {"review": review} if review else None


def _to_write_panel(home: Home) -> dict[str, Any] | None:
    from growth.reporting.reports import progress_of
    from reviews.reports import WRITTEN

    if not home.team or home.cycle is None:
        return None
    # The progress rows the "my team" panel reads for the same people: no query of its own.
    submitted = sum(
        1 for p in home.team if (row := progress_of(p)) and row.review_status in WRITTEN
    )
    return {"cycle": home.cycle, "reports": len(home.team), "submitted": submitted}


def _decisions_panel(home: Home) -> dict[str, Any] | None:
    if not home.schools or home.cycle is None:
        return None
    # The "Awaiting final decision" figure of the headteacher's schools, which the home page
    # has worked out for its school panel (reviews/reports.py).
    awaiting = sum(figures["reviews_awaiting"] for figures in home.school_figures.values())
    return {"cycle": home.cycle, "awaiting": awaiting}


register_nav(
    NavItem("Reviews", "reviews:index", order=40, visible=lambda viewer: True, menu="growth")
)
register_nav(
    NavItem(
        "July reflection", "reviews:reflection", order=41, visible=_reflection_open, menu="growth"
    )
)
register_nav(
    NavItem("Final decisions", "reviews:moderation", order=65, visible=_is_head, menu="school")
)
register_nav(
    NavItem("Calibration", "reviews:calibration", order=63, visible=_is_admin, menu="trust")
)
register_nav(
    NavItem("Review settings", "reviews:settings_key", order=92, visible=_is_admin, menu="trust")
)
register_nav(
    NavItem(
        "Decisions passed to you",
        "reviews:passed",
        order=64,
        visible=_is_designated_decider,
        menu="school",
    )
)


def _reflection_panel(home: Home) -> dict[str, Any] | None:
    if not _reflection_open(home.viewer):
        return None
    mine = progress_of(home.me) if home.me else None
    return {"cycle": home.cycle, "done": bool(mine and mine.reflection_submitted_at)}


register_home_panel(
    HomePanel("reviews.reflection", "reviews/panel_reflection.html", _reflection_panel, 39)
)
register_home_panel(HomePanel("reviews.mine", "reviews/panel_mine.html", _my_review_panel, 40))
register_home_panel(
    HomePanel("reviews.to_write", "reviews/panel_to_write.html", _to_write_panel, 41)
)
register_home_panel(
    HomePanel("reviews.decisions", "reviews/panel_decisions.html", _decisions_panel, 42)
)


# --- Pay progression and the Upper Pay Scale (seed 004) ---


def _applies_for_ups(viewer: Viewer) -> bool:
    """Teachers on the main range: they may apply (and read what became of it)."""
    return viewer.staff.category == "teaching" and viewer.staff.pay_range == "main"


register_nav(
    NavItem(
        "Upper Pay Scale", "reviews:ups_mine", order=42, visible=_applies_for_ups, menu="growth"
    )
)
register_nav(NavItem("Pay progression", "reviews:pay", order=66, visible=_is_head, menu="school"))
register_nav(NavItem("Pay totals", "reviews:pay_trust", order=64, visible=_is_admin, menu="trust"))
register_nav(
    NavItem("Pay mapping", "reviews:pay_settings", order=93, visible=_is_admin, menu="trust")
)


def _review_link(viewer: Any, subject: Any, found: set, progress: Any) -> tuple[str, str] | None:
    """The person sees their review once it is released; their leaders before (reviews.views)."""
    if progress is None or not progress.review_public_id:
        return None
    from reviews.models import Review

    if Relation.SELF in found and progress.review_status != Review.Status.DECIDED:
        return None
    return "End-of-year review", reverse("reviews:detail", args=[progress.review_public_id])


register_person_link(PersonLink("review", _review_link, order=40))
