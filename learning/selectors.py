"""Reads of the learning app, each scoped to one trust."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet

from growth.models import StaffMember
from learning.models import (
    DEFAULT_COACHEES_PER_COACH,
    CoachAssignment,
    CoachingSession,
    LearningSettings,
)

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
