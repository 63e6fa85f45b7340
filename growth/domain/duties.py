"""Separation of duties: who may make the final decision on a person's review.

The rule (DESIGN.md §4, "Roles and what they may see"): the headteacher or manager of the
person's school decides, or a deputy the trust has named to act for an absent head. Nobody
decides their own review or one that they wrote as the reviewer; where every usual decider is
conflicted that way, and always for a headteacher's own review, the decision passes to the
trust's designated decider (e.g. the CEO or an executive headteacher). Services ask
``decision_capacity``; pages show ``decision_route`` so that nobody is surprised by a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models

from growth.models import LeaderReviewArrangement, RoleAssignment, StaffMember

SCHOOL_DECIDER_ROLES = (RoleAssignment.Role.HEADTEACHER, RoleAssignment.Role.ACTING_HEADTEACHER)


class DecisionCapacity(models.TextChoices):
    """The capacity in which a final decision was made, recorded on the decision."""

    HEADTEACHER = "headteacher", "Headteacher / manager"
    ACTING_HEADTEACHER = "acting_headteacher", "Deputy acting for the headteacher"
    DESIGNATED_DECIDER = "designated_decider", "Trust's designated decider"


class DutyRefused(ValidationError):
    """The actor may not do this because of who they are to the record (not a bad value)."""


@dataclass(frozen=True)
class DecisionRoute:
    """Who may decide one review, and whether it passed on from the school's own leaders."""

    deciders: list[tuple[StaffMember, str]] = field(default_factory=list)
    passed_on: bool = False
    # Why it passed on, in words for the page ("the headteacher wrote this review").
    because: str = ""

    @property
    def names(self) -> str:
        return ", ".join(person.full_name for person, _ in self.deciders)


def leads_own_school(person: StaffMember) -> bool:
    """Whether ``person`` is the headteacher or manager of the school they belong to: their
    own growth year is then hidden from that school and decided by the designated decider."""
    return (
        RoleAssignment.objects.for_trust(person.trust_id)
        .filter(
            staff_member=person, role=RoleAssignment.Role.HEADTEACHER, school_id=person.school_id
        )
        .exists()
    )


def designated_deciders(*, trust_id: int) -> list[StaffMember]:
    return [
        role.staff_member
        for role in RoleAssignment.objects.for_trust(trust_id)
        .filter(role=RoleAssignment.Role.DESIGNATED_DECIDER, staff_member__is_active=True)
        .select_related("staff_member__user")
        .order_by("staff_member__user__last_name", "staff_member__user__first_name")
    ]


def decision_route(*, reviewee: StaffMember, reviewer: StaffMember) -> DecisionRoute:
    """The people who may make the final decision on ``reviewee``'s review written by
    ``reviewer``, each with the capacity they would decide in."""
    conflicted = {reviewee.pk, reviewer.pk}
    leaders = list(
        RoleAssignment.objects.for_trust(reviewee.trust_id)
        .filter(
            school_id=reviewee.school_id,
            role__in=SCHOOL_DECIDER_ROLES,
            staff_member__is_active=True,
        )
        .select_related("staff_member__user")
        .order_by("role", "staff_member__user__last_name")
    )
    heads = {r.staff_member_id for r in leaders if r.role == RoleAssignment.Role.HEADTEACHER}
    if reviewee.pk in heads:
        because = "this is the headteacher's or manager's own review"
        usual: list[tuple[StaffMember, str]] = []
    else:
        usual = [(r.staff_member, r.role) for r in leaders if r.staff_member_id not in conflicted]
        because = (
            "the headteacher or manager wrote this review"
            if heads & conflicted
            else "nobody leads this school or team"
        )
    if usual:
        return DecisionRoute(deciders=usual)
    designated = [
        (person, DecisionCapacity.DESIGNATED_DECIDER.value)
        for person in designated_deciders(trust_id=reviewee.trust_id)
        if person.pk not in conflicted
    ]
    return DecisionRoute(deciders=designated, passed_on=True, because=because)


def passed_on_q(*, reviewee: str = "staff_member", reviewer: str = "reviewer") -> models.Q:
    """``decision_route``'s "passed on" as a filter, for many reviews in one query: the
    reviewee is their school's headteacher, or no active leader of their school is free of
    conflict (neither the reviewee nor the reviewer). ``reviewee`` and ``reviewer`` name the
    row's fields; the reviewer must be set, as it is on every submitted review.
    tests/test_separation_of_duties.py holds this and ``decision_route`` to the same answers."""
    leaders = RoleAssignment.objects.filter(
        trust_id=models.OuterRef("trust_id"),
        school_id=models.OuterRef(f"{reviewee}__school_id"),
        role__in=SCHOOL_DECIDER_ROLES,
        staff_member__is_active=True,
    )
    own_head = leaders.filter(
        role=RoleAssignment.Role.HEADTEACHER, staff_member_id=models.OuterRef(f"{reviewee}_id")
    )
    free = leaders.exclude(staff_member_id=models.OuterRef(f"{reviewee}_id")).exclude(
        staff_member_id=models.OuterRef(f"{reviewer}_id")
    )
    return models.Q(models.Exists(own_head)) | ~models.Q(models.Exists(free))


def decision_capacity(*, actor: StaffMember, reviewee: StaffMember, reviewer: StaffMember) -> str:
    """The capacity in which ``actor`` may make the final decision, or ``DutyRefused`` with a
    message that says why not and who decides instead."""
    if actor.trust_id != reviewee.trust_id:
        raise DutyRefused("Only the headteacher or manager makes the final decision.")
    route = decision_route(reviewee=reviewee, reviewer=reviewer)
    elsewhere = (
        f"it passes to {route.names}"
        if route.deciders
        else "it passes to the trust's designated decider, whom a trust admin names under "
        "Trust administration, Who decides"
    )
    if actor.pk == reviewee.pk:
        raise DutyRefused(
            f"Nobody makes the final decision on their own review: {elsewhere}.",
            code="own_review",
        )
    if actor.pk == reviewer.pk:
        raise DutyRefused(
            "You wrote this review as the reviewer, so the final decision on it is not "
            f"yours: {elsewhere}.",
            code="own_writing",
        )
    for person, capacity in route.deciders:
        if person.pk == actor.pk:
            return capacity
    if not route.deciders:
        raise DutyRefused(
            f"Nobody is free to make this decision yet ({route.because}): a trust admin names "
            "a designated decider under Trust administration, Who decides.",
            code="no_decider",
        )
    if route.passed_on:
        raise DutyRefused(
            f"This decision has passed to the trust's designated decider ({route.names}), "
            f"because {route.because}.",
            code="passed_on",
        )
    raise DutyRefused(
        f"The final decision is for {route.names}, the headteacher or manager of "
        f"{reviewee.school.name} (or a deputy acting for them); it passes to the designated "
        "decider only where they are conflicted.",
        code="not_decider",
    )


def leader_reviewer(person: StaffMember) -> StaffMember | None:
    """Who writes a leader's review: the reviewer the trust names, else their line manager."""
    arrangement = (
        LeaderReviewArrangement.objects.for_trust(person.trust_id)
        .filter(staff_member=person)
        .select_related("reviewer__user")
        .first()
    )
    if arrangement is not None and arrangement.reviewer is not None:
        return arrangement.reviewer
    return person.line_manager
