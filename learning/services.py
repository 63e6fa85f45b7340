"""Writes of the learning app: keyword-only, atomic, validated and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from growth.access import Relation, relations
from growth.audit import audit_record, snapshot
from growth.models import StaffMember
from learning.models import CoachAssignment, CoachingSession, LearningSettings
from learning.selectors import coachees_per_coach, current_coachee_counts, line_of
from objectives.models import Objective

ASSIGNERS = {Relation.HEADTEACHER, Relation.TRUST_ADMIN}


def can_assign_coach(actor: StaffMember, coachee: StaffMember) -> bool:
    """Trust admins for anyone in the trust; headteachers for the staff of their school."""
    return bool(relations(actor, coachee) & ASSIGNERS)


def coach_problems(*, coachee: StaffMember, coach: StaffMember) -> list[str]:
    """Why ``coach`` may not coach ``coachee`` (empty when they may)."""
    problems = []
    if coach.trust_id != coachee.trust_id:
        return ["That coach is not in this trust."]
    if coach.pk == coachee.pk:
        return ["Nobody can coach themselves."]
    if not coach.coaching_qualified:
        problems.append(f"{coach.full_name} does not hold the coaching qualification.")
    if not coach.is_active:
        problems.append(f"{coach.full_name} has left the trust.")
    if coach.pk in line_of(coachee):
        problems.append(
            f"{coach.full_name} is in {coachee.full_name}'s line management; a coach must "
            "be outside it."
        )
    most = coachees_per_coach(trust_id=coachee.trust_id)
    if (
        current_coachee_counts(trust_id=coachee.trust_id, coach_ids={coach.pk}).get(coach.pk, 0)
        >= most
    ):
        problems.append(f"{coach.full_name} already coaches {most}, the trust's limit.")
    return problems


@transaction.atomic
def coach_assign(
    *,
    actor: StaffMember,
    coachee: StaffMember,
    coach: StaffMember,
    started_on: dt.date | None = None,
) -> CoachAssignment:
    """Give ``coachee`` a coach, ending their current coaching (if any) the same day."""
    if not can_assign_coach(actor, coachee):
        raise PermissionDenied("Only trust admins and the headteacher assign coaches.")
    # Lock the coach's row so two assignments at once cannot both pass the limit.
    StaffMember.objects.for_trust(coachee.trust_id).select_for_update().filter(pk=coach.pk).first()
    problems = coach_problems(coachee=coachee, coach=coach)
    if problems:
        raise ValidationError({"coach": problems})
    started_on = started_on or timezone.localdate()
    current = (
        CoachAssignment.objects.for_trust(coachee.trust_id)
        .select_for_update()
        .filter(coachee=coachee, ended_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.coach_id == coach.pk:
            return current
        coach_assignment_end(actor=actor, assignment=current, ended_on=started_on)
    assignment = CoachAssignment(
        trust_id=coachee.trust_id,
        coachee=coachee,
        coach=coach,
        assigned_by=actor,
        started_on=started_on,
    )
    assignment.full_clean()
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:
        raise ValidationError({"coach": ["Someone else has just given them a coach."]}) from exc
    audit_record(
        trust=coachee.trust_id,
        actor=actor,
        action="coaching.assign",
        obj=assignment,
        subject=coachee,
        after=snapshot(assignment, ["coach", "coachee", "started_on"]),
    )
    return assignment


@transaction.atomic
def coach_assignment_end(
    *, actor: StaffMember, assignment: CoachAssignment, ended_on: dt.date | None = None
) -> CoachAssignment:
    if not can_assign_coach(actor, assignment.coachee):
        raise PermissionDenied("Only trust admins and the headteacher end coaching.")
    if assignment.ended_on is not None:
        return assignment
    assignment.ended_on = ended_on or timezone.localdate()
    if assignment.ended_on < assignment.started_on:
        assignment.ended_on = assignment.started_on
    assignment.save(update_fields=["ended_on", "updated_at"])
    audit_record(
        trust=assignment.trust_id,
        actor=actor,
        action="coaching.end",
        obj=assignment,
        subject=assignment.coachee,
        after={"ended_on": assignment.ended_on.isoformat()},
    )
    return assignment


def is_coach_or_coachee(actor: StaffMember, assignment: CoachAssignment) -> bool:
    return actor.pk in (assignment.coach_id, assignment.coachee_id)


@transaction.atomic
def coaching_session_record(
    *,
    actor: StaffMember,
    assignment: CoachAssignment,
    held_on: dt.date,
    minutes: int,
    focus: str,
    notes: str = "",
    objective: Objective | None = None,
    session: CoachingSession | None = None,
) -> CoachingSession:
    """Record (or correct) a coaching session; only the coach and the coachee may."""
    if not is_coach_or_coachee(actor, assignment):
        raise PermissionDenied("Only the coach and the coachee record their sessions.")
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = ["A session is recorded once it has been held: the date is ahead."]
    if held_on < assignment.started_on or (assignment.ended_on and held_on > assignment.ended_on):
        errors.setdefault("held_on", []).append(
            "The date is outside the time this coach was assigned."
        )
    if objective is not None and (
        objective.trust_id != assignment.trust_id
        or objective.plan.staff_member_id != assignment.coachee_id
    ):
        errors["objective"] = ["Link one of the coachee's own objectives."]
    if errors:
        raise ValidationError(errors)
    before = snapshot(session, ["held_on", "minutes"]) if session is not None else None
    session = session or CoachingSession(
        trust_id=assignment.trust_id, assignment=assignment, recorded_by=actor
    )
    session.held_on, session.minutes, session.focus = held_on, minutes, focus.strip()
    session.notes, session.objective = notes.strip(), objective
    session.full_clean()
    session.save()
    audit_record(
        trust=assignment.trust_id,
        actor=actor,
        action="coaching.session_record",
        obj=session,
        subject=assignment.coachee,
        before=before,
        after=snapshot(session, ["held_on", "minutes"]),
    )
    return session


@transaction.atomic
def learning_settings_update(*, actor: StaffMember, coachees_per_coach: int) -> LearningSettings:
    from growth.access import roles_of

    if not roles_of(actor).trust_admin:
        raise PermissionDenied("Only trust admins change the learning settings.")
    found, _ = LearningSettings.objects.for_trust(actor.trust_id).get_or_create(
        trust_id=actor.trust_id
    )
    before = snapshot(found, ["coachees_per_coach"])
    found.coachees_per_coach = coachees_per_coach
    found.full_clean()
    found.save()
    audit_record(
        trust=actor.trust_id,
        actor=actor,
        action="learning.settings_update",
        obj=found,
        before=before,
        after=snapshot(found, ["coachees_per_coach"]),
    )
    return found
