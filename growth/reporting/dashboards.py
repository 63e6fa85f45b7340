"""The role sections of the home page — my year, my team, my school, every school — and the
report links, composed from the report registry (growth/reporting/reports.py). Registered as home
panels and nav items like any app's, so the home view stays generic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from growth.domain.selectors import cycle_current
from growth.models import School, StaffMember
from growth.navigation.registry import HomePanel, register_home_panel
from growth.reporting.exports import export_urls
from growth.reporting.reports import (
    SELF,
    TEAM,
    ReportContext,
    active_staff,
    people_table,
    people_with_progress,
    person_columns,
    report_context,
    schools_table,
    trust_schools,
)
from growth.security.access import manages_anyone_is, roles_of


def _context(request: HttpRequest) -> ReportContext | None:
    """A fresh context per panel (a context's memo serves one scope of people), with the
    cycle read once per request."""
    staff = getattr(request, "staff", None)
    if staff is None:
        return None
    return report_context(viewer=staff, cycle=cycle_current(trust=staff.trust_id))


@dataclass(frozen=True)
class MeAndTeam:
    """The viewer and their direct reports under one report context."""

    ctx: ReportContext
    me: StaffMember | None
    team: list[StaffMember]
    everyone: list[StaffMember]  # me and the team: the list each app's figures are loaded for


def me_and_team(request: HttpRequest) -> MeAndTeam | None:
    """The viewer and their direct reports, read once per request with one context: the "my
    year" and "my team" panels, and any app's panel about the same people, share each app's
    figures (one query per app for everyone of them)."""
    if not hasattr(request, "_report_people"):
        ctx = _context(request)
        found = None
        if ctx is not None and ctx.viewer is not None:
            viewer = ctx.viewer
            everyone = list(
                people_with_progress(
                    ctx.trust_id, ctx.cycle, Q(pk=viewer.pk) | Q(line_manager=viewer)
                )
            )
            me = next((p for p in everyone if p.pk == viewer.pk), None)
            team = [p for p in everyone if p.pk != viewer.pk]
            manages_anyone_is(viewer, bool(team))
            found = MeAndTeam(ctx, me, team, everyone)
        request._report_people = found  # type: ignore[attr-defined]
    return request._report_people  # type: ignore[attr-defined]


def my_year_panel(request: HttpRequest) -> dict[str, Any] | None:
    found = me_and_team(request)
    if found is None or found.me is None:
        return None
    figures = [
        (column.label, column.compute(found.ctx, [found.me]).get(found.me.pk))
        for column in person_columns(SELF)
    ]
    return {"figures": [(label, cell) for label, cell in figures if cell is not None]}


def team_panel(request: HttpRequest) -> dict[str, Any] | None:
    found = me_and_team(request)
    if found is None or not found.team:
        return None
    table = people_table(
        found.ctx,
        found.team,
        audience=TEAM,
        key="team",
        caption=f"Your team ({len(found.team)})",
    )
    team_url = reverse("reports:team")
    return {"table": table, "report_url": team_url, "exports": _exports(team_url, "team")}


def school_panel(request: HttpRequest) -> dict[str, Any] | None:
    ctx = _context(request)
    if ctx is None or ctx.viewer is None:
        return None
    headed = roles_of(ctx.viewer).headteacher_of
    if not headed:
        return None
    schools = list(School.objects.for_trust(ctx.trust_id).filter(pk__in=headed).order_by("name"))
    staff = active_staff(ctx.trust_id).filter(school__in=headed)
    table = schools_table(ctx, staff, schools, key="schools", caption="Your school")
    measures = table.columns[1:]
    return {
        "schools": [
            {
                "school": school,
                "figures": list(zip((c.label for c in measures), row[1:], strict=True)),
                "url": reverse("reports:school", args=[school.public_id]),
            }
            for school, row in zip(schools, table.rows, strict=True)
        ]
    }


def trust_panel(request: HttpRequest) -> dict[str, Any] | None:
    ctx = _context(request)
    if ctx is None or ctx.viewer is None or not roles_of(ctx.viewer).trust_admin:
        return None
    table = schools_table(
        ctx,
        active_staff(ctx.trust_id),
        trust_schools(ctx.trust_id),
        key="schools",
        caption="Every school and team side by side",
        link_schools=True,
    )
    trust_url = reverse("reports:trust")
    return {"table": table, "report_url": trust_url, "exports": _exports(trust_url, "schools")}


def _exports(url: str, key: str) -> dict[str, str]:
    return export_urls(url, key)


register_home_panel(HomePanel("my-year", "growth/panels/my_year.html", my_year_panel, order=5))
register_home_panel(HomePanel("team", "growth/panels/team.html", team_panel, order=20, wide=True))
register_home_panel(HomePanel("school", "growth/panels/school.html", school_panel, order=30))
register_home_panel(
    HomePanel("trust", "growth/panels/trust.html", trust_panel, order=40, wide=True)
)
