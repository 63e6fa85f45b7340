"""Reads of the checkins app, always within one trust, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Q, Sum, Value
from django.utils import timezone

from checkins.calendar import DayEntry
from checkins.models import (
    Checkin,
    CheckinReflection,
    FeedbackConversation,
    Observation,
    Recognition,
    ReminderPreference,
    ThinkingTool,
)
from checkins.schedule import checkin_dates, dates_for_person, last_checkin_day, next_checkin
from growth.models import Closure, GrowthCycle, StaffMember, Term
from objectives.models import Area

AREA_KEYS = tuple(Area.values)

# --- Schedule ------------------------------------------------------------------------------


def cycle_schedule(*, cycle: GrowthCycle, cadence_days: int | None = None) -> list[dt.date]:
    """The trust-wide check-in dates of a cycle, from its terms and closures and the trust's
    cadence (or ``cadence_days``): one query. A page that needs them more than once reads
    them once and passes them on."""
    # Terms, closures and the trust's cadence in one query.
    spans = (
        Term.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle)
        .order_by()
        .values_list("start_date", "end_date", "trust__checkin_cadence_days")
        .annotate(kind=Value("term"))
        .union(
            Closure.objects.for_trust(cycle.trust_id)
            .filter(cycle=cycle)
            .order_by()
            .values_list("start_date", "end_date", "trust__checkin_cadence_days")
            .annotate(kind=Value("closure")),
            all=True,
        )
    )
    terms, closures = [], []
    for start, end, trust_cadence, kind in spans:
        (terms if kind == "term" else closures).append((start, end))
        cadence_days = cadence_days or trust_cadence
    dates = checkin_dates(
        terms=terms,
        closures=closures,
        cadence_days=cadence_days or 14,
        last_day=last_checkin_day(cycle.end_date),
    )
    return dates


def expected_dates(*, staff: StaffMember, cycle: GrowthCycle) -> list[dt.date]:
    return dates_for_person(
        cycle_schedule(cycle=cycle), start_date=staff.start_date, leave_date=staff.leave_date
    )


@dataclass(frozen=True)
class ScheduleEntry:
    due_on: dt.date
    record: Checkin | None
    today: dt.date

    @property
    def state(self) -> str:
        if self.record is not None:
            return self.record.status
        if self.due_on < self.today:
            return "overdue"
        return "due" if self.due_on == self.today else "upcoming"

    @property
    def state_label(self) -> str:
        return {
            "held": "Held",
            "missed": "Missed",
            "moved": "Moved",
            "cancelled": "Cancelled",
            "overdue": "Not yet recorded",
            "due": "Due today",
            "upcoming": "Upcoming",
        }[self.state]


def checkin_schedule_for(
    *, staff: StaffMember, cycle: GrowthCycle, today: dt.date | None = None
) -> tuple[list[ScheduleEntry], list[Checkin]]:
    """The person's expected check-ins with what happened at each, plus any extras."""
    today = today or timezone.localdate()
    records = list(
        Checkin.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .order_by("due_on", "held_on")
    )
    by_due = {c.due_on: c for c in records if c.due_on}
    entries = [
        ScheduleEntry(due_on=d, record=by_due.get(d), today=today)
        for d in expected_dates(staff=staff, cycle=cycle)
    ]
    scheduled = {e.due_on for e in entries}
    extras = [c for c in records if c.due_on is None or c.due_on not in scheduled]
    return entries, extras


def checkin_detail(*, checkin: Checkin) -> Checkin:
    return (
        Checkin.objects.for_trust(checkin.trust_id)
        .select_related("staff_member__user", "staff_member__line_manager", "cycle", "recorded_by")
        .prefetch_related(
            models.Prefetch(
                "reflections",
                queryset=CheckinReflection.objects.for_trust(checkin.trust_id)
                .select_related("objective")
                .prefetch_related("evidence"),
            ),
            models.Prefetch(
                "recognitions",
                queryset=Recognition.objects.for_trust(checkin.trust_id).select_related(
                    "colleague__user"
                ),
            ),
            "thinking_tools",
        )
        .get(pk=checkin.pk)
    )


def held_checkin(*, staff: StaffMember, due_on: dt.date) -> Checkin | None:
    """The check-in already recorded as held for a scheduled date, if there is one."""
    return (
        Checkin.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, due_on=due_on, status=Checkin.Status.HELD)
        .first()
    )


def thinking_tools(*, trust_id: int) -> models.QuerySet[ThinkingTool]:
    return ThinkingTool.objects.for_trust(trust_id).filter(is_active=True)


# --- Engagement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementSummary:
    """A person's check-in engagement over a cycle (to ``on``), the evidence behind the
    engagement row of the rubric (DESIGN.md §3; seed 002 "Examples of PG engagement")."""

    expected: int
    held: int
    excused: int  # missed with a reason, or cancelled: absence is not disengagement
    reflecting_on_objectives: int  # held check-ins that reflect on at least one objective
    area_counts: dict[str, int] = field(default_factory=dict)  # held check-ins per area
    recognitions: int = 0  # colleagues recognised, counted per check-in
    tools_used: int = 0  # distinct thinking tools used in held check-ins
    took_part_in_360: bool = False

    @property
    def held_ratio(self) -> float:
        return self.held / max(self.expected - self.excused, 1)

    @property
    def objective_share(self) -> float:
        return self.reflecting_on_objectives / max(self.held, 1)

    @property
    def balance(self) -> str:
        """ "equal" weighting across the three objectives, "some" emphasis on some, or
        "limited" (one area or none)."""
        counts = [self.area_counts.get(key, 0) for key in AREA_KEYS]
        covered = sum(1 for c in counts if c)
        if covered <= 1:
            return "limited"
        if covered == len(AREA_KEYS) and min(counts) * 2 >= max(counts):
            return "equal"
        return "some"

    @property
    def balance_label(self) -> str:
        return {
            "equal": "Equal weighting across the 3 objectives",
            "some": "More emphasis on some objectives than others",
            "limited": "Limited engagement across the 3 objectives",
        }[self.balance]

    @property
    def held_percent(self) -> int:
        return round(100 * min(self.held_ratio, 1.0))

    @property
    def objective_percent(self) -> int:
        return round(100 * self.objective_share)


def _cutoff(cycle: GrowthCycle, on: dt.date | None) -> dt.date:
    return min(on or timezone.localdate(), cycle.end_date)


def engagement_summaries(
    *, staff_ids: Iterable[int], cycle: GrowthCycle, on: dt.date | None = None
) -> dict[int, EngagementSummary]:
    """Engagement for many people at once, in a fixed number of queries (dashboards)."""
    staff_ids = list(staff_ids)
    if not staff_ids:
        return {}
    people = StaffMember.objects.for_trust(cycle.trust_id).filter(pk__in=staff_ids)
    spans = {
        pk: (start, leave)
        for pk, start, leave in people.values_list("pk", "start_date", "leave_date")
    }
    return engagement_for_people(spans=spans, cycle=cycle, on=on)


def engagement_for_people(
    *,
    spans: dict[int, tuple[dt.date | None, dt.date | None]],
    cycle: GrowthCycle,
    on: dt.date | None,
) -> dict[int, EngagementSummary]:
    """Two queries: the cycle's schedule and the counts."""
    cutoff = _cutoff(cycle, on)
    dates = [d for d in cycle_schedule(cycle=cycle) if d <= cutoff]
    expected = {
        sid: len(dates_for_person(dates, start_date=start, leave_date=leave))
        for sid, (start, leave) in spans.items()
    }
    return engagement_with_expected(expected=expected, cycle=cycle, on=on)


def engagement_with_expected(
    *, expected: dict[int, int], cycle: GrowthCycle, on: dt.date | None
) -> dict[int, EngagementSummary]:
    """Engagement of the people in ``expected`` (staff id: check-ins due so far, e.g. from
    their progress row's ``checkins_due``) in one query."""
    counts = _engagement_counts(
        trust_id=cycle.trust_id, cycle=cycle, staff_ids=list(expected), cutoff=_cutoff(cycle, on)
    )
    result: dict[int, EngagementSummary] = {}
    for sid, due in expected.items():
        row = counts.get(sid, {})
        result[sid] = EngagementSummary(
            expected=due,
            held=row.get("held", 0),
            excused=row.get("excused", 0),
            reflecting_on_objectives=row.get("reflecting", 0),
            area_counts={key: row.get(f"area_{key}", 0) for key in AREA_KEYS},
            recognitions=row.get("recognitions", 0),
            tools_used=row.get("tools", 0),
            took_part_in_360=bool(row.get("with_360", 0)),
        )
    return result


def _engagement_counts(
    *, trust_id: int, cycle: GrowthCycle, staff_ids: list[int], cutoff: dt.date
) -> dict[int, dict[str, int]]:
    """Per person, the counts behind ``EngagementSummary``: one grouped query of filtered
    counts (the reflections, recognitions and tools joined, hence ``distinct``)."""
    if not staff_ids:
        return {}
    held = Q(status=Checkin.Status.HELD, held_on__lte=cutoff)
    excused = Q(
        status__in=(Checkin.Status.MISSED, Checkin.Status.CANCELLED), due_on__lte=cutoff
    ) & ~Q(reason="")
    rows = (
        Checkin.objects.for_trust(trust_id)
        .filter(cycle=cycle, staff_member_id__in=staff_ids)
        .values("staff_member_id")
        .annotate(
            held=Count("pk", filter=held, distinct=True),
            excused=Count("pk", filter=excused, distinct=True),
            with_360=Count("pk", filter=held & Q(took_part_in_360=True), distinct=True),
            reflecting=Count("pk", filter=held & Q(reflections__isnull=False), distinct=True),
            recognitions=Count("recognitions", filter=held, distinct=True),
            tools=Count("thinking_tools", filter=held, distinct=True),
            **{
                f"area_{key}": Count("pk", filter=held & Q(reflections__area=key), distinct=True)
                for key in AREA_KEYS
            },
        )
        .order_by()
    )
    return {row.pop("staff_member_id"): row for row in rows}


def engagement_summary(
    *, staff: StaffMember, cycle: GrowthCycle, on: dt.date | None = None
) -> EngagementSummary:
    spans = {staff.pk: (staff.start_date, staff.leave_date)}
    return engagement_for_people(spans=spans, cycle=cycle, on=on)[staff.pk]


# --- Team ----------------------------------------------------------------------------------


def team_checkins(
    *, manager: StaffMember, cycle: GrowthCycle, today: dt.date | None = None
) -> list[tuple[StaffMember, EngagementSummary, dt.date | None]]:
    """The manager's direct reports with their engagement and next due date."""
    today = today or timezone.localdate()
    reports = list(
        StaffMember.objects.for_trust(manager.trust_id)
        .filter(line_manager=manager, is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    dates = cycle_schedule(cycle=cycle)
    cutoff = _cutoff(cycle, today)
    summaries = engagement_with_expected(
        expected={
            r.pk: len(
                dates_for_person(
                    [d for d in dates if d <= cutoff],
                    start_date=r.start_date,
                    leave_date=r.leave_date,
                )
            )
            for r in reports
        },
        cycle=cycle,
        on=today,
    )
    recorded: dict[int, set[dt.date]] = defaultdict(set)
    moved: dict[int, list[dt.date]] = defaultdict(list)
    for sid, due_on, status, moved_to in (
        Checkin.objects.for_trust(manager.trust_id)
        .filter(cycle=cycle, staff_member__in=reports)
        .order_by()
        .values_list("staff_member_id", "due_on", "status", "moved_to")
    ):
        if due_on is not None:
            recorded[sid].add(due_on)
        if status == Checkin.Status.MOVED and moved_to is not None:
            moved[sid].append(moved_to)
    rows = []
    for person in reports:
        slots = dates_for_person(dates, start_date=person.start_date, leave_date=person.leave_date)
        upcoming = next_checkin(
            slots, today=today, recorded=recorded[person.pk], moved_to=moved[person.pk]
        )
        rows.append((person, summaries[person.pk], upcoming))
    return rows


# --- Calendar and reminders ---------------------------------------------------------------


def reminder_preference_for(*, staff: StaffMember) -> ReminderPreference | None:
    return ReminderPreference.objects.for_trust(staff.trust_id).filter(staff_member=staff).first()


# --- Observations --------------------------------------------------------------------------


def term_of(*, cycle: GrowthCycle, day: dt.date) -> Term | None:
    return (
        Term.objects.for_trust(cycle.trust_id)
        .filter(cycle=cycle, start_date__lte=day, end_date__gte=day)
        .first()
    )


def unrequested_minutes_in_term(
    *,
    observee: StaffMember,
    term: Term,
    exclude_id: int | None = None,
    peer_visits_count: bool = False,
) -> int:
    return unrequested_minutes_between(
        observee=observee,
        start=term.start_date,
        end=term.end_date,
        exclude_id=exclude_id,
        peer_visits_count=peer_visits_count,
    )


def unrequested_minutes_between(
    *,
    observee: StaffMember,
    start: dt.date,
    end: dt.date,
    exclude_id: int | None = None,
    peer_visits_count: bool = False,
) -> int:
    """Minutes of observation of ``observee`` that count towards the limits: not asked for
    by them, not cancelled, and (unless the trust says so) not a colleague's peer learning
    visit, which is the visitor's learning rather than the host's observation."""
    qs = (
        Observation.objects.for_trust(observee.trust_id)
        .filter(observee=observee, requested_by_observee=False, date__gte=start, date__lte=end)
        .exclude(status=Observation.Status.CANCELLED)
    )
    if not peer_visits_count:
        qs = qs.exclude(purpose=Observation.Purpose.LEARN)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.aggregate(total=Sum("minutes"))["total"] or 0


def observations_for(*, staff: StaffMember, cycle: GrowthCycle) -> list[Observation]:
    return list(
        Observation.objects.for_trust(staff.trust_id)
        .filter(Q(observee=staff) | Q(observer=staff), cycle=cycle)
        .select_related("observee__user", "observer__user")
        .order_by("-date")
    )


def observation_page(*, observation: Observation, viewer: StaffMember) -> dict[str, Any]:
    """An observation as ``viewer`` sees it: which side of it they are on, and the feedback
    conversations held after it."""
    return {
        "obs": observation,
        "viewer": viewer,
        "is_observee": viewer.pk == observation.observee_id,
        "is_observer": viewer.pk == observation.observer_id,
        "feedback": feedback_after(observation=observation),
    }


def peer_visit_status(
    *, staff_qs: models.QuerySet[StaffMember], cycle: GrowthCycle
) -> list[tuple[StaffMember, Observation | None]]:
    """Each teacher visits a colleague once a year to learn from them (seed 004): every
    teacher in ``staff_qs`` with their visit this cycle, or None if not yet."""
    teachers = list(
        staff_qs.filter(category=StaffMember.Category.TEACHING, is_active=True)
        .select_related("user", "school")
        .order_by("user__last_name", "user__first_name")
    )
    visits: dict[int, Observation] = {}
    for visit in (
        Observation.objects.for_trust(cycle.trust_id)
        .filter(
            cycle=cycle,
            purpose=Observation.Purpose.LEARN,
            observer__in=[t.pk for t in teachers],
        )
        .exclude(status=Observation.Status.CANCELLED)
        .select_related("observee__user")
        .order_by("date")
    ):
        visits.setdefault(visit.observer_id, visit)
    return [(t, visits.get(t.pk)) for t in teachers]


def feedback_for(*, staff: StaffMember) -> list[FeedbackConversation]:
    return list(
        FeedbackConversation.objects.for_trust(staff.trust_id)
        .filter(Q(staff_member=staff) | Q(coach=staff))
        .select_related("staff_member__user", "coach__user", "observation")
        .order_by("-held_on")
    )


def feedback_received(*, staff: StaffMember) -> models.QuerySet[FeedbackConversation]:
    """The conversations held with ``staff`` (the earlier action steps new praise links to)."""
    return FeedbackConversation.objects.for_trust(staff.trust_id).filter(staff_member=staff)


def feedback_page(*, conversation: FeedbackConversation, viewer: StaffMember) -> dict[str, Any]:
    """A feedback conversation as ``viewer`` sees it: whether it waits for them to confirm."""
    is_colleague = viewer.pk == conversation.staff_member_id
    needs_me = (is_colleague and not conversation.confirmed_by_colleague_at) or (
        viewer.pk == conversation.coach_id and not conversation.confirmed_by_coach_at
    )
    return {"c": conversation, "needs_me": needs_me, "is_colleague": is_colleague}


def feedback_after(*, observation: Observation) -> list[FeedbackConversation]:
    """The feedback conversations held after an observation."""
    return list(
        FeedbackConversation.objects.for_trust(observation.trust_id).filter(observation=observation)
    )


def awaiting_growth_feedback(
    *, people: models.QuerySet[StaffMember], cycle: GrowthCycle
) -> models.QuerySet[StaffMember]:
    """The teachers among ``people`` who have not yet had a feedback conversation on their
    growth focus in ``cycle``: seed 004, every teacher receives feedback during the year."""
    had = FeedbackConversation.objects.for_trust(cycle.trust_id).filter(
        staff_member_id=models.OuterRef("pk"),
        held_on__gte=cycle.start_date,
        held_on__lte=cycle.end_date,
    )
    return people.filter(is_active=True, category=StaffMember.Category.TEACHING).exclude(
        models.Exists(had)
    )


def calendar_days_for(*, staff: StaffMember, cycle: GrowthCycle) -> list[DayEntry]:
    """The all-day entries of a person's calendar feed besides their check-ins: their
    observations (as observee or observer), the objectives deadline and their objectives'
    "by" dates, the July reflection window, and for reviewers the review window and deadline
    (for headteachers, the final decisions' deadline too). A fixed number of queries."""
    from growth.security.access import roles_of
    from objectives.models import Objective
    from objectives.rules import plan_required

    cid = cycle.public_id
    days: list[DayEntry] = []
    observations = (
        Observation.objects.for_trust(staff.trust_id)
        .filter(cycle=cycle)
        .filter(Q(observee=staff) | Q(observer=staff))
        .select_related("observee__user", "observer__user")
        .order_by("date")
    )
    for o in observations:
        other = o.observer if o.observee_id == staff.pk else o.observee
        role = "observed by" if o.observee_id == staff.pk else "observing"
        days.append(
            DayEntry(
                key=f"observation-{o.public_id}",
                summary=f"Observation ({o.minutes} minutes), {role} {other.full_name}",
                first_day=o.date,
                description=f"Focus: {o.get_focus_area_display()}. {o.focus_note}".strip(),
                cancelled=o.status == Observation.Status.CANCELLED,
            )
        )
    if plan_required(staff):
        days.append(
            DayEntry(
                key=f"deadline-{cid}-objectives-{staff.public_id}",
                summary="Growth plan: objectives agreed by today",
                first_day=cycle.objectives_deadline,
            )
        )
        objectives = (
            Objective.objects.for_trust(staff.trust_id)
            .filter(plan__staff_member=staff, plan__cycle=cycle, by_date__isnull=False)
            .only("public_id", "area", "by_date", "to_text")
        )
        for objective in objectives:
            days.append(
                DayEntry(
                    key=f"objective-{objective.public_id}",
                    summary=f"{objective.get_area_display()} objective: by today",
                    first_day=objective.by_date,
                    description=f"To {objective.to_text}" if objective.to_text else "",
                )
            )
    days.append(
        DayEntry(
            key=f"window-{cid}-reflection-{staff.public_id}",
            summary="July reflection window",
            first_day=cycle.reflection_opens,
            last_day=cycle.reflection_closes,
            description="Reflect on each objective: met, partially met or not met.",
        )
    )
    if staff.reports.filter(is_active=True).exists():
        opens, closes = cycle.review_window()
        days.append(
            DayEntry(
                key=f"window-{cid}-reviews-{staff.public_id}",
                summary="Review window: reviews are written and submitted",
                first_day=opens,
                last_day=closes,
            )
        )
        days.append(
            DayEntry(
                key=f"deadline-{cid}-reviews-{staff.public_id}",
                summary="Reviews due today",
                first_day=cycle.review_deadline,
            )
        )
    if roles_of(staff).headteacher_of:
        days.append(
            DayEntry(
                key=f"deadline-{cid}-decisions-{staff.public_id}",
                summary="Final decisions due today",
                first_day=cycle.final_decision_deadline,
            )
        )
    return days


# How many names the home page's growth-focus panel lists before "and N in all".
GROWTH_FEEDBACK_NAMES = 12


def growth_feedback_waiting(*, viewer: StaffMember, cycle: GrowthCycle) -> dict[str, Any]:
    """The teachers waiting for feedback on their growth focus whom ``viewer`` should see:
    their direct reports, and for a headteacher their schools' teachers (not the school's
    leaders, whose growth year is not the school's)."""
    from growth.security.access import duty_view, roles_of

    schools = roles_of(viewer).headteacher_of
    people = StaffMember.objects.for_trust(viewer.trust_id).exclude(pk=viewer.pk)
    if schools:
        people = people.filter(models.Q(line_manager=viewer) | models.Q(school_id__in=schools))
        people = people.exclude(pk__in=duty_view(viewer).school_leaders)
    else:
        people = people.filter(line_manager=viewer)
    waiting = awaiting_growth_feedback(people=people, cycle=cycle)
    shown = waiting.select_related("user").order_by("user__last_name", "user__first_name")
    return {
        "cycle": cycle,
        "waiting": list(shown[:GROWTH_FEEDBACK_NAMES]),
        "total": waiting.count(),
    }
