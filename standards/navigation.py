"""The standards app's navigation links and home panels."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from growth.domain.selectors import cycle_current
from growth.navigation.registry import (
    HomePanel,
    NavItem,
    PersonLink,
    register_home_panel,
    register_nav,
    register_person_link,
)
from growth.security.access import manages_anyone


def _has_staff(request: HttpRequest) -> bool:
    return getattr(request, "staff", None) is not None


def my_self_review_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The state of my self-review this cycle."""
    from standards.selectors import framework_for, self_review_state_for

    staff = getattr(request, "staff", None)
    if staff is None:
        return None
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        return None
    review = self_review_state_for(staff=staff, cycle=cycle)
    # The framework is named only to someone who has not started yet.
    framework = framework_for(staff=staff) if review is None else None
    return {"cycle": cycle, "review": review, "framework": framework}


def awaiting_comment_panel(request: HttpRequest) -> dict[str, Any] | None:
    """For line managers: shared self-reviews of their team still waiting for a comment."""
    from growth.reporting.dashboards import me_and_team
    from standards.selectors import reviews_awaiting_comment

    staff = getattr(request, "staff", None)
    if staff is None or not manages_anyone(staff):
        return None
    found = me_and_team(request)
    waiting = reviews_awaiting_comment(manager=staff, team=found.team if found else None)
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
