"""The team, school and trust reports, composed from the report registry
(growth/reporting/reports.py), with charts and CSV/XLSX exports of every table. Thin views:
access → selector → render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from growth.domain.selectors import cycle_current
from growth.models import School, StaffMember
from growth.reporting.exports import export_links, export_requested, export_response
from growth.reporting.reports import (
    SCHOOL,
    TEAM,
    TRUST,
    Cell,
    ChartData,
    Column,
    ReportContext,
    ReportTable,
    active_staff,
    charts,
    funnel_chart,
    people_table,
    people_with_progress,
    report_context,
    school_staff,
    schools_table,
    trust_schools,
)
from growth.security.access import get_in_trust_or_404, require_role, require_staff, roles_of

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
    ctx: ReportContext, staff: Any, *, audience: str, funnel: ChartData | None
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
        data = chart.data(ctx, staff)
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
    )


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
    if wanted := export_requested(request):
        if wanted[0] != table.key:
            raise Http404("No such table.")
        return export_response(table, wanted[1], name=f"{_name(viewer)}-team")
    return render(
        request,
        "growth/reports/team.html",
        {"table": table, "exports": export_links(request, table.key), "cycle": ctx.cycle},
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


@login_required
def school_report(request: HttpRequest, public_id: Any) -> HttpResponse:
    viewer, school = _access_school(request, public_id)
    ctx = report_context(viewer=viewer, cycle=cycle_current(trust=viewer.trust_id))
    staff = school_staff(school)
    one_school = schools_table(ctx, staff, [school], key="school", caption=school.name)
    summary = summary_table(one_school, key="summary", caption=f"{school.name} at a glance")
    wanted = export_requested(request)
    if wanted and wanted[0] == "people":
        people = people_table(
            ctx,
            list(people_with_progress(viewer.trust_id, ctx.cycle, school=school)),
            audience=SCHOOL,
            key="people",
            caption=f"Staff of {school.name}",
        )
        return export_response(people, wanted[1], name=f"{_name(viewer)}-{school.name}")
    if wanted:
        if wanted[0] != summary.key:
            raise Http404("No such table.")
        return export_response(summary, wanted[1], name=f"{_name(viewer)}-{school.name}")
    page = Paginator(
        people_with_progress(viewer.trust_id, ctx.cycle, school=school), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    people = people_table(
        ctx,
        list(page.object_list),
        audience=SCHOOL,
        key="people",
        caption=f"Staff of {school.name}",
        empty_text="Nobody works here yet.",
    )
    return render(
        request,
        "growth/reports/school.html",
        {
            "school": school,
            "cycle": ctx.cycle,
            "summary": summary,
            "summary_exports": export_links(request, "summary"),
            "people": people,
            "people_exports": export_links(request, "people"),
            "page_obj": page,
            "charts": chart_blocks(
                ctx, staff, audience=SCHOOL, funnel=funnel_chart(ctx, one_school)
            ),
            "is_trust_admin": roles_of(viewer).trust_admin,
        },
    )


# --- Trust ---------------------------------------------------------------------------------


@login_required
def trust_report(request: HttpRequest) -> HttpResponse:
    viewer = require_role(request, trust_admin=True)
    ctx = report_context(viewer=viewer, cycle=cycle_current(trust=viewer.trust_id))
    staff = active_staff(viewer.trust_id)
    table = schools_table(
        ctx,
        staff,
        trust_schools(viewer.trust_id),
        key="schools",
        caption="Every school and team side by side",
        link_schools=True,
    )
    if wanted := export_requested(request):
        if wanted[0] != table.key:
            raise Http404("No such table.")
        return export_response(table, wanted[1], name=f"{_name(viewer)}-schools")
    return render(
        request,
        "growth/reports/trust.html",
        {
            "table": table,
            "exports": export_links(request, table.key),
            "cycle": ctx.cycle,
            "charts": chart_blocks(ctx, staff, audience=TRUST, funnel=funnel_chart(ctx, table)),
        },
    )
