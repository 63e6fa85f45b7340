"""Reviews' navigation links and home panels, registered with growth.navigation.registry."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from growth.navigation.registry import (
    HomePanel,
    NavItem,
    PersonLink,
    register_home_panel,
    register_nav,
    register_person_link,
)
from growth.security.access import Relation, roles_of


def _staff(request: HttpRequest) -> Any:
    return getattr(request, "staff", None)


def _is_head(request: HttpRequest) -> bool:
    staff = _staff(request)
    return staff is not None and bool(roles_of(staff).headteacher_of)


def _is_admin(request: HttpRequest) -> bool:
    staff = _staff(request)
    return staff is not None and roles_of(staff).trust_admin


def _is_designated_decider(request: HttpRequest) -> bool:
    staff = _staff(request)
    return staff is not None and roles_of(staff).designated_decider


def _reflection_open(request: HttpRequest) -> bool:

    staff = _staff(request)
    if staff is None:
        return False
    from growth.domain.selectors import cycle_current

    cycle = cycle_current(trust=staff.trust_id)
    today = timezone.localdate()
    return cycle is not None and cycle.reflection_opens <= today <= cycle.reflection_closes


def _my_review_panel(request: HttpRequest) -> dict[str, Any] | None:
    from reviews.models import Review

    staff = _staff(request)
    if staff is None:
        return None
    review = (
        Review.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, status=Review.Status.DECIDED)
        .select_related("cycle")
        .only("public_id", "acknowledged_at", "cycle__name")  # not the statement's text
        .order_by("-cycle__start_date")
        .first()
    )
    return {"review": review} if review else None


def _to_write_panel(request: HttpRequest) -> dict[str, Any] | None:
    from growth.reporting.dashboards import me_and_team
    from growth.reporting.reports import progress_of
    from reviews.reports import WRITTEN

    found = me_and_team(request)
    if found is None or not found.team or found.ctx.cycle is None:
        return None
    # The progress rows the "my team" panel reads for the same people: no query of its own.
    submitted = sum(
        1 for p in found.team if (row := progress_of(p)) and row.review_status in WRITTEN
    )
    return {"cycle": found.ctx.cycle, "reports": len(found.team), "submitted": submitted}


def _decisions_panel(request: HttpRequest) -> dict[str, Any] | None:
    from growth.domain.selectors import cycle_current
    from reviews.models import Review

    staff = _staff(request)
    if staff is None or not roles_of(staff).headteacher_of:
        return None
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        return None
    schools = roles_of(staff).headteacher_of
    awaiting = (
        Review.objects.for_trust(staff.trust_id)
        .filter(cycle=cycle, status=Review.Status.SUBMITTED, staff_member__school_id__in=schools)
        .count()
    )
    return {"cycle": cycle, "awaiting": awaiting}


register_nav(
    NavItem(
        "Reviews", "reviews:index", order=40, visible=lambda r: _staff(r) is not None, menu="growth"
    )
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


def _reflection_panel(request: HttpRequest) -> dict[str, Any] | None:
    from growth.domain.selectors import cycle_current
    from reviews.models import JulyReflection

    staff = _staff(request)
    if staff is None or not _reflection_open(request):
        return None
    cycle = cycle_current(trust=staff.trust_id)
    done = (
        JulyReflection.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle, submitted_at__isnull=False)
        .exists()
    )
    return {"cycle": cycle, "done": done}


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


def _review_link(viewer: Any, subject: Any, found: set, progress: Any) -> tuple[str, str] | None:
    """The person sees their review once it is released; their leaders before (reviews.views)."""
    if progress is None or not progress.review_public_id:
        return None
    from reviews.models import Review

    if Relation.SELF in found and progress.review_status != Review.Status.DECIDED:
        return None
    return "End-of-year review", reverse("reviews:detail", args=[progress.review_public_id])


register_person_link(PersonLink("review", _review_link, order=40))
