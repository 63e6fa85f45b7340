"""Reads of the learning app, each scoped to one trust."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from growth.domain.selectors import cycle_current
from growth.models import GrowthCycle, School, StaffMember
from growth.reporting.reports import Cell, Column, ReportTable, day_text
from growth.security.access import Relation, relations
from learning.models import (
    DEFAULT_COACHEES_PER_COACH,
    CoachAssignment,
    CoachingSession,
    LearningBudget,
    LearningEntry,
    LearningSettings,
    PlanReview,
    Resource,
)
from objectives.models import GrowthPlan, Objective
from standards.models import Standard

# A line-management chain longer than this is a data error (a loop); stop walking it.
MAX_CHAIN = 25
SUGGESTIONS = 10


def coachees_per_coach(*, trust_id: int) -> int:
    found = (
        LearningSettings.objects.for_trust(trust_id)
        .values_list("coachees_per_coach", flat=True)
        .first()
    )
    return found or DEFAULT_COACHEES_PER_COACH


def managers_above(staff: StaffMember) -> set[int]:
    """Ids of everyone above ``staff`` in their line management: their line manager, that
    person's line manager, and so on."""
    found: set[int] = set()
    current = staff.line_manager_id
    for _ in range(MAX_CHAIN):
        if current is None or current in found:
            break
        found.add(current)
        current = (
            StaffMember.objects.for_trust(staff.trust_id)
            .filter(pk=current)
            .values_list("line_manager_id", flat=True)
            .first()
        )
    return found


def managed_below(staff: StaffMember) -> set[int]:
    """Ids of everyone ``staff`` line-manages, directly or through others (one query per
    level of the hierarchy)."""
    found: set[int] = set()
    frontier = {staff.pk}
    for _ in range(MAX_CHAIN):
        below = (
            set(
                StaffMember.objects.for_trust(staff.trust_id)
                .filter(line_manager__in=frontier)
                .values_list("pk", flat=True)
            )
            - found
            - {staff.pk}
        )
        if not below:
            break
        found |= below
        frontier = below
    return found


def line_of(staff: StaffMember) -> set[int]:
    """The person's line-management line, above and below them: nobody in it may coach them."""
    return managers_above(staff) | managed_below(staff)


def current_coachee_counts(*, trust_id: int, coach_ids: set[int] | None = None) -> dict[int, int]:
    rows = CoachAssignment.objects.for_trust(trust_id).filter(ended_on__isnull=True)
    if coach_ids is not None:
        rows = rows.filter(coach__in=coach_ids)
    return dict(rows.values("coach").annotate(n=Count("pk")).values_list("coach", "n"))


@dataclass(frozen=True)
class Suggestion:
    coach: StaffMember
    coachees: int


def coach_suggestions(*, coachee: StaffMember, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Who could coach ``coachee``: qualified, in post, outside their line management and
    below the trust's limit, fewest coachees first (then by name)."""
    trust_id = coachee.trust_id
    most = coachees_per_coach(trust_id=trust_id)
    excluded = line_of(coachee) | {coachee.pk}
    people = (
        StaffMember.objects.for_trust(trust_id)
        .filter(coaching_qualified=True, is_active=True)
        .exclude(pk__in=excluded)
        .select_related("user", "school")
    )
    counts = current_coachee_counts(trust_id=trust_id)
    ranked = sorted(
        (p for p in people if counts.get(p.pk, 0) < most),
        key=lambda p: (counts.get(p.pk, 0), p.user.last_name, p.user.first_name),
    )
    return [Suggestion(p, counts.get(p.pk, 0)) for p in ranked[:limit]]


def current_assignment(*, coachee: StaffMember) -> CoachAssignment | None:
    return (
        CoachAssignment.objects.for_trust(coachee.trust_id)
        .filter(coachee=coachee, ended_on__isnull=True)
        .select_related("coach__user", "coach__school")
        .first()
    )


def assignments_as_coach(*, coach: StaffMember) -> QuerySet[CoachAssignment]:
    """The coach's coachees (current first), each with their sessions prefetched."""
    return (
        CoachAssignment.objects.for_trust(coach.trust_id)
        .filter(coach=coach)
        .select_related("coachee__user", "coachee__school")
        .prefetch_related("sessions__objective")
        .order_by("ended_on", "coachee__user__last_name", "coachee__user__first_name")
    )


def assignments_as_coachee(*, coachee: StaffMember) -> QuerySet[CoachAssignment]:
    return (
        CoachAssignment.objects.for_trust(coachee.trust_id)
        .filter(coachee=coachee)
        .select_related("coach__user", "coach__school")
        .prefetch_related("sessions__objective")
        .order_by("ended_on", "-started_on")
    )


@dataclass(frozen=True)
class CoachingSummary:
    """What a line manager, headteacher or HR sees of someone's coaching: who, how many
    sessions and when the last was — never their focus or notes."""

    assignment: CoachAssignment | None
    sessions: int
    last_held_on: object | None


def coaching_summary(*, coachee: StaffMember) -> CoachingSummary:
    assignment = current_assignment(coachee=coachee)
    figures = (
        CoachingSession.objects.for_trust(coachee.trust_id)
        .filter(assignment__coachee=coachee)
        .aggregate(n=Count("pk"), last=Max("held_on"))
    )
    return CoachingSummary(assignment, figures["n"], figures["last"])


def qualified_coaches(*, coachee: StaffMember) -> QuerySet[StaffMember]:
    """Whom ``coachee`` may be given as coach: the trust's active, coaching-qualified staff."""
    return (
        StaffMember.objects.for_trust(coachee.trust_id)
        .filter(coaching_qualified=True, is_active=True)
        .exclude(pk=coachee.pk)
        .select_related("user", "school")
    )


def coaching_person_page(
    *, viewer: StaffMember, subject: StaffMember, can_assign: bool
) -> dict[str, Any]:
    """Someone's coaching as their leaders see it: the summary, and for those who assign
    coaches, the suggested ones."""
    return {
        "subject": subject,
        "summary": coaching_summary(coachee=subject),
        "suggestions": coach_suggestions(coachee=subject) if can_assign else [],
        "can_assign": can_assign,
        "is_line_manager": Relation.LINE_MANAGER in relations(viewer, subject),
    }


def coaching_overview(*, people: QuerySet[StaffMember]) -> list[dict]:
    """One row per person: their current coach and how many sessions they have had (two
    queries whatever the number of people)."""
    people_list = list(people.select_related("user", "school"))
    if not people_list:
        return []
    trust_id = people_list[0].trust_id
    ids = [p.pk for p in people_list]
    coaches = {
        a.coachee_id: a
        for a in CoachAssignment.objects.for_trust(trust_id)
        .filter(coachee__in=ids, ended_on__isnull=True)
        .select_related("coach__user")
    }
    sessions = dict(
        CoachingSession.objects.for_trust(trust_id)
        .filter(assignment__coachee__in=ids)
        .values("assignment__coachee")
        .annotate(n=Count("pk"))
        .values_list("assignment__coachee", "n")
    )
    return [
        {"person": p, "assignment": coaches.get(p.pk), "sessions": sessions.get(p.pk, 0)}
        for p in people_list
    ]


# --- The learning record -------------------------------------------------------------------


def entries_of(*, staff: StaffMember) -> QuerySet[LearningEntry]:
    return (
        LearningEntry.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff)
        .prefetch_related("objectives", "standards")
    )


def impact_prompts(*, staff: StaffMember, today: dt.date) -> list[LearningEntry]:
    """Learning done three months ago or more whose impact the person has not yet written."""
    return list(
        LearningEntry.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, impact="", impact_due_on__lte=today)
        .order_by("impact_due_on")
    )


def _in_year(cycle: GrowthCycle | None) -> Q:
    if cycle is None:
        return Q()
    return Q(started_on__gte=cycle.start_date, started_on__lte=cycle.end_date)


SCHOOL_FUNDED = Q(paid_by=LearningEntry.PaidBy.SCHOOL)
ZERO = Value(Decimal("0"))


def _figures() -> dict[str, Any]:
    return {
        "entries": Count("pk"),
        "hours": Coalesce(Sum("hours"), ZERO),
        "spend": Coalesce(Sum("cost", filter=SCHOOL_FUNDED), ZERO),
        "cost": Coalesce(Sum("cost"), ZERO),
        "impacts": Count("pk", filter=~Q(impact="")),
    }


def person_totals(
    *, trust_id: int, people: list[StaffMember], cycle: GrowthCycle | None
) -> dict[int, dict[str, Any]]:
    """Per person in ``people``: entries, hours, school-funded spend, total cost and impacts
    written, over the growth year (one query)."""
    rows = (
        LearningEntry.objects.for_trust(trust_id)
        .filter(_in_year(cycle), staff_member__in=[p.pk for p in people])
        .values("staff_member")
        .annotate(**_figures())
    )
    return {row.pop("staff_member"): row for row in rows}


def school_totals(
    *, trust_id: int, cycle: GrowthCycle | None, schools: list[School]
) -> dict[int, dict[str, Any]]:
    """Per school: people who logged learning, entries, hours, spend from the school's budget
    and the budget itself, over the growth year (two queries)."""
    rows = (
        LearningEntry.objects.for_trust(trust_id)
        .filter(_in_year(cycle), school__in=[s.pk for s in schools])
        .values("school")
        .annotate(people=Count("staff_member", distinct=True), **_figures())
    )
    found = {row.pop("school"): row for row in rows}
    budgets = (
        dict(
            LearningBudget.objects.for_trust(trust_id)
            .filter(cycle=cycle, school__in=[s.pk for s in schools])
            .values_list("school", "amount")
        )
        if cycle is not None
        else {}
    )
    empty = {"people": 0, "entries": 0, "hours": Decimal(0), "spend": Decimal(0)}
    result = {}
    for school in schools:
        figures = {**empty, "cost": Decimal(0), "impacts": 0, **found.get(school.pk, {})}
        figures["budget"] = budgets.get(school.pk)
        figures["left"] = (
            figures["budget"] - figures["spend"] if figures["budget"] is not None else None
        )
        result[school.pk] = figures
    return result


def team_entries(
    *, trust_id: int, people: list[StaffMember], cycle: GrowthCycle | None
) -> QuerySet[LearningEntry]:
    return (
        LearningEntry.objects.for_trust(trust_id)
        .filter(_in_year(cycle), staff_member__in=[p.pk for p in people])
        .select_related("staff_member__user")
        .order_by("staff_member__user__last_name", "staff_member__user__first_name", "started_on")
    )


def school_entries(
    *, trust_id: int, school: School, cycle: GrowthCycle | None
) -> QuerySet[LearningEntry]:
    return (
        LearningEntry.objects.for_trust(trust_id)
        .filter(_in_year(cycle), school=school)
        .select_related("staff_member__user")
        .order_by("staff_member__user__last_name", "staff_member__user__first_name", "started_on")
    )


# --- The learning record as report tables (pages and their exports) ------------------------


def money_cell(value: Decimal | None) -> Cell:
    if value is None:
        return Cell("Not set", tone="warn")
    return Cell(f"£{value:,.2f}", value=float(value))


def hours_cell(value: Decimal) -> Cell:
    text = f"{Decimal(value).normalize():f}"
    return Cell(text, value=float(value))


def count_cell(value: int) -> Cell:
    return Cell(str(value), value=value)


ENTRY_COLUMNS = [
    Column("person", "Person", is_row_header=True),
    Column("date", "Date"),
    Column("kind", "Kind"),
    Column("title", "Title"),
    Column("provider", "Provider"),
    Column("hours", "Hours"),
    Column("cost", "Cost"),
    Column("paid_by", "Paid by"),
    Column("impact", "Impact written"),
]
PEOPLE_COLUMNS = [
    Column("person", "Person", is_row_header=True),
    Column("entries", "Learning logged"),
    Column("hours", "Hours"),
    Column("spend", "School-funded spend"),
    Column("impacts", "Impact written"),
]
SCHOOL_COLUMNS = [
    Column("school", "School or team", is_row_header=True),
    Column("people", "People who logged learning"),
    Column("entries", "Learning logged"),
    Column("hours", "Hours"),
    Column("spend", "School-funded spend"),
    Column("budget", "Budget"),
    Column("left", "Budget left"),
]
# A person who logged nothing this year.
NO_LEARNING = {"entries": 0, "hours": Decimal(0), "spend": Decimal(0), "impacts": 0}


def entries_table(entries: Any, *, key: str, caption: str) -> ReportTable:
    rows = [
        [
            Cell(e.staff_member.full_name),
            Cell(day_text(e.started_on)),
            Cell(e.get_kind_display()),
            Cell(e.title),
            Cell(e.provider or "—"),
            hours_cell(e.hours),
            money_cell(e.cost),
            Cell(e.get_paid_by_display()),
            Cell("Yes" if e.impact else "Not yet", tone="" if e.impact else "warn"),
        ]
        for e in entries
    ]
    return ReportTable(key, caption, ENTRY_COLUMNS, rows, empty_text="No learning logged yet.")


def people_table(
    people: list[StaffMember], cycle: GrowthCycle | None, *, trust_id: int, key: str, caption: str
) -> ReportTable:
    """Per person: what they logged over the growth year (one query)."""
    totals = person_totals(trust_id=trust_id, people=people, cycle=cycle)
    rows = []
    for person in people:
        figures = totals.get(person.pk, NO_LEARNING)
        rows.append(
            [
                Cell(person.full_name),
                count_cell(figures["entries"]),
                hours_cell(figures["hours"]),
                money_cell(figures["spend"]),
                count_cell(figures["impacts"]),
            ]
        )
    return ReportTable(key, caption, PEOPLE_COLUMNS, rows, empty_text="Nobody to show.")


def team_of(manager: StaffMember) -> list[StaffMember]:
    """The people ``manager`` line-manages, still working here."""
    return list(
        StaffMember.objects.for_trust(manager.trust_id)
        .filter(line_manager=manager, is_active=True)
        .select_related("user")
    )


def team_record_tables(
    people: list[StaffMember], cycle: GrowthCycle | None, *, trust_id: int
) -> list[ReportTable]:
    """A line manager's team's learning: per person, then everything they logged."""
    entries = team_entries(trust_id=trust_id, people=people, cycle=cycle)
    return [
        people_table(
            people,
            cycle,
            trust_id=trust_id,
            key="team-totals",
            caption="Your team's learning this year",
        ),
        entries_table(entries, key="team-entries", caption="Everything your team logged this year"),
    ]


def school_record_tables(school: School, cycle: GrowthCycle | None) -> list[ReportTable]:
    """One school's learning: per person working there, then everything logged there."""
    people = list(
        StaffMember.objects.for_trust(school.trust_id)
        .filter(school=school, is_active=True)
        .select_related("user")
    )
    entries = school_entries(trust_id=school.trust_id, school=school, cycle=cycle)
    return [
        people_table(
            people,
            cycle,
            trust_id=school.trust_id,
            key="school-people",
            caption=f"{school.name}: people",
        ),
        entries_table(
            entries,
            key="school-entries",
            caption=f"{school.name}: everything logged this year",
        ),
    ]


def trust_record_table(*, trust_id: int, cycle: GrowthCycle | None) -> ReportTable:
    """The trust's schools side by side: learning, spend and what is left of each budget."""
    schools = list(School.objects.for_trust(trust_id).order_by("name"))
    figures = school_totals(trust_id=trust_id, cycle=cycle, schools=schools)
    rows = [
        [
            Cell(school.name, url=reverse("learning:school_record", args=[school.public_id])),
            count_cell(f["people"]),
            count_cell(f["entries"]),
            hours_cell(f["hours"]),
            money_cell(f["spend"]),
            money_cell(f["budget"]),
            money_cell(f["left"]) if f["left"] is not None else Cell("—"),
        ]
        for school in schools
        for f in [figures[school.pk]]
    ]
    return ReportTable("trust-schools", "Schools side by side", SCHOOL_COLUMNS, rows)


# --- The resources hub ---------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceFilters:
    query: str = ""
    area: str = ""
    category: str = ""
    phase: str = ""
    standard: Standard | None = None


def resources_search(
    *, trust_id: int, filters: ResourceFilters, vendor: str | None = None
) -> QuerySet[Resource]:
    """The trust's resources matching the words and tags. On PostgreSQL the words go through
    its full-text search (English stemming, ranked title first, then summary, then text); on
    the embedded SQLite every word must appear somewhere in the title, summary or text.
    ``vendor`` overrides the database's (for tests of the fallback)."""
    rows = Resource.objects.for_trust(trust_id).prefetch_related("standards__framework")
    if filters.area:
        rows = rows.filter(area=filters.area)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.phase:
        rows = rows.filter(phase=filters.phase)
    if filters.standard is not None:
        rows = rows.filter(standards=filters.standard)
    words = filters.query.strip()
    if not words:
        return rows.order_by("title")
    if (vendor or connection.vendor) == "postgresql":
        query = SearchQuery(words, search_type="websearch", config="english")
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        return (
            rows.annotate(search=vector)
            .filter(search=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "title")
        )
    for word in words.split():
        rows = rows.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    return rows.order_by("title")


def resources_for_objectives(
    *, staff: StaffMember, cycle: GrowthCycle | None, limit: int = 6
) -> list[Resource]:
    """Resources that fit the person's objectives this year: tagged with a standard one of
    them develops, or with the area of one of them, and for the person's category (or for
    everyone)."""
    if cycle is None:
        return []
    objectives = list(
        Objective.objects.for_trust(staff.trust_id)
        .filter(plan__staff_member=staff, plan__cycle=cycle)
        .prefetch_related("standards")
    )
    if not objectives:
        return []
    standards = {s.pk for o in objectives for s in o.standards.all()}
    areas = {o.area for o in objectives if o.to_text}
    return list(
        Resource.objects.for_trust(staff.trust_id)
        .filter(Q(standards__in=standards) | Q(area__in=areas))
        .filter(Q(category="") | Q(category=staff.category))
        .distinct()
        .order_by("title")[:limit]
    )


# --- The library of what colleagues learned -----------------------------------------------


def plan_review_opens(cycle: GrowthCycle) -> dt.date:
    """The review is written as the cycle's end approaches: from the July reflection."""
    return cycle.reflection_opens


def plan_review_page(*, staff: StaffMember) -> dict[str, Any]:
    """The person's growth plan of this cycle, to review, and the day its review opens."""
    cycle = cycle_current(trust=staff.trust_id)
    plan = (
        GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .prefetch_related("objectives__standards")
        .first()
        if cycle
        else None
    )
    return {"cycle": cycle, "plan": plan, "opens": plan_review_opens(cycle) if cycle else None}


def plan_review_of(*, plan: GrowthPlan) -> PlanReview | None:
    return PlanReview.objects.for_trust(plan.trust_id).filter(plan=plan).first()


def library_for(viewer: StaffMember) -> QuerySet[PlanReview]:
    """Reviews shared with the viewer: with the whole trust, or with the viewer's school.
    Only their answers, area and standards are ever shown (never check-ins, reviews or
    outcomes)."""
    return (
        PlanReview.objects.for_trust(viewer.trust_id)
        .filter(state=PlanReview.State.SUBMITTED)
        .filter(
            Q(shared_with=PlanReview.Sharing.TRUST)
            | Q(shared_with=PlanReview.Sharing.SCHOOL, shared_school=viewer.school_id)
        )
        .select_related("staff_member__user", "shared_school", "cycle")
        .prefetch_related("standards__framework")
    )


@dataclass(frozen=True)
class LibraryFilters:
    query: str = ""
    area: str = ""
    standard: Standard | None = None


LIBRARY_TEXT = ("intended", "did", "impact", "recommendations", "other_contexts")


def library_search(
    *, viewer: StaffMember, filters: LibraryFilters, vendor: str | None = None
) -> QuerySet[PlanReview]:
    """The library filtered like the resources hub: PostgreSQL full-text search (what was
    recommended weighs most), or every word somewhere on SQLite."""
    rows = library_for(viewer)
    if filters.area:
        rows = rows.filter(area=filters.area)
    if filters.standard is not None:
        rows = rows.filter(standards=filters.standard)
    words = filters.query.strip()
    if not words:
        return rows.order_by("-shared_at")
    if (vendor or connection.vendor) == "postgresql":
        query = SearchQuery(words, search_type="websearch", config="english")
        vector = (
            SearchVector("recommendations", "other_contexts", weight="A", config="english")
            + SearchVector("intended", "impact", weight="B", config="english")
            + SearchVector("did", weight="C", config="english")
        )
        return (
            rows.annotate(search=vector)
            .filter(search=query)
            .annotate(rank=SearchRank(vector, query))
            .order_by("-rank", "-shared_at")
        )
    for word in words.split():
        condition = Q()
        for name in LIBRARY_TEXT:
            condition |= Q(**{f"{name}__icontains": word})
        rows = rows.filter(condition)
    return rows.order_by("-shared_at")


def recommendations_for(
    *, viewer: StaffMember, standards: list[Standard], area: str = "", limit: int = 5
) -> list[PlanReview]:
    """What colleagues who worked on these standards (or, without any, this area) recommend."""
    rows = library_for(viewer).exclude(staff_member=viewer).exclude(recommendations="")
    if standards:
        rows = rows.filter(standards__in=standards)
    elif area:
        rows = rows.filter(area=area)
    else:
        return []
    return list(rows.distinct().order_by("-shared_at")[:limit])
