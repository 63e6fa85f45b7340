"""The team, school and trust reports, composed from the report registry
(growth/reporting/reports.py), with charts and CSV/XLSX exports of every table. Thin views:
access → selector → render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from growth.domain.selectors import cycle_current
from growth.models import School, StaffMember
from growth.navigation.registry import Navigation, nav_links
from growth.reporting.dashboards import trust_panel_figures
from growth.reporting.exports import export_links, export_of, export_requested, export_response
from growth.reporting.reports import (
    SCHOOL,
    TEAM,
    TRUST,
    Cell,
    ChartData,
    Column,
    ReportContext,
    ReportScope,
    ReportTable,
    charts,
    every_school_table,
    funnel_chart,
    people_table,
    people_with_progress,
    report_context,
    school_figures,
    school_staff,
    schools_table,
    whole_trust,
)
from growth.security.access import (
    get_in_trust_or_404,
    require_role,
    require_staff,
    roles_of,
    viewer_of,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class ChartBlock:
    key: str
    title: str
    kind: str
    summary: str
    data: ChartData

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "labels": self.data.labels,
            "series": [{"label": s.label, "values": s.values} for s in self.data.series],
            "xTitle": self.data.x_title,
            "yTitle": self.data.y_title,
        }


def chart_blocks(
    ctx: ReportContext, scope: ReportScope, *, audience: str, funnel: ChartData | None
) -> list[ChartBlock]:
    blocks = []
    if funnel is not None and not funnel.is_empty:
        blocks.append(
            ChartBlock(
                "funnel",
                "Completion funnel",
                "funnel",
                "How many people have reached each step of the growth year.",
                funnel,
            )
        )
    for chart in charts(audience):
        data = chart.data(ctx, scope)
        if data is not None and not data.is_empty:
            blocks.append(ChartBlock(chart.key, chart.title, chart.kind, chart.summary, data))
    return blocks


def summary_table(table: ReportTable, *, key: str, caption: str) -> ReportTable:
    """A one-school schools table turned on its side: one row per measure."""
    row = table.rows[0] if table.rows else []
    return ReportTable(
        key=key,
        caption=caption,
        columns=[Column("measure", "Measure", is_row_header=True), Column("value", "Value")],
        rows=[
            [Cell(col.label), cell] for col, cell in zip(table.columns[1:], row[1:], strict=True)
        ],
        as_of=table.as_of,
    )


def _nav(request: HttpRequest, ctx: ReportContext) -> Navigation:
    """The header, from the cycle the report has read (growth.navigation.registry.nav_links)."""
    assert ctx.viewer is not None
    return nav_links(request, viewer_of(ctx.viewer, cycle=ctx.cycle, today=ctx.today))


def _name(staff: StaffMember) -> str:
    return staff.trust.slug


# --- Team ----------------------------------------------------------------------------------


@login_required
def team_report(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    ctx = report_context(viewer=viewer, cycle=cycle_current(trust=viewer.trust_id))
    people = list(people_with_progress(viewer.trust_id, ctx.cycle, line_manager=viewer))
    table = people_table(
        ctx,
        people,
        audience=TEAM,
        key="team",
        caption=f"Your team ({len(people)})",
        empty_text="Nobody reports to you.",
    )
    if exported := export_of(request, [table], name=f"{_name(viewer)}-team"):
        return exported
    return render(
        request,
        "growth/reports/team.html",
        {
            "table": table,
            "exports": export_links(request, table.key),
            "cycle": ctx.cycle,
            "nav": _nav(request, ctx),
        },
    )


# --- School --------------------------------------------------------------------------------


def _access_school(request: HttpRequest, public_id: Any) -> tuple[StaffMember, School]:
    """The school's report: its headteacher and the trust admins. 404 for another trust's
    school, 403 for anyone else in the trust."""
    viewer = require_staff(request)
    school = get_in_trust_or_404(School, request=request, public_id=public_id)
    roles = roles_of(viewer)
    if not (roles.trust_admin or school.pk in roles.headteacher_of):
        raise PermissionDenied("Only the school's headteacher and trust admins see this.")
    return viewer, school


@login_required
def my_school_report(request: HttpRequest) -> HttpResponse:
    viewer = require_role(request, headteacher=True)
    school = (
        School.objects.for_trust(viewer.trust_id)
        .filter(pk__in=roles_of(viewer).headteacher_of)
        .order_by("name")
        .first()
    )
    if school is None:
        raise Http404("No such page.")
    return redirect("reports:school", public_id=school.public_id)


def _school_people(
    ctx: ReportContext, school: School, people: list[StaffMember], **options: Any
) -> ReportTable:
    caption = f"Staff of {school.name}"
    return people_table(ctx, people, audience=SCHOOL, key="people", caption=caption, **options)


def _school_export(
    request: HttpRequest, ctx: ReportContext, school: School, summary: ReportTable
) -> HttpResponse | None:
    """An export of the school's report: its summary, or all its staff (the page shows them
    a page at a time); None when the request asks for none."""
    wanted = export_requested(request)
    if wanted is None:
        return None
    assert ctx.viewer is not None
    name = f"{_name(ctx.viewer)}-{school.name}"
    if wanted[0] == "people":
        everyone = list(people_with_progress(school.trust_id, ctx.cycle, school=school))
        return export_response(_school_people(ctx, school, everyone), wanted[1], name=name)
    return export_of(request, [summary], name=name)


def _school_summary(ctx: ReportContext, scope: ReportScope) -> tuple[ReportTable, ReportTable]:
    """The school as one row of the schools table (for its funnel), and that row turned on
    its side as the page's summary."""
    [school] = scope.schools
    one_school = schools_table(
        ctx, [school], figures=scope.figures, key="school", caption=school.name
    )
    summary = summary_table(one_school, key="summary", caption=f"{school.name} at a glance")
    return one_school, summary


def _people_page(
    request: HttpRequest, ctx: ReportContext, school: School
) -> tuple[ReportTable, Page]:
    """The page of the school's staff the request asks for, and its table."""
    everyone = people_with_progress(school.trust_id, ctx.cycle, school=school)
    page = Paginator(everyone, PAGE_SIZE).get_page(request.GET.get("page"))
    people = list(page.object_list)
    return _school_people(ctx, school, people, empty_text="Nobody works here yet."), page


@login_required
def school_report(request: HttpRequest, public_id: Any) -> HttpResponse:
    viewer, school = _access_school(request, public_id)
    ctx = report_context(viewer=viewer, cycle=cycle_current(trust=viewer.trust_id))
    scope = ReportScope([school], school_figures(ctx, [school]), school_staff(school))
    one_school, summary = _school_summary(ctx, scope)
    if exported := _school_export(request, ctx, school, summary):
        return exported
    people, page = _people_page(request, ctx, school)
    funnel = funnel_chart(ctx, one_school)
    return render(
        request,
        "growth/reports/school.html",
        {
            "school": school,
            "cycle": ctx.cycle,
            "nav": _nav(request, ctx),
            "summary": summary,
            "summary_exports": export_links(request, "summary"),
            "people": people,
            "people_exports": export_links(request, "people"),
            "page_obj": page,
            "charts": chart_blocks(ctx, scope, audience=SCHOOL, funnel=funnel),
            "is_trust_admin": roles_of(viewer).trust_admin,
        },
    )


# --- Trust ---------------------------------------------------------------------------------


@login_required
def trust_report(request: HttpRequest) -> HttpResponse:
    viewer = require_role(request, trust_admin=True)
    ctx = report_context(viewer=viewer, cycle=cycle_current(trust=viewer.trust_id))
    scope = whole_trust(ctx)
    table = every_school_table(ctx, scope, link_schools=export_requested(request) is None)
    if exported := export_of(request, [table], name=f"{_name(viewer)}-schools"):
        return exported
    return render(
        request,
        "growth/reports/trust.html",
        {
            "table": table,
            "exports": export_links(request, table.key),
            "cycle": ctx.cycle,
            "nav": _nav(request, ctx),
            "charts": chart_blocks(ctx, scope, audience=TRUST, funnel=funnel_chart(ctx, table)),
        },
    )


@login_required
def trust_panel(request: HttpRequest) -> HttpResponse:
    """The trust admin's home page panel of every school, loaded after the page."""
    viewer = require_role(request, trust_admin=True)
    ctx = report_context(viewer=viewer, cycle=cycle_current(trust=viewer.trust_id))
    return render(request, "growth/panels/_trust_figures.html", {"panel": trust_panel_figures(ctx)})
