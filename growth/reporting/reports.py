"""The report registry: how apps contribute columns, school measures and charts to the role
home pages and the team, school and trust reports, without ``growth`` importing them
(DESIGN.md §4 — the way apps register with the admin).

Every figure comes from the people's ``GrowthProgress`` rows (growth/reporting/progress.py), read
with plain querysets. An app adds a ``reports.py`` module (found by ``autodiscover``) that calls:

* ``register_person_column(PersonColumn(...))`` — one column per person in the team and school
  tables (and a line of the staff member's own "my year" panel). ``compute(ctx, people)``
  receives every person of the table, each with their progress row for the cycle
  (``progress_of(person)``), and returns ``{staff_id: Cell}`` without a query.
* ``register_school_measure(SchoolMeasure(...))`` — one figure per school in the school and
  trust reports: ``aggregates(ctx)`` names the aggregates it needs over the people and their
  progress rows (``p__<field>``), all measures' aggregates are worked out in one GROUP BY, and
  ``cell(ctx, figures)`` makes the school's cell from that school's figures. A measure with
  ``funnel_step`` is also a step of the completion funnel, valued at a count of people.
* ``register_chart(ReportChart(...))`` — a chart with the table behind it. ``data(ctx,
  scope)`` returns a ``ChartData`` (or None to hide the chart) for the schools of a
  ``ReportScope``; what it adds up over schools it counts per school in ``school_figures``.

The school measures' figures and the charts' school figures are kept per school and cycle in
``SchoolProgress`` rows (growth/reporting/school_progress.py), so a school or trust table reads
one row per school.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, FilteredRelation, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import autodiscover_modules

from growth.models import GrowthCycle, GrowthProgress, School, SchoolProgress, StaffMember, Trust

TEAM = "team"  # a line manager's direct reports
SCHOOL = "school"  # a headteacher's school
TRUST = "trust"  # a trust admin's whole trust
SELF = "self"  # the staff member's own "my year" panel
ALL_AUDIENCES = frozenset({TEAM, SCHOOL, TRUST, SELF})


def day_text(value: dt.date | dt.datetime) -> str:
    """A day as every page, export and PDF writes it ("3 Oct 2026", settings.DATE_FORMAT):
    a moment is the day it was in the trust's time zone, not in UTC."""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return date_format(value)


def link_to(route: str, public_id: Any) -> str | None:
    """The address of the record a summary row names, or None when it names none."""
    return reverse(route, args=[public_id]) if public_id else None


@dataclass(frozen=True)
class Cell:
    """One value as the page shows it (``text``), with the raw ``value`` for charts, totals
    and spreadsheets, an optional link and a tone (``""``, ``"good"``, ``"warn"``,
    ``"bad"``) shown as a badge. Rendered by ``growth/reports/_cell.html``."""

    text: str
    value: Any = None
    url: str | None = None
    tone: str = ""
    # The figures a text like "6 of 8 (75%)" is made of, as (column suffix, number) pairs:
    # a spreadsheet gets each in a numeric column of its own (``ReportTable.export_grid``).
    parts: tuple[tuple[str, int | float], ...] = ()

    @property
    def export_value(self) -> Any:
        """What a spreadsheet receives: the number where the page shows just that number,
        otherwise exactly the text on the page."""
        if isinstance(self.value, bool):
            return self.text
        if isinstance(self.value, int | float) and str(self.value) == self.text:
            return self.value
        return self.text


EMPTY = Cell("—")

# The name of ``school_figures``' own figure: the day its oldest check-in figures are as of.
AS_OF = "growth_checkins_as_of"


@dataclass(frozen=True)
class ReportContext:
    """What every figure is worked out against: one trust, one cycle, one day, one viewer."""

    trust: Trust
    cycle: GrowthCycle | None
    today: dt.date
    viewer: StaffMember | None = None

    @property
    def trust_id(self) -> int:
        return self.trust.pk


@dataclass(frozen=True)
class PersonColumn:
    key: str
    label: str
    compute: Callable[[ReportContext, Sequence[StaffMember]], Mapping[int, Cell]]
    order: int = 50
    audiences: frozenset[str] = ALL_AUDIENCES


Figures = Mapping[str, Any]


@dataclass(frozen=True)
class SchoolMeasure:
    key: str
    label: str
    # The aggregates this measure needs, over StaffMember rows with ``p`` their progress row
    # of the cycle; named uniquely (prefix them with the app's name).
    aggregates: Callable[[ReportContext], Mapping[str, models.Aggregate]]
    # The school's cell from its figures (every measure's aggregates, by name).
    cell: Callable[[ReportContext, Figures], Cell]
    order: int = 50
    # The completion funnel shows every measure with a step, in step order.
    funnel_step: int | None = None
    funnel_label: str = ""
    # For a funnel step: the figure counting the people at the step and the one counting the
    # people it is a share of, so that schools can be ranked by that share in the database.
    funnel_share: tuple[str, str] | None = None


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | int]


@dataclass(frozen=True)
class ChartData:
    labels: list[str]
    series: list[Series]
    x_title: str = ""
    y_title: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.labels or not any(any(s.values) for s in self.series)

    @property
    def rows(self) -> list[tuple[str, list[float | int]]]:
        """The figures as a table: a row per label, a figure per series."""
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]


@dataclass(frozen=True)
class ReportScope:
    """What a school or trust report covers: its schools, their kept figures (by school id;
    a school with no active staff has none) and, for the few figures that are not added up
    over schools, the active staff of those schools."""

    schools: Sequence[School]
    figures: Mapping[int, Figures]
    staff: models.QuerySet[StaffMember]

    def schools_with_figures(self) -> list[tuple[School, Figures]]:
        return [(s, self.figures[s.pk]) for s in self.schools if s.pk in self.figures]


@dataclass(frozen=True)
class ReportChart:
    key: str
    title: str
    data: Callable[[ReportContext, ReportScope], ChartData | None]
    kind: str = "bar"  # "bar", "stacked" (stacked bars), "line", "funnel" (horizontal bars)
    order: int = 50
    audiences: frozenset[str] = frozenset({SCHOOL, TRUST})
    summary: str = ""  # one sentence telling what the chart shows, for everyone
    # Figures the chart adds up over schools, counted per school for the staff given and kept
    # with the school's measures: ``{school_id: {name: value}}`` in a fixed number of
    # queries, for the whole cycle (``data`` cuts them at the report's day). Names are the
    # chart's own (prefix them with the app's name); values are JSON.
    school_figures: (
        Callable[[ReportContext, models.QuerySet[StaffMember]], Mapping[int, Figures]] | None
    ) = None


_person_columns: dict[str, PersonColumn] = {}
_school_measures: dict[str, SchoolMeasure] = {}
_charts: dict[str, ReportChart] = {}
_discovered = False


def register_person_column(column: PersonColumn) -> None:
    _person_columns.setdefault(column.key, column)


def register_school_measure(measure: SchoolMeasure) -> None:
    _school_measures.setdefault(measure.key, measure)


def register_chart(chart: ReportChart) -> None:
    _charts.setdefault(chart.key, chart)


def autodiscover() -> None:
    """Import every installed app's ``reports`` module once (like ``admin.autodiscover``)."""
    global _discovered
    if not _discovered:
        _discovered = True
        from growth.reporting import columns  # noqa: F401  (growth's own columns)

        autodiscover_modules("reports")


def person_columns(audience: str) -> list[PersonColumn]:
    autodiscover()
    return sorted(
        (c for c in _person_columns.values() if audience in c.audiences), key=lambda c: c.order
    )


def school_measures() -> list[SchoolMeasure]:
    autodiscover()
    return sorted(_school_measures.values(), key=lambda m: m.order)


def charts_with_school_figures() -> list[ReportChart]:
    """Every chart, of any audience, that keeps figures in the schools' summary rows."""
    autodiscover()
    return [c for c in _charts.values() if c.school_figures is not None]


def charts(audience: str) -> list[ReportChart]:
    autodiscover()
    return sorted((c for c in _charts.values() if audience in c.audiences), key=lambda c: c.order)


# --- Tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    is_row_header: bool = False


@dataclass
class ReportTable:
    """A table as the page shows it and as exports write it (one source for both)."""

    key: str
    caption: str
    columns: list[Column]
    rows: list[list[Cell]]
    empty_text: str = "Nobody to show."
    total: list[Cell] | None = None
    # Set when some check-in figures are as of an earlier day: the daily update
    # (``growth.reporting.progress.progress_move_on``) has not yet moved them on to today.
    as_of: dt.date | None = None

    def dataset(self, value: Callable[[Cell], Any] = lambda cell: cell.export_value) -> Any:
        """The table as a tablib dataset, each cell written as ``value(cell)``."""
        import tablib

        headers, rows = self.export_grid(value)
        data = tablib.Dataset(headers=headers, title=self.caption[:31])
        for row in rows:
            data.append(row)
        return data

    def export_grid(
        self, value: Callable[[Cell], Any] = lambda cell: cell.export_value
    ) -> tuple[list[str], list[list[Any]]]:
        """Headers and rows as a spreadsheet receives them: a column whose cells are made of
        several figures ("6 of 8 (75%)") becomes one numeric column per figure ("Check-ins
        held", "Check-ins held: of", "Check-ins held: %"), so it can be summed and filtered."""
        rows = [*self.rows, *([self.total] if self.total else [])]
        split: dict[int, list[str]] = {}
        for i in range(len(self.columns)):
            for row in rows:
                if i < len(row) and row[i].parts:
                    split[i] = [name for name, _ in row[i].parts]
                    break
        headers: list[str] = []
        for i, column in enumerate(self.columns):
            if i in split:
                headers += [
                    f"{column.label}: {name}" if n else column.label
                    for n, name in enumerate(split[i])
                ]
            else:
                headers.append(column.label)
        grid = []
        for row in rows:
            out: list[Any] = []
            for i, cell in enumerate(row):
                if i in split:
                    figures = dict(cell.parts)
                    out += [
                        figures.get(name, cell.value if n == 0 else None)
                        for n, name in enumerate(split[i])
                    ]
                else:
                    out.append(value(cell))
            grid.append(out)
        return headers, grid


def report_context(
    *, viewer: StaffMember, cycle: GrowthCycle | None, today: dt.date | None = None
) -> ReportContext:
    return ReportContext(
        trust=viewer.trust, cycle=cycle, today=today or timezone.localdate(), viewer=viewer
    )


def people_table(
    ctx: ReportContext,
    people: Sequence[StaffMember],
    *,
    audience: str,
    key: str,
    caption: str,
    empty_text: str = "Nobody to show.",
) -> ReportTable:
    """One row per person, the person's name first, then every registered column. The people
    come from ``people_with_progress`` (each with their progress row)."""
    cols = person_columns(audience)
    computed = [column.compute(ctx, people) for column in cols]
    rows = [
        [
            Cell(person.full_name, url=reverse("person", args=[person.public_id])),
            *(values.get(person.pk, EMPTY) for values in computed),
        ]
        for person in people
    ]
    return ReportTable(
        key=key,
        caption=caption,
        columns=[Column("name", "Name", is_row_header=True)]
        + [Column(c.key, c.label) for c in cols],
        rows=rows,
        empty_text=empty_text,
        as_of=figures_as_of(ctx, [progress_of(person) for person in people]),
    )


def figures_as_of(ctx: ReportContext, rows: Iterable[GrowthProgress | None]) -> dt.date | None:
    """The earliest day some of these rows' check-in figures are as of, when the calendar
    has moved them on since (``checkins_change_on`` has come) and the daily update has not
    worked them out again yet; None when every figure is today's."""
    days = [
        row.checkins_as_of
        for row in rows
        if row is not None
        and row.checkins_as_of is not None
        and row.checkins_change_on is not None
        and row.checkins_change_on <= ctx.today
    ]
    return min(days) if days else None


def school_figures_counted(
    ctx: ReportContext, staff: models.QuerySet[StaffMember]
) -> dict[int, dict[str, Any]]:
    """Every school measure's figures for each school of ``staff``, counted: one GROUP BY
    over the people and their progress rows of the cycle (people without a row count as
    nothing done yet). What ``SchoolProgress`` keeps; pages read the kept rows."""
    aggregates: dict[str, models.Aggregate] = {}
    for measure in school_measures():
        aggregates.update(measure.aggregates(ctx))
    rows = (
        staff.annotate(
            p=FilteredRelation("progress", condition=Q(progress__cycle=ctx.cycle)),
        )
        .order_by()
        .values("school_id")
        .annotate(**aggregates)
    )
    return {row.pop("school_id"): row for row in rows}


def school_figures(ctx: ReportContext, schools: Iterable[School]) -> dict[int, dict[str, Any]]:
    """The kept figures of these schools in the report's cycle, by school id (one query; a
    school with no active staff has none), each with ``AS_OF`` (``kept_figures``)."""
    if ctx.cycle is None:
        return {}
    rows = kept_school_rows(ctx).filter(school__in=[school.pk for school in schools])
    return {row.school_id: kept_figures(ctx, row) for row in rows}


def kept_school_rows(ctx: ReportContext) -> models.QuerySet[SchoolProgress]:
    """The trust's kept school rows of the report's cycle, with what ``kept_figures`` reads."""
    return (
        SchoolProgress.objects.for_trust(ctx.trust_id)
        .filter(cycle=ctx.cycle)
        .only("school_id", "figures", "checkins_as_of")
    )


def kept_figures(ctx: ReportContext, row: SchoolProgress) -> dict[str, Any]:
    """A school's kept figures with ``AS_OF``: the earliest day its check-in figures are as
    of, when the calendar has moved some on since (as ``figures_as_of``)."""
    today = ctx.today.isoformat()
    moved = [as_of for day, as_of in row.checkins_as_of.items() if day <= today]
    return {**row.figures, AS_OF: dt.date.fromisoformat(min(moved)) if moved else None}


def schools_table(
    ctx: ReportContext,
    schools: Iterable[School],
    *,
    figures: Mapping[int, Figures],
    key: str,
    caption: str,
    link_schools: bool = False,
    measures: list[SchoolMeasure] | None = None,
) -> ReportTable:
    """One row per school with every registered school measure (or those given), from the
    schools' figures (``school_figures``)."""
    measures = school_measures() if measures is None else measures
    rows = []
    shown: list[Figures] = []
    for school in schools:
        url = reverse("reports:school", args=[school.public_id]) if link_schools else None
        mine = figures.get(school.pk)
        if mine:
            shown.append(mine)
        cells = [measure.cell(ctx, mine) if mine else EMPTY for measure in measures]
        rows.append([Cell(school.name, url=url), *cells])
    return ReportTable(
        key=key,
        caption=caption,
        columns=[Column("school", "School or team", is_row_header=True)]
        + [Column(m.key, m.label) for m in measures],
        rows=rows,
        empty_text="No schools yet.",
        as_of=schools_as_of(shown),
    )


def whole_trust(ctx: ReportContext) -> ReportScope:
    """The trust's report scope: every school and team, their kept figures, all active staff
    (a queryset, read only by a figure that needs the people)."""
    schools = list(trust_schools(ctx.trust_id))
    return ReportScope(schools, school_figures(ctx, schools), active_staff(ctx.trust_id))


def every_school_table(
    ctx: ReportContext, scope: ReportScope, *, link_schools: bool = True
) -> ReportTable:
    """Every school and team of the trust side by side (the trust report), each linked to
    its school report unless the table is for a file, which has no use for the links."""
    return schools_table(
        ctx,
        scope.schools,
        figures=scope.figures,
        key="schools",
        caption="Every school and team side by side",
        link_schools=link_schools,
    )


def funnel_measures() -> list[SchoolMeasure]:
    """The school measures that are steps of the completion funnel, in step order."""
    steps = [m for m in school_measures() if m.funnel_step is not None]
    return sorted(steps, key=lambda m: m.funnel_step or 0)


def schools_as_of(figures: Iterable[Figures]) -> dt.date | None:
    """``figures_as_of`` of the schools whose figures these are."""
    days = [f[AS_OF] for f in figures if f.get(AS_OF) is not None]
    return min(days) if days else None


def funnel_chart(ctx: ReportContext, table: ReportTable) -> ChartData | None:
    """The completion funnel, summed over the rows of a schools table."""
    steps = funnel_measures()
    if not steps:
        return None
    index = {c.key: i for i, c in enumerate(table.columns)}
    labels, values = [], []
    for step in steps:
        labels.append(step.funnel_label or step.label)
        values.append(sum(int(row[index[step.key]].value or 0) for row in table.rows))
    return ChartData(labels=labels, series=[Series("People", values)], y_title="People")


# --- Helpers for measures ------------------------------------------------------------------


def count_of(part: int, whole: int) -> Cell:
    """ "12 of 40 (30%)", valued at the part, for school measures."""
    if whole <= 0:
        return Cell("0", value=0)
    percent = round(100 * part / whole)
    return Cell(
        f"{part} of {whole} ({percent}%)",
        value=part,
        parts=(("count", part), ("of", whole), ("%", percent)),
    )


def people_where(condition: Q | None = None) -> models.Aggregate:
    """How many people of a school meet ``condition`` (all of them without one)."""
    return Count("pk", filter=condition)


# --- Scopes: the one selector behind a page and its exports ---------------------------------


def active_staff(trust_id: int) -> models.QuerySet[StaffMember]:
    return StaffMember.objects.for_trust(trust_id).filter(is_active=True)


def school_staff(school: School) -> models.QuerySet[StaffMember]:
    return active_staff(school.trust_id).filter(school=school)


def trust_schools(trust_id: int) -> models.QuerySet[School]:
    """Every school and team of the trust, schools first, as the trust's tables list them,
    with what a table shows of a school (a trust has dozens, and each field read is a
    conversion per school)."""
    return (
        School.objects.for_trust(trust_id)
        .only("trust", "public_id", "name", "kind")
        .order_by("kind", "name")
    )


def people_with_progress(
    trust_id: int, cycle: GrowthCycle | None, *conditions: Q, **filters: Any
) -> models.QuerySet[StaffMember]:
    """The trust's active staff matching the conditions, by name, with what the people tables
    show of each — their account's name, school, career stage, line manager's name — and
    their progress row of the cycle (``progress_of``): two queries whatever their number.
    Every people table and list of the reports and home pages reads people through here."""
    progress = GrowthProgress.objects.for_trust(trust_id).filter(cycle=cycle)
    return (
        active_staff(trust_id)
        .filter(*conditions, **filters)
        .select_related("user", "school", "career_stage", "line_manager__user")
        .prefetch_related(Prefetch("progress", queryset=progress, to_attr="cycle_progress"))
        .order_by("user__last_name", "user__first_name", "id")
    )


def progress_of(person: StaffMember) -> GrowthProgress | None:
    """The person's progress row of the cycle their list was read for, if they have one."""
    rows = getattr(person, "cycle_progress", None)
    return rows[0] if rows else None
