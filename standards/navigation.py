"""The standards app's navigation links and home panels."""

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


def my_self_review_panel(home: Home) -> dict[str, Any] | None:
    """The state of my self-review this cycle."""
    from growth.reporting.reports import progress_of
    from standards.selectors import framework_for, self_review_state_for

    if home.cycle is None:
        return None
    # The progress row says whether the person has started (no query); then one query,
    # for the review's figures or for the framework they would start against.
    mine = progress_of(home.me) if home.me else None
    started = bool(mine and mine.self_review_state)
    review = self_review_state_for(staff=home.staff, cycle=home.cycle) if started else None
    # The framework is named only to someone who has not started yet.
    framework = framework_for(staff=home.staff) if review is None else None
    return {"cycle": home.cycle, "review": review, "framework": framework}


def awaiting_comment_panel(home: Home) -> dict[str, Any] | None:
    """For line managers: shared self-reviews of their team still waiting for a comment."""
    from standards.selectors import reviews_awaiting_comment

    if not home.team:
        return None
    waiting = reviews_awaiting_comment(manager=home.staff, team=home.team)
    if not waiting:
        return None
    return {"waiting": waiting}


register_nav(
    NavItem(
        "My self-review", "standards:my_self_review", order=15, visible=_has_staff, menu="growth"
    )
)
register_nav(
    NavItem("Standards", "standards:framework_list", order=50, visible=_has_staff, menu="growth")
)
register_home_panel(
    HomePanel(
        key="standards.my_self_review",
        template="standards/panels/my_self_review.html",
        context=my_self_review_panel,
        order=15,
    )
)
register_home_panel(
    HomePanel(
        key="standards.awaiting_comment",
        template="standards/panels/awaiting_comment.html",
        context=awaiting_comment_panel,
        order=16,
    )
)


def _self_review_link(
    viewer: Any, subject: Any, found: set, progress: Any
) -> tuple[str, str] | None:
    from standards.models import SelfReview

    if progress is None:
        return None
    review = (
        SelfReview.objects.for_trust(subject.trust_id)
        .filter(staff_member=subject, cycle_id=progress.cycle_id)
        .only("public_id")
        .first()
    )
    if review is None:
        return None
    return "Self-review", reverse("standards:self_review", args=[review.public_id])


register_person_link(PersonLink("self_review", _self_review_link, order=30))
