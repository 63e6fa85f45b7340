"""Reads of the objectives app, always within one trust. Other apps (check-ins, reviews) use
``plan_for`` and ``objectives_of``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from growth.domain.selectors import cycles_all
from growth.models import GrowthCycle, RoleAssignment, School, StaffMember, Trust
from growth.security.access import manages_anyone, roles_of, visible_staff
from objectives.models import (
    AREA_ORDER,
    Area,
    ChecklistAnswer,
    ChecklistQuestion,
    ExampleObjective,
    GrowthPlan,
    Objective,
    ObjectiveBankPhrase,
    PlanComment,
    PlanVersion,
    SchoolFocus,
)
from objectives.rules import (
    Check,
    CoachingRequirement,
    coaching_due_q,
    coaching_requirement,
    plan_checks,
    plan_required,
    plan_required_q,
)


def _objectives_prefetch(trust_id: int) -> Prefetch:
    return Prefetch(
        "objectives",
        queryset=Objective.objects.for_trust(trust_id).select_related("priority", "strategic_goal"),
    )


def plan_for(*, staff: StaffMember, cycle: GrowthCycle) -> GrowthPlan | None:
    """The person's plan for the cycle with its objectives prefetched, or None when they have
    not started one."""
    return (
        GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .select_related("cycle", "staff_member__user", "agreed_by__user")
        .prefetch_related(_objectives_prefetch(staff.trust_id))
        .first()
    )


def objectives_of(*, staff: StaffMember, cycle: GrowthCycle) -> list[Objective]:
    """The person's objectives for the cycle in area order (Self, Others, Trust); an empty
    list when there is no plan."""
    rows = list(
        Objective.objects.for_trust(staff.trust_id)
        .filter(plan__staff_member=staff, plan__cycle=cycle)
        .select_related("priority", "strategic_goal", "plan")
        .prefetch_related("standards")
    )
    return sorted(rows, key=lambda o: AREA_ORDER.index(o.area))


def sorted_objectives(plan: GrowthPlan) -> list[Objective]:
    return sorted(plan.objectives.all(), key=lambda o: AREA_ORDER.index(o.area))


def school_focus_for(*, school_id: int, cycle: GrowthCycle) -> SchoolFocus | None:
    return (
        SchoolFocus.objects.for_trust(cycle.trust_id)
        .filter(school_id=school_id, cycle=cycle)
        .select_related("goal__priority", "set_by__user")
        .first()
    )


def school_foci(
    *, schools: Iterable[School], cycle: GrowthCycle
) -> list[tuple[School, SchoolFocus | None]]:
    """Each school with its focus for the cycle (None where none is set yet)."""
    return [(school, school_focus_for(school_id=school.pk, cycle=cycle)) for school in schools]


def checklist_questions(trust: Trust | int, *, category: str) -> list[ChecklistQuestion]:
    """The checklist as a person of ``category`` is asked it (a few rows: filtered here, the
    same on every database)."""
    rows = ChecklistQuestion.objects.for_trust(trust).order_by("area", "order")
    return [q for q in rows if q.shown_to(category)]


def checklist_answers(plan: GrowthPlan) -> dict[tuple[int, int], bool | None]:
    return {
        (a.objective_id, a.question_id): a.answer
        for a in ChecklistAnswer.objects.for_trust(plan.trust_id).filter(objective__plan=plan)
    }


def _coaching_objectives(trust_id: int, person: Any, cycle: GrowthCycle) -> dict[str, Exists]:
    """What the coaching rule reads of a person's objectives (``person``: a staff member, or
    ``OuterRef("pk")`` over many): whether one of ``cycle``'s is the coaching qualification
    (``coaching_this``), and whether one of an earlier cycle's was (``coaching_before``)."""
    coaching = Objective.objects.for_trust(trust_id).filter(
        plan__staff_member=person, is_coaching_qualification=True
    )
    return {
        "coaching_this": Exists(coaching.filter(plan__cycle=cycle)),
        "coaching_before": Exists(coaching.filter(plan__cycle__start_date__lt=cycle.start_date)),
    }


def plan_with_coaching(*, staff: StaffMember, cycle: GrowthCycle) -> GrowthPlan | None:
    """The person's plan for ``cycle`` (its state and version) carrying ``coaching_this`` and
    ``coaching_before`` for the coaching rule: one query, for the home page's plan panel."""
    return (
        GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .annotate(**_coaching_objectives(staff.trust_id, staff, cycle))
        .only("public_id", "state", "agreed_version")
        .first()
    )


def coaching_for(
    *,
    staff: StaffMember,
    cycle: GrowthCycle,
    is_manager: bool | None = None,
    cycles: list[GrowthCycle] | None = None,
) -> CoachingRequirement:
    """The coaching rule for ``staff`` in ``cycle``; ``is_manager`` and the trust's
    ``cycles`` when the caller has them (else a query each)."""
    if is_manager is None:
        is_manager = manages_anyone(staff)
    if cycles is None:
        cycles = cycles_all(staff.trust_id)
    this = before = False
    if not staff.coaching_qualified and (staff.is_coaching_facilitator or is_manager):
        this, before = (
            StaffMember.objects.for_trust(staff.trust_id)
            .filter(pk=staff.pk)
            .annotate(**_coaching_objectives(staff.trust_id, OuterRef("pk"), cycle))
            .values_list("coaching_this", "coaching_before")
            .get()
        )
    return coaching_requirement(
        staff=staff,
        cycle=cycle,
        cycles=cycles,
        is_line_manager=is_manager,
        coaching_this_cycle=this,
        coaching_before=before,
    )


@dataclass
class PlanPage:
    plan: GrowthPlan
    objectives: list[Objective]
    questions: list[ChecklistQuestion]
    answers: dict[tuple[int, int], bool | None]
    checks: list[Check]
    coaching: CoachingRequirement
    focus: SchoolFocus | None
    versions: list[PlanVersion] = field(default_factory=list)
    comments: list[PlanComment] = field(default_factory=list)

    @property
    def failing(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    @property
    def ready(self) -> bool:
        return not self.failing

    def questions_for(self, objective: Objective) -> list[tuple[ChecklistQuestion, bool | None]]:
        return [
            (q, self.answers.get((objective.pk, q.pk)))
            for q in self.questions
            if q.area == objective.area
        ]


def plan_page(plan: GrowthPlan) -> PlanPage:
    """Everything the plan page shows, in a fixed number of queries."""
    trust_id = plan.trust_id
    plan = (
        GrowthPlan.objects.for_trust(trust_id)
        .select_related(
            "cycle",
            "staff_member__user",
            "staff_member__trust",
            "staff_member__school",
            "staff_member__career_stage",
            "staff_member__line_manager__user",
            "agreed_by__user",
        )
        .prefetch_related(_objectives_prefetch(trust_id))
        .get(pk=plan.pk)
    )
    objectives = sorted_objectives(plan)
    for objective in objectives:
        objective.plan = plan  # saves a query per objective in the checks
    questions = checklist_questions(trust_id, category=plan.staff_member.category)
    answers = checklist_answers(plan)
    coaching = coaching_for(staff=plan.staff_member, cycle=plan.cycle)
    checks = plan_checks(
        plan, objectives=objectives, questions=questions, answers=answers, coaching=coaching
    )
    return PlanPage(
        plan=plan,
        objectives=objectives,
        questions=questions,
        answers=answers,
        checks=checks,
        coaching=coaching,
        focus=school_focus_for(school_id=plan.staff_member.school_id, cycle=plan.cycle),
        versions=list(
            PlanVersion.objects.for_trust(trust_id)
            .filter(plan=plan)
            .select_related("agreed_by__user", "submitted_by__user")
        ),
        comments=list(
            PlanComment.objects.for_trust(trust_id).filter(plan=plan).select_related("author__user")
        ),
    )


@dataclass(frozen=True)
class Bank:
    how: list[ObjectiveBankPhrase]
    what: list[ObjectiveBankPhrase]
    impact: list[ObjectiveBankPhrase]


def bank_for(*, trust: Trust | int, area: str, category: str) -> Bank:
    """The objectives bank as the trust shows it to a person of ``category``: shared phrases,
    less those the trust hid or replaced, plus its own; only those for the category; the
    impacts are those for ``area``."""
    rows = list(ObjectiveBankPhrase.objects.for_trust(trust).filter(Q(area="") | Q(area=area)))
    replaced = {r.replaces_id for r in rows if r.trust_id is not None and r.replaces_id}
    shown = [r for r in rows if r.pk not in replaced and not r.is_hidden and r.shown_to(category)]
    shown.sort(key=lambda r: (r.order, r.text))
    return Bank(
        how=[r for r in shown if r.kind == ObjectiveBankPhrase.Kind.HOW],
        what=[r for r in shown if r.kind == ObjectiveBankPhrase.Kind.WHAT],
        impact=[r for r in shown if r.kind == ObjectiveBankPhrase.Kind.IMPACT],
    )


def bank_admin_rows(*, trust: Trust | int) -> list[ObjectiveBankPhrase]:
    """Every phrase with the trust's own overrides, for the bank editor."""
    return list(
        ObjectiveBankPhrase.objects.for_trust(trust)
        .select_related("replaces")
        .order_by("kind", "area", "order", "text")
    )


def examples_for(
    *, trust: Trust | int, area: str, category: str, cycle: GrowthCycle
) -> list[ExampleObjective]:
    """The examples of the person's own category for the area, each dated within ``cycle``
    (``ExampleObjective.dated_within``)."""
    rows = ExampleObjective.objects.for_trust(trust).filter(area=area, category=category)
    examples = list(rows.order_by("order"))
    for example in examples:
        example.text = example.dated_within(cycle)
    return examples


# --- Lists for line managers and headteachers ----------------------------------------------


def people_in_scope(viewer: StaffMember) -> list[StaffMember]:
    """The people whose plans ``viewer`` oversees: direct reports, plus the school(s) they
    lead, plus the trust for a trust admin. Never the viewer. In name order, with what the
    lists show of each, by the rule of ``visible_staff``."""
    return list(
        _overseen(viewer)
        .select_related("user", "school", "career_stage", "line_manager__user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def _overseen(viewer: StaffMember) -> QuerySet[StaffMember]:
    return visible_staff(viewer).exclude(pk=viewer.pk).filter(is_active=True)


@dataclass(frozen=True)
class PlanRow:
    staff: StaffMember
    plan: GrowthPlan | None

    @property
    def state_label(self) -> str:
        return self.plan.get_state_display() if self.plan else "Not started"


def plan_rows(*, viewer: StaffMember, cycle: GrowthCycle) -> list[PlanRow]:
    """Everyone ``viewer`` oversees who writes a plan, with their plan for the cycle."""
    people = people_in_scope(viewer)
    for person in people:
        # Everyone's trust is the viewer's, already loaded: not joined to every row again.
        person.trust = viewer.trust
    return _plan_rows(people, cycle)


def _plan_rows(people_qs: Iterable[StaffMember], cycle: GrowthCycle) -> list[PlanRow]:
    people = [s for s in people_qs if plan_required(s)]
    plans = {
        plan.staff_member_id: plan
        for plan in GrowthPlan.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle, staff_member__in=[p.pk for p in people])
        .only("staff_member", "public_id", "state", "agreed_version", "agreed_at", "submitted_at")
    }
    return [PlanRow(s, plans.get(s.pk)) for s in people]


def _not_agreed(rows: list[PlanRow]) -> list[PlanRow]:
    return [r for r in rows if r.plan is None or r.plan.agreed_version is None]


def overdue_rows(*, viewer: StaffMember, cycle: GrowthCycle, today: dt.date) -> list[PlanRow]:
    """Plans ``viewer`` oversees not agreed by the cycle's objectives deadline (once it has
    passed). A plan agreed once counts as agreed while a later version is discussed."""
    if today <= cycle.objectives_deadline:
        return []
    return overdue_among(plan_rows(viewer=viewer, cycle=cycle), cycle=cycle, today=today)


def overdue_among(rows: list[PlanRow], *, cycle: GrowthCycle, today: dt.date) -> list[PlanRow]:
    """``overdue_rows`` from the ``plan_rows`` a page has already read."""
    return [] if today <= cycle.objectives_deadline else _not_agreed(rows)


def team_page(*, viewer: StaffMember, cycle: GrowthCycle, today: dt.date) -> dict[str, Any]:
    """The team's plans page: every plan ``viewer`` oversees, those overdue, those waiting
    for ``viewer`` to agree them, and the coaching qualification rows."""
    rows = plan_rows(viewer=viewer, cycle=cycle)
    return {
        "cycle": cycle,
        "rows": rows,
        "overdue": overdue_among(rows, cycle=cycle, today=today),
        "deadline_passed": today > cycle.objectives_deadline,
        "awaiting": [
            r
            for r in rows
            if r.plan
            and r.plan.state == GrowthPlan.State.SUBMITTED
            and r.staff.line_manager_id == viewer.pk
        ],
        "coaching": coaching_rows(viewer=viewer, cycle=cycle),
    }


def overdue_count(*, viewer: StaffMember, cycle: GrowthCycle, today: dt.date) -> int:
    """How many rows ``overdue_rows`` would list, counted in the database (home panels)."""
    if today <= cycle.objectives_deadline:
        return 0
    agreed = GrowthPlan.objects.for_trust(cycle.trust_id).filter(
        cycle=cycle, staff_member=OuterRef("pk"), agreed_version__isnull=False
    )
    return _overseen(viewer).filter(plan_required_q(viewer.trust)).exclude(Exists(agreed)).count()


def overdue_in_trust(*, cycle: GrowthCycle, today: dt.date) -> list[PlanRow]:
    """Every plan of the cycle's trust not agreed by the deadline, for the reminder task."""
    if today <= cycle.objectives_deadline:
        return []
    people = (
        StaffMember.objects.for_trust(cycle.trust_id)
        .filter(is_active=True, start_date__lte=cycle.objectives_deadline)
        .select_related("user", "school", "career_stage", "line_manager__user", "trust")
    )
    return _not_agreed(_plan_rows(people, cycle))


def team_plan_figures(*, viewer: StaffMember, cycle: GrowthCycle, today: dt.date) -> dict[str, Any]:
    """The home page's "Team growth plans" figures that count the people ``viewer`` oversees
    (a school or a trust for a leader), loaded after the page: plans not agreed by the
    deadline, and people not yet meeting the coaching rule. Two queries."""
    return {
        "cycle": cycle,
        "deadline_passed": today > cycle.objectives_deadline,
        "overdue": overdue_count(viewer=viewer, cycle=cycle, today=today),
        "coaching": coaching_count(viewer=viewer, cycle=cycle),
    }


def awaiting_agreement(*, manager: StaffMember, cycle: GrowthCycle) -> list[GrowthPlan]:
    return list(
        GrowthPlan.objects.for_trust(manager.trust_id)
        .filter(cycle=cycle, staff_member__line_manager=manager, state=GrowthPlan.State.SUBMITTED)
        .select_related("staff_member__user", "cycle")
    )


@dataclass(frozen=True)
class CoachingRow:
    staff: StaffMember
    requirement: CoachingRequirement


# The fields of a person the coaching rule reads (objectives.rules.coaching_requirement).
_COACHING_RULE_READS = ("pk", "start_date", "is_coaching_facilitator", "coaching_qualified")


def coaching_rows(*, viewer: StaffMember, cycle: GrowthCycle) -> list[CoachingRow]:
    """The people ``viewer`` oversees to whom the coaching rule applies and who do not yet
    meet it, in a fixed number of queries. Each row's person carries what the rule reads and
    their name, nothing more."""
    people = (
        _overseen(viewer)
        .select_related("user")
        .only(*_COACHING_RULE_READS, "user__first_name", "user__last_name", "user__email")
    )
    return _coaching_rows(people, viewer=viewer, cycle=cycle)


def coaching_count(*, viewer: StaffMember, cycle: GrowthCycle) -> int:
    """How many rows ``coaching_rows`` would list (home panels), counted in the database: the
    same people and the same filter, so a trust's hundreds of line managers are not loaded to
    be counted."""
    return _overseen(viewer).filter(_coaching_due(viewer.trust_id, cycle)).order_by().count()


def _line_managers(trust_id: int) -> Q:
    """Whether a person line-manages anyone active, as one hashed set of ids (a single pass
    over the trust's staff), not a lookup of each person's reports: a trust admin oversees
    every member of the trust."""
    return Q(
        pk__in=StaffMember.objects.for_trust(trust_id)
        .filter(is_active=True, line_manager__isnull=False)
        .values("line_manager")
    )


def _coaching_due(trust_id: int, cycle: GrowthCycle) -> Q:
    """The people the coaching rule applies to who do not yet meet it (``coaching_due_q``)."""
    return coaching_due_q(
        manages=_line_managers(trust_id), **_coaching_objectives(trust_id, OuterRef("pk"), cycle)
    )


def _coaching_rows(
    people_qs: QuerySet[StaffMember], *, viewer: StaffMember, cycle: GrowthCycle
) -> list[CoachingRow]:
    trust_id = viewer.trust_id
    manages = _line_managers(trust_id)
    people = list(
        people_qs.filter(_coaching_due(trust_id, cycle)).annotate(
            is_manager=ExpressionWrapper(manages, output_field=BooleanField()),
            **_coaching_objectives(trust_id, OuterRef("pk"), cycle),
        )
    )
    cycles = cycles_all(trust_id)
    rows = []
    for person in people:
        requirement = coaching_requirement(
            staff=person,
            cycle=cycle,
            cycles=cycles,
            is_line_manager=person.is_manager,
            coaching_this_cycle=person.coaching_this,
            coaching_before=person.coaching_before,
        )
        if requirement.applies and not requirement.met:
            rows.append(CoachingRow(person, requirement))
    return rows


def heads_by_school(trust_id: int) -> dict[int, list[StaffMember]]:
    heads: dict[int, list[StaffMember]] = {}
    for r in (
        RoleAssignment.objects.for_trust(trust_id)
        .filter(role=RoleAssignment.Role.HEADTEACHER, staff_member__is_active=True)
        .select_related("staff_member__user")
    ):
        heads.setdefault(r.school_id, []).append(r.staff_member)
    return heads


def deadline_recipients(
    staff: StaffMember, *, heads: dict[int, list[StaffMember]]
) -> list[StaffMember]:
    """Whom to tell that ``staff``'s plan is not agreed: their line manager and the
    headteacher(s) of their school."""
    found: dict[int, StaffMember] = {}
    if staff.line_manager_id and staff.line_manager.is_active:
        found[staff.line_manager_id] = staff.line_manager
    for head in heads.get(staff.school_id, []):
        if head.pk != staff.pk:
            found.setdefault(head.pk, head)
    return list(found.values())


def sees_team_lists(viewer: StaffMember) -> bool:
    """Whether ``viewer`` sees the team lists: a leader, or a line manager (one query)."""
    return roles_of(viewer).is_leader or manages_anyone(viewer)


def area_label(area: str) -> str:
    return Area(area).label


def bank_phrases_shown(*, trust: Trust | int) -> list[ObjectiveBankPhrase]:
    """The bank as the trust's admins edit it: a shared phrase the trust has replaced shows
    as the trust's own."""
    rows = bank_admin_rows(trust=trust)
    replaced = {r.replaces_id for r in rows if r.trust_id and r.replaces_id}
    return [r for r in rows if r.pk not in replaced]


# Whether an objective was finished is known downstream (reviews: the July reflection rates it
# met); objectives cannot import those apps, so each registers a filter that leaves out the
# objectives it knows to be finished.
_unfinished_filters: list[Callable[[QuerySet[Objective]], QuerySet[Objective]]] = []


def register_unfinished_filter(
    leave_out_finished: Callable[[QuerySet[Objective]], QuerySet[Objective]],
) -> None:
    if leave_out_finished not in _unfinished_filters:
        _unfinished_filters.append(leave_out_finished)


def plan_page_for(plan: GrowthPlan, *, is_owner: bool) -> dict[str, Any]:
    """The plan page as one viewer sees it: ``page`` (``plan_page``) and its ``plan``, whether
    the viewer ``is_owner``, whether they ``can_edit`` it (the owner, while it is not
    submitted) and the unfinished objectives the owner may ``carry`` forward."""
    page = plan_page(plan)
    staff, cycle = page.plan.staff_member, page.plan.cycle
    return {
        "page": page,
        "plan": page.plan,
        "is_owner": is_owner,
        "can_edit": is_owner and page.plan.state != GrowthPlan.State.SUBMITTED,
        "carry": carry_forward_candidates(staff=staff, cycle=cycle) if is_owner else [],
    }


def carry_forward_candidates(*, staff: StaffMember, cycle: GrowthCycle) -> list[Objective]:
    """The person's unfinished objectives of their latest plan before ``cycle``: with words in
    them, not known to be finished (no registered app says so) and not carried into ``cycle``
    yet. What September's "carry forward" offers."""
    earlier = (
        GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle__start_date__lt=cycle.start_date)
        .select_related("cycle")
        .order_by("-cycle__start_date")
        .first()
    )
    if earlier is None:
        return []
    carried = Objective.objects.for_trust(staff.trust_id).filter(
        plan__cycle=cycle, plan__staff_member=staff, carried_forward_from__isnull=False
    )
    offered = (
        Objective.objects.for_trust(staff.trust_id)
        .filter(plan=earlier)
        .exclude(to_text="")
        .exclude(pk__in=carried.values("carried_forward_from"))
    )
    for leave_out_finished in _unfinished_filters:
        offered = leave_out_finished(offered)
    return list(offered.select_related("plan__cycle").order_by("area"))
