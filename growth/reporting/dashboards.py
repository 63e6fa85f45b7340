"""The role sections of the home page — my year, my team, my school, the schools to follow up —
and the report links, composed from the report registry (growth/reporting/reports.py).
Registered as home panels and nav items like any app's, so the home view stays generic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, FloatField, Max, Q, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from growth.domain.selectors import cycle_among, cycles_all
from growth.models import GrowthCycle, School, StaffMember
from growth.navigation.inbox import inbox_panel
from growth.navigation.registry import HomePanel, register_home_panel
from growth.reporting.exports import export_urls
from growth.reporting.reports import (
    SELF,
    TEAM,
    ReportContext,
    SchoolMeasure,
    figures_as_of,
    funnel_measures,
    kept_figures,
    kept_school_rows,
    people_table,
    people_with_progress,
    person_columns,
    progress_of,
    report_context,
    school_figures,
    schools_table,
    whole_trust,
)
from growth.security.access import Viewer, headed_schools, roles_of


@dataclass(frozen=True)
class Home:
    """What the home page reads once and hands to every panel
    (growth.navigation.registry.HomePanel): the viewer, the trust's cycles and the report
    context (trust, current cycle, day); the viewer and their direct reports, each with
    their progress row of the cycle (``progress_of``); and for a headteacher, their schools
    with every school measure's figures. The panels about the same people or schools read
    these instead of querying again."""

    viewer: Viewer
    ctx: ReportContext
    cycles: list[GrowthCycle]
    me: StaffMember | None
    team: list[StaffMember]
    schools: list[School] = field(default_factory=list)  # the schools the viewer leads
    school_figures: dict[int, dict[str, Any]] = field(default_factory=dict)  # by school id

    @property
    def staff(self) -> StaffMember:
        return self.viewer.staff

    @property
    def cycle(self) -> GrowthCycle | None:
        return self.ctx.cycle


def home_for(staff: StaffMember) -> Home:
    """The home page of ``staff``: the trust's cycles, then the person and their direct
    reports with their progress rows (``people_with_progress``, two queries), and for a
    headteacher their schools' kept figures (one query; the schools came with their roles)."""
    today = timezone.localdate()
    cycles = cycles_all(staff.trust_id)
    cycle = cycle_among(cycles, on=today)
    ctx = report_context(viewer=staff, cycle=cycle, today=today)
    everyone = list(
        people_with_progress(staff.trust_id, cycle, Q(pk=staff.pk) | Q(line_manager=staff))
    )
    me = next((p for p in everyone if p.pk == staff.pk), None)
    team = [p for p in everyone if p.pk != staff.pk]
    roles = roles_of(staff)
    viewer = Viewer(staff=staff, roles=roles, manages_anyone=bool(team), cycle=cycle, today=today)
    schools = headed_schools(staff) if roles.headteacher_of else []
    figures = school_figures(ctx, schools) if schools else {}
    return Home(
        viewer=viewer,
        ctx=ctx,
        cycles=cycles,
        me=me,
        team=team,
        schools=schools,
        school_figures=figures,
    )


def my_year_panel(home: Home) -> dict[str, Any] | None:
    if home.me is None:
        return None
    figures = [
        (column.label, column.compute(home.ctx, [home.me]).get(home.me.pk))
        for column in person_columns(SELF)
    ]
    return {
        "figures": [(label, cell) for label, cell in figures if cell is not None],
        "as_of": figures_as_of(home.ctx, [progress_of(home.me)]),
    }


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
    if not home.schools:
        return None
    table = schools_table(
        home.ctx, home.schools, figures=home.school_figures, key="schools", caption="Your school"
    )
    measures = table.columns[1:]
    return {
        "as_of": table.as_of,
        "schools": [
            {
                "school": school,
                "figures": list(zip((c.label for c in measures), row[1:], strict=True)),
                "url": reverse("reports:school", args=[school.public_id]),
            }
            for school, row in zip(home.schools, table.rows, strict=True)
        ],
    }


def trust_panel(home: Home) -> dict[str, Any] | None:
    """The trust admin's "Schools to follow up" panel. It ranks every school of the trust, so
    it is loaded after the page (``trust_panel_figures``), which then costs what every home
    does."""
    if not home.viewer.roles.trust_admin:
        return None
    return {"url": reverse("reports:trust_panel")}


# How many schools the admin's home panel lists: the trust report lists every one.
SCHOOLS_TO_FOLLOW_UP = 5


@dataclass(frozen=True)
class FollowUp:
    """The schools furthest behind on ``step`` (a funnel measure: the latest step of the year
    that some of the trust has reached), fewest first, out of ``ranked`` schools that have
    people the step counts; ``steps`` are the funnel's steps up to it, the panel's columns,
    and ``figures`` the shown schools' kept figures, by school id."""

    step: SchoolMeasure
    steps: list[SchoolMeasure]
    schools: list[School]
    figures: dict[int, dict[str, Any]]
    ranked: int


def _figure(key: str) -> Cast:
    """A school's kept figure, as a number the database can compare."""
    return Cast(KT(f"figures__{key}"), FloatField())


def schools_furthest_behind(
    ctx: ReportContext, count: int = SCHOOLS_TO_FOLLOW_UP
) -> FollowUp | None:
    """The ``count`` schools and teams with the smallest share of their people at the latest
    step of the completion funnel anyone in the trust has reached (plans started in
    September, check-ins through the year, July reflections, reviews, decisions), in the
    trust's order where shares are equal. Ranked in the database over the kept school rows:
    two queries, and only the schools shown are read."""
    steps = funnel_measures()
    shares = {step: step.funnel_share for step in steps if step.funnel_share}
    if ctx.cycle is None or not shares:
        return None
    rows = kept_school_rows(ctx)
    reached = rows.aggregate(**{s.key: Max(_figure(part)) for s, (part, _) in shares.items()})
    under_way = [s for s in shares if reached[s.key]]
    step = under_way[-1] if under_way else next(iter(shares))
    part, whole = shares[step]
    counted = rows.alias(whole=_figure(whole)).filter(whole__gt=0)
    shown = list(
        counted.annotate(share=_figure(part) / F("whole"), ranked=Window(Count("pk")))
        .select_related("school")
        .order_by("share", "school__kind", "school__name")[:count]
    )
    return FollowUp(
        step=step,
        steps=steps[: steps.index(step) + 1],
        schools=[row.school for row in shown],
        figures={row.school_id: kept_figures(ctx, row) for row in shown},
        ranked=shown[0].ranked if shown else 0,
    )


def trust_panel_figures(ctx: ReportContext) -> dict[str, Any]:
    """The schools and teams furthest behind on the step the year is at, with the funnel's
    steps up to it, for the home page's panel; the trust report has them all. (Without a
    funnel to rank by, every school with every measure.)"""
    follow_up = schools_furthest_behind(ctx)
    if follow_up is None:
        scope = whole_trust(ctx)
        schools, figures, measures = scope.schools, scope.figures, None
    else:
        schools, figures, measures = follow_up.schools, follow_up.figures, follow_up.steps
    table = schools_table(
        ctx,
        schools,
        figures=figures,
        key="follow-up",
        caption="Schools and teams furthest behind",
        link_schools=True,
        measures=measures,
    )
    return {"table": table, "follow_up": follow_up, "report_url": reverse("reports:trust")}


def _exports(url: str, key: str) -> dict[str, str]:
    return export_urls(url, key)


register_home_panel(HomePanel("inbox", "growth/panels/inbox.html", inbox_panel, order=1))
register_home_panel(HomePanel("my-year", "growth/panels/my_year.html", my_year_panel, order=5))
register_home_panel(HomePanel("team", "growth/panels/team.html", team_panel, order=20, wide=True))
register_home_panel(HomePanel("school", "growth/panels/school.html", school_panel, order=30))
register_home_panel(
    HomePanel("trust", "growth/panels/trust.html", trust_panel, order=40, wide=True)
)
