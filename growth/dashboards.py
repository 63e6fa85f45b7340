"""The role sections of the home page — my year, my team, my school, every school — and the
report links, composed from the report registry (growth/reports.py). Registered as home
panels and nav items like any app's, so the home view stays generic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from growth.access import Viewer, roles_of
from growth.exports import export_urls
from growth.models import GrowthCycle, School, StaffMember
from growth.registry import HomePanel, register_home_panel
from growth.reports import (
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
from growth.selectors import cycle_current


@dataclass(frozen=True)
class Home:
    """What the home page reads once and hands to every panel (growth.registry.HomePanel):
    the viewer, the report context (trust, cycle, day), and the viewer and their direct
    reports, each with their progress row of the cycle (``progress_of``). The "my year" and
    "my team" panels, and any app's panel about the same people, read these instead of
    querying again."""

    viewer: Viewer
    ctx: ReportContext
    me: StaffMember | None
    team: list[StaffMember]

    @property
    def staff(self) -> StaffMember:
        return self.viewer.staff

    @property
    def cycle(self) -> GrowthCycle | None:
        return self.ctx.cycle

    @property
    def everyone(self) -> list[StaffMember]:
        return [p for p in (self.me, *self.team) if p is not None]


def home_for(staff: StaffMember) -> Home:
    """The home page of ``staff`` in three queries: the current cycle, then the person and
    their direct reports with their progress rows (``people_with_progress``)."""
    today = timezone.localdate()
    cycle = cycle_current(trust=staff.trust_id, on=today)
    ctx = report_context(viewer=staff, cycle=cycle, today=today)
    everyone = list(
        people_with_progress(staff.trust_id, cycle, Q(pk=staff.pk) | Q(line_manager=staff))
    )
    me = next((p for p in everyone if p.pk == staff.pk), None)
    team = [p for p in everyone if p.pk != staff.pk]
    viewer = Viewer(
        staff=staff,
        roles=roles_of(staff),
        manages_anyone=bool(team),
        cycle=cycle,
        today=today,
    )
    return Home(viewer=viewer, ctx=ctx, me=me, team=team)


def my_year_panel(home: Home) -> dict[str, Any] | None:
    if home.me is None:
        return None
    figures = [
        (column.label, column.compute(home.ctx, [home.me]).get(home.me.pk))
        for column in person_columns(SELF)
    ]
    return {"figures": [(label, cell) for label, cell in figures if cell is not None]}


def team_panel(home: Home) -> dict[str, Any] | None:
    if not home.team:
        return None
    table = people_table(
        home.ctx,
        home.team,
        audience=TEAM,
        key="team",
        caption=f"Your team ({len(home.team)})",
    )
    team_url = reverse("reports:team")
    return {"table": table, "report_url": team_url, "exports": _exports(team_url, "team")}


def school_panel(home: Home) -> dict[str, Any] | None:
    ctx = home.ctx
    headed = home.viewer.roles.headteacher_of
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


def trust_panel(home: Home) -> dict[str, Any] | None:
    ctx = home.ctx
    if not home.viewer.roles.trust_admin:
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
