"""The report registry: how apps contribute columns, school measures and charts to the role
home pages and the team, school and trust reports, without ``growth`` importing them
(DESIGN.md §4 — the way apps register with the admin).

An app adds a ``reports.py`` module (found by ``autodiscover``, no AppConfig change needed)
that calls:

* ``register_person_column(PersonColumn(...))`` — one column per person in the team and school
  tables (and a line of the staff member's own "my year" panel). ``compute(ctx, people)``
  receives EVERY person of the table at once and returns ``{staff_id: Cell}``; it must run a
  fixed number of queries whatever the number of people (aggregate with GROUP BY, never a
  query per person).
* ``register_school_measure(SchoolMeasure(...))`` — one figure per school in the school and
  trust reports. ``compute(ctx, staff)`` receives the scoped ``StaffMember`` queryset (use it
  as a subquery) and returns ``{school_id: Cell}``. A measure with ``funnel_step`` set is also
  a step of the completion funnel, so its ``Cell.value`` must be a count of people.
* ``register_chart(ReportChart(...))`` — a chart with the table behind it. ``data(ctx,
  staff)`` returns a ``ChartData`` (or None to hide the chart).

``ctx.memo(key, fn)`` shares one computation between several columns in a request (e.g. one
engagement query behind "held", "expected" and "overdue").
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import mark_safe

from growth import sql
from growth.models import GrowthCycle, School, StaffMember
from growth.registry import named_url
from growth.report_cache import cached_figures

M = TypeVar("M", bound=models.Model)

TEAM = "team"  # a line manager's direct reports
SCHOOL = "school"  # a headteacher's school
TRUST = "trust"  # a trust admin's whole trust
SELF = "self"  # the staff member's own "my year" panel
ALL_AUDIENCES = frozenset({TEAM, SCHOOL, TRUST, SELF})


def short_date(day: dt.date) -> str:
    """``date_format(day, "j M Y")`` ("3 Oct 2026") for the cells of report tables: the
    site's only language is British English, and Django's formatter (a formatter object and
    translation lookups per date) cost a person's table more than the rest of its cells."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def choice_label(obj: models.Model, name: str) -> str:
    """``obj.get_<name>_display()`` for report cells: Django's builds a dict of the field's
    choices on every call, and a school's table asks 50 times a column."""
    value = getattr(obj, name)
    return str(_choice_labels(type(obj), name).get(value, value))


@cache
def _choice_labels(model: type[models.Model], name: str) -> dict[Any, Any]:
    return dict(model._meta.get_field(name).flatchoices)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _escaped(value: Any) -> str:
    """``conditional_escape`` without wrapping the result: text already marked safe is kept,
    anything else escaped the way Django's ``escape`` does (``html.escape``) — most cells
    ("No", "3 of 10", a link's path) have nothing to escape, and one search finds that."""
    if hasattr(value, "__html__"):
        return value.__html__()
    text = str(value)
    return html.escape(text) if _HTML_SPECIAL(text) else text


_HTML_SPECIAL = re.compile(r"[&<>\"']").search


@dataclass(frozen=True)
class Cell:
    """One value as the page shows it (``text``), with the raw ``value`` for charts, totals
    and spreadsheets, an optional link and a tone (``""``, ``"good"``, ``"warn"``,
    ``"bad"``) shown as a badge."""

    text: str
    value: Any = None
    url: str | None = None
    tone: str = ""
    # The cell as HTML in a plain string, built with the cell: a school's figures are kept in
    # the cache as cells (growth/report_cache.py), so their markup is built once per change
    # of the trust's data rather than on every page that shows them.
    markup: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "markup", self._markup())

    @property
    def html(self) -> str:
        return mark_safe(self.markup)  # noqa: S308 - every part is escaped

    def _markup(self) -> str:
        """f-strings over escaped parts rather than format_html: a school's table has 500
        cells, and format_html's bookkeeping cost more than the rest of building them."""
        text = _escaped(self.text)
        if self.url:
            return f'<a href="{_escaped(self.url)}">{text}</a>'
        if self.tone:
            return f'<span class="report-tone report-tone-{_escaped(self.tone)}">{text}</span>'
        return text

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


@dataclass
class ReportContext:
    """What every measure is computed against: one trust, one cycle, one day, one viewer, and
    one scope of people (the memo is shared by the measures of that one scope)."""

    trust_id: int
    cycle: GrowthCycle | None
    today: dt.date
    viewer: StaffMember | None = None
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True)
class PersonColumn:
    key: str
    label: str
    compute: Callable[[ReportContext, Sequence[StaffMember]], Mapping[int, Cell]]
    order: int = 50
    audiences: frozenset[str] = ALL_AUDIENCES


@dataclass(frozen=True)
class SchoolMeasure:
    key: str
    label: str
    compute: Callable[[ReportContext, models.QuerySet[StaffMember]], Mapping[int, Cell]]
    order: int = 50
    # The completion funnel shows every measure with a step, in step order.
    funnel_step: int | None = None
    funnel_label: str = ""


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


@dataclass(frozen=True)
class ReportChart:
    key: str
    title: str
    data: Callable[[ReportContext, models.QuerySet[StaffMember]], ChartData | None]
    kind: str = "bar"  # "bar", "stacked" (stacked bars), "line", "funnel" (horizontal bars)
    order: int = 50
    audiences: frozenset[str] = frozenset({SCHOOL, TRUST})
    summary: str = ""  # one sentence telling what the chart shows, for everyone


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
        from growth import report_columns  # noqa: F401  (growth's own columns)

        autodiscover_modules("reports")


def person_columns(audience: str) -> list[PersonColumn]:
    autodiscover()
    return sorted(
        (c for c in _person_columns.values() if audience in c.audiences), key=lambda c: c.order
    )


def school_measures() -> list[SchoolMeasure]:
    autodiscover()
    return sorted(_school_measures.values(), key=lambda m: m.order)


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

    def html_rows(self) -> list[str]:
        """Each row's cells as HTML, built in Python: a 50-row table of many columns renders
        several times faster than with a template tag per cell."""
        rendered = []
        for row in self.rows:
            head, *rest = row
            cells = "".join([f"<td>{cell.markup}</td>" for cell in rest])
            rendered.append(mark_safe(f'<th scope="row">{head.markup}</th>{cells}'))  # noqa: S308
        return rendered

    def dataset(self, value: Callable[[Cell], Any] = lambda cell: cell.export_value) -> Any:
        """The table as a tablib dataset, each cell written as ``value(cell)``."""
        import tablib

        data = tablib.Dataset(headers=[c.label for c in self.columns], title=self.caption[:31])
        for row in self.rows:
            data.append([value(cell) for cell in row])
        if self.total:
            data.append([value(cell) for cell in self.total])
        return data


_URL_PLACEHOLDER = "00000000-0000-0000-0000-00000000abcd"


def url_for(name: str, public_id: Any) -> str:
    """``reverse(name, args=[public_id])`` for the links of report rows: the route is resolved
    once per name (and script prefix) and the id put in its place, since a table of 50 people
    links each of them several times and ``reverse`` costs more than the rest of a cell."""
    return url_maker(name)(public_id)


def url_maker(name: str) -> Callable[[Any], str]:
    """``url_for`` for one route over many rows: the script prefix and URLconf (each a
    context-local lookup) are read once, and each link is then one string replacement."""
    pattern = named_url(name, _URL_PLACEHOLDER)
    return lambda public_id: pattern.replace(_URL_PLACEHOLDER, str(public_id))


def report_context(
    *, viewer: StaffMember, cycle: GrowthCycle | None, today: dt.date | None = None
) -> ReportContext:
    return ReportContext(
        trust_id=viewer.trust_id, cycle=cycle, today=today or timezone.localdate(), viewer=viewer
    )


def people_table(
    ctx: ReportContext,
    people: Sequence[StaffMember],
    *,
    audience: str,
    key: str,
    caption: str,
    empty_text: str = "Nobody to show.",
    among: Sequence[StaffMember] | None = None,
) -> ReportTable:
    """One row per person, the person's name first, then every registered column. With
    ``among`` (a list holding ``people``, shared with another panel of the page under the same
    context), the figures are computed once for all of ``among``."""

    cols = person_columns(audience)
    computed = [column.compute(ctx, among if among is not None else people) for column in cols]
    rows = []
    person_url = url_maker("person")
    for person in people:
        name = Cell(person.full_name, url=person_url(person.public_id))
        rows.append([name, *(values.get(person.pk, EMPTY) for values in computed)])
    return ReportTable(
        key=key,
        caption=caption,
        columns=[Column("name", "Name", is_row_header=True)]
        + [Column(c.key, c.label) for c in cols],
        rows=rows,
        empty_text=empty_text,
    )


def schools_table(
    ctx: ReportContext,
    staff: models.QuerySet[StaffMember],
    schools: Iterable[School],
    *,
    scope: str,
    key: str,
    caption: str,
    school_url: Callable[[School], str] | None = None,
) -> ReportTable:
    """One row per school with every registered school measure, computed once per change of
    the trust's data for ``scope`` (the people in ``staff``: see growth/report_cache.py)."""
    measures = school_measures()
    computed = cached_figures(
        trust_id=ctx.trust_id,
        cycle=ctx.cycle,
        today=ctx.today,
        scope=scope,
        name="measures:" + ",".join(m.key for m in measures),
        compute=lambda: [measure.compute(ctx, staff) for measure in measures],
    )
    rows = []
    for school in schools:
        name = Cell(school.name, url=school_url(school) if school_url else None)
        rows.append([name, *(values.get(school.pk, EMPTY) for values in computed)])
    return ReportTable(
        key=key,
        caption=caption,
        columns=[Column("school", "School or team", is_row_header=True)]
        + [Column(m.key, m.label) for m in measures],
        rows=rows,
        empty_text="No schools yet.",
    )


def funnel_chart(ctx: ReportContext, table: ReportTable) -> ChartData | None:
    """The completion funnel, summed over the rows of a schools table."""
    steps = [m for m in school_measures() if m.funnel_step is not None]
    steps.sort(key=lambda m: m.funnel_step or 0)
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
    return Cell(f"{part} of {whole} ({percent}%)", value=part)


def counts_by_school(staff: models.QuerySet[StaffMember], **filters: Any) -> dict[int, int]:
    """People per school in ``staff`` (optionally filtered), one GROUP BY query."""
    rows = (
        staff.filter(**filters)
        .order_by()
        .values("school_id")
        .annotate(n=models.Count("pk"))
        .values_list("school_id", "n")
    )
    return dict(rows)


# --- Scopes: the one selector behind a page and its exports ---------------------------------


def active_staff(trust_id: int) -> models.QuerySet[StaffMember]:
    return StaffMember.objects.for_trust(trust_id).filter(is_active=True)


def school_staff(school: School) -> models.QuerySet[StaffMember]:
    return active_staff(school.trust_id).filter(school=school)


def school_scope(*schools: School | int) -> str:
    """The cache scope of the figures of these schools' people (see growth/report_cache.py)."""
    keys = sorted(s if isinstance(s, int) else s.pk for s in schools)
    return "schools:" + ",".join(str(pk) for pk in keys)


# Of a person's line manager the tables show the name (from their account) and nothing else.
_LINE_MANAGER_FIELDS_READ = {"id", "public_id", "user", "is_active"}


def _fields_but_timestamps(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        f.name for f in model._meta.concrete_fields if f.name not in ("created_at", "updated_at")
    )


_PERSON_FIELDS = _fields_but_timestamps(StaffMember)
# What a list of schools shows: its name and link, in the order of its kind.
SCHOOL_LISTED = ("public_id", "name", "kind")


def trust_schools(trust_id: int) -> list[School]:
    """Every school and team of the trust, schools first, as the trust's tables list them."""
    return sql.instances(School, SCHOOL_LISTED, trust_id=trust_id, order_by=("kind", "name"))


_PEOPLE_RELATED: dict[str, tuple[str, ...]] = {
    "user": ("first_name", "last_name", "email"),
    "school": _fields_but_timestamps(School),
    "career_stage": ("code", "name", "order"),
    "line_manager": tuple(sorted(_LINE_MANAGER_FIELDS_READ - {"id"})),
    "line_manager__user": ("first_name", "last_name", "email"),
}


def records_by_person(
    model: type[M], fields: Sequence[str], *, cycle: GrowthCycle, people: Sequence[StaffMember]
) -> dict[int, M]:
    """Each listed person's one row of ``model`` for the cycle (a plan, a review, a July
    reflection), by person, in one read."""
    found = sql.instances(
        model,
        (*fields, "staff_member"),
        trust_id=cycle.trust_id,
        cycle=cycle,
        staff_member__in=[p.pk for p in people],
    )
    return {r.staff_member_id: r for r in found}  # type: ignore[attr-defined]


def people_details(
    trust_id: int,
    *,
    either: Sequence[Mapping[str, Any]] = (),
    limit: int | None = None,
    offset: int = 0,
    **filters: Any,
) -> list[StaffMember]:
    """The trust's active staff matching ``filters`` (and any group of ``either``), by name,
    with what the people tables show of each: their account's name, school, career stage and
    line manager's name, in one read (growth/sql.py); not their timestamps, not the rest of
    their line manager. Every people table and list of the reports and home pages reads
    people through here."""
    return sql.instances(
        StaffMember,
        _PERSON_FIELDS,
        trust_id=trust_id,
        related=_PEOPLE_RELATED,
        either=either,
        order_by=("user__last_name", "user__first_name", "id"),
        limit=limit,
        offset=offset,
        is_active=True,
        **filters,
    )


class PeopleList:
    """``people_details`` as a list a ``Paginator`` pages through: counted and sliced in the
    database, one page read at a time."""

    def __init__(self, trust_id: int, **filters: Any) -> None:
        self.trust_id = trust_id
        self.filters = filters

    def count(self) -> int:
        return sql.count(StaffMember, trust_id=self.trust_id, is_active=True, **self.filters)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, wanted: slice) -> list[StaffMember]:
        start, stop = wanted.start or 0, wanted.stop
        limit = None if stop is None else max(stop - start, 0)
        return people_details(self.trust_id, limit=limit, offset=start, **self.filters)
