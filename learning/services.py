"""Writes of the learning app: keyword-only, atomic, validated and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from growth.domain.audit import audit_record, snapshot
from growth.models import GrowthCycle, School, StaffMember
from growth.security.access import Relation, relations, roles_of
from growth.security.uploads import KINDS, validate_upload
from learning.models import (
    IMPACT_AFTER_MONTHS,
    CoachAssignment,
    CoachingSession,
    LearningBudget,
    LearningEntry,
    LearningSettings,
    PlanReview,
    Resource,
    months_after,
)
from learning.selectors import (
    coachees_per_coach,
    current_coachee_counts,
    line_of,
    plan_review_opens,
)
from objectives.models import GrowthPlan, Objective
from standards.models import Standard

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


# --- The learning record -------------------------------------------------------------------


@dataclass(frozen=True)
class EntryData:
    kind: str
    title: str
    started_on: dt.date
    hours: Decimal
    provider: str = ""
    cost: Decimal = Decimal("0")
    paid_by: str = LearningEntry.PaidBy.NOBODY
    objectives: list[Objective] = field(default_factory=list)
    standards: list[Standard] = field(default_factory=list)


@transaction.atomic
def learning_entry_record(
    *,
    actor: StaffMember,
    staff: StaffMember,
    data: EntryData,
    entry: LearningEntry | None = None,
) -> LearningEntry:
    """Log (or correct) a piece of one's own professional learning."""
    if actor.pk != staff.pk:
        raise PermissionDenied("People log their own professional learning.")
    errors: dict[str, list[str]] = {}
    if data.started_on > timezone.localdate() + dt.timedelta(days=366):
        errors["started_on"] = ["The date is more than a year ahead."]
    if data.paid_by == LearningEntry.PaidBy.NOBODY and data.cost:
        errors["paid_by"] = ["Say who paid the cost (or set the cost to 0)."]
    if data.cost == 0 and data.paid_by not in (LearningEntry.PaidBy.NOBODY, ""):
        errors["cost"] = ["Give the cost, or choose \u201cNo cost\u201d for who paid."]
    if any(
        o.trust_id != staff.trust_id or o.plan.staff_member_id != staff.pk for o in data.objectives
    ):
        errors["objectives"] = ["Link only your own objectives."]
    if any(s.trust_id not in (None, staff.trust_id) for s in data.standards):
        errors["standards"] = ["That standard belongs to another trust."]
    if errors:
        raise ValidationError(errors)
    before = snapshot(entry) if entry is not None else None
    entry = entry or LearningEntry(trust_id=staff.trust_id, staff_member=staff, school=staff.school)
    for name in ("kind", "title", "started_on", "hours", "provider", "cost", "paid_by"):
        setattr(entry, name, getattr(data, name))
    entry.title, entry.provider = entry.title.strip(), entry.provider.strip()
    entry.impact_due_on = months_after(entry.started_on, IMPACT_AFTER_MONTHS)
    entry.full_clean()
    entry.save()
    entry.objectives.set(data.objectives)
    entry.standards.set(data.standards)
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="learning.entry_record",
        obj=entry,
        subject=staff,
        before=before,
        after=snapshot(entry),
    )
    return entry


@transaction.atomic
def learning_impact_record(
    *, actor: StaffMember, entry: LearningEntry, impact: str
) -> LearningEntry:
    """What difference the learning made, in the person's own words."""
    if actor.pk != entry.staff_member_id:
        raise PermissionDenied("Only the person who did the learning writes its impact.")
    impact = impact.strip()
    if not impact:
        raise ValidationError({"impact": ["Write what difference it made."]})
    entry.impact = impact
    entry.impact_written_on = timezone.localdate()
    entry.full_clean()
    entry.save(update_fields=["impact", "impact_written_on", "updated_at"])
    audit_record(
        trust=entry.trust_id,
        actor=actor,
        action="learning.impact_record",
        obj=entry,
        subject=entry.staff_member,
    )
    return entry


@transaction.atomic
def learning_budget_set(
    *, actor: StaffMember, school: School, cycle: GrowthCycle, amount: Decimal
) -> LearningBudget:
    """The school's professional learning budget for the year: its headteacher's to set (or
    a trust admin's)."""
    roles = roles_of(actor)
    if not (roles.trust_admin or school.pk in roles.headteacher_of):
        raise PermissionDenied("Only the school's headteacher sets its learning budget.")
    if school.trust_id != actor.trust_id or cycle.trust_id != actor.trust_id:
        raise PermissionDenied("Not this trust's school.")
    budget = (
        LearningBudget.objects.for_trust(actor.trust_id)
        .select_for_update()
        .filter(school=school, cycle=cycle)
        .first()
    ) or LearningBudget(trust_id=actor.trust_id, school=school, cycle=cycle, amount=0)
    before = snapshot(budget, ["amount"]) if budget.pk else None
    budget.amount, budget.set_by = amount, actor
    budget.full_clean()
    budget.save()
    audit_record(
        trust=actor.trust_id,
        actor=actor,
        action="learning.budget_set",
        obj=budget,
        before=before,
        after=snapshot(budget, ["amount"]),
    )
    return budget


# --- The resources hub ---------------------------------------------------------------------

RESOURCE_KINDS = ("pdf", "docx", "pptx", "xlsx", "png", "jpeg", "txt")


def can_publish_resources(actor: StaffMember) -> bool:
    roles = roles_of(actor)
    return roles.trust_admin or bool(roles.headteacher_of)


def can_change_resource(actor: StaffMember, resource: Resource) -> bool:
    """Trust admins change any resource; a headteacher the ones they published."""
    return roles_of(actor).trust_admin or (
        can_publish_resources(actor) and resource.published_by_id == actor.pk
    )


@dataclass(frozen=True)
class ResourceData:
    title: str
    format: str
    summary: str = ""
    url: str = ""
    body: str = ""
    area: str = ""
    category: str = ""
    phase: str = ""
    standards: list[Standard] = field(default_factory=list)


@transaction.atomic
def resource_publish(
    *,
    actor: StaffMember,
    data: ResourceData,
    upload: UploadedFile | None = None,
    resource: Resource | None = None,
) -> Resource:
    """Publish (or change) a resource of the hub: a link, an uploaded file checked like every
    upload, or a page of text."""
    if resource is None and not can_publish_resources(actor):
        raise PermissionDenied("Trust admins and headteachers publish resources.")
    if resource is not None and not can_change_resource(actor, resource):
        raise PermissionDenied("Only its publisher or a trust admin changes a resource.")
    F = Resource.Format
    errors: dict[str, list[str]] = {}
    if data.format == F.LINK and not data.url.strip():
        errors["url"] = ["Give the link."]
    if data.format == F.PAGE and not data.body.strip():
        errors["body"] = ["Write the page's text."]
    has_file = upload is not None or (resource is not None and bool(resource.file))
    if data.format == F.FILE and not has_file:
        errors["file"] = ["Choose the file to upload."]
    if any(s.trust_id not in (None, actor.trust_id) for s in data.standards):
        errors["standards"] = ["That standard belongs to another trust."]
    kind = None
    if upload is not None and data.format == F.FILE:
        try:
            kind = validate_upload(upload, kinds=RESOURCE_KINDS)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    before = snapshot(resource) if resource is not None else None
    resource = resource or Resource(trust_id=actor.trust_id, published_by=actor)
    resource.title, resource.summary = data.title.strip(), data.summary.strip()
    resource.format = data.format
    resource.url = data.url.strip() if data.format == F.LINK else ""
    resource.body = data.body.strip() if data.format == F.PAGE else ""
    resource.area, resource.category, resource.phase = data.area, data.category, data.phase
    old_file = resource.file.name if resource.file and data.format != F.FILE else ""
    if data.format != F.FILE:
        resource.file, resource.original_name, resource.content_type = None, "", ""
    stored = ""
    if upload is not None and kind is not None:
        resource.original_name = (upload.name or "").rsplit("/", 1)[-1][:200]
        resource.content_type = KINDS[kind].content_type
        resource.file.save(resource.original_name, upload, save=False)
        stored = resource.file.name
    try:
        resource.full_clean()
        resource.save()
    except Exception:
        if stored:
            resource.file.storage.delete(stored)
        raise
    resource.standards.set(data.standards)
    if old_file:
        name, storage = old_file, Resource._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))
    audit_record(
        trust=actor.trust_id,
        actor=actor,
        action="learning.resource_publish",
        obj=resource,
        before=before,
        after=snapshot(resource),
    )
    return resource


@transaction.atomic
def resource_remove(*, actor: StaffMember, resource: Resource) -> None:
    if not can_change_resource(actor, resource):
        raise PermissionDenied("Only its publisher or a trust admin removes a resource.")
    before = snapshot(resource)
    name, storage = resource.file.name if resource.file else "", resource.file.storage
    audit_record(
        trust=actor.trust_id,
        actor=actor,
        action="learning.resource_remove",
        obj=resource,
        before=before,
    )
    resource.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- The end-of-cycle plan review and the library of what colleagues learned --------------

REVIEW_ANSWERS = ("intended", "did", "impact", "recommendations", "other_contexts")
# Needed before a review can be submitted (the last question is optional in seed 004's form).
REVIEW_REQUIRED = ("intended", "did", "impact", "recommendations")


@transaction.atomic
def plan_review_start(
    *, actor: StaffMember, plan: GrowthPlan, today: dt.date | None = None
) -> PlanReview:
    """The writer's review of their plan (made the first time they open it), with its area and
    standards taken from the plan's objectives."""
    if actor.pk != plan.staff_member_id:
        raise PermissionDenied("People review their own growth plan.")
    today = today or timezone.localdate()
    if today < plan_review_opens(plan.cycle):
        raise ValidationError(
            f"The review of your growth plan opens on {date_format(plan_review_opens(plan.cycle))}."
        )
    found = PlanReview.objects.for_trust(plan.trust_id).filter(plan=plan).first()
    if found is not None:
        return found
    review = PlanReview(trust_id=plan.trust_id, staff_member=actor, plan=plan, cycle=plan.cycle)
    review.full_clean()
    review.save()
    standards = {s for o in plan.objectives.all() for s in o.standards.all()}
    review.standards.set(standards)
    audit_record(
        trust=plan.trust_id, actor=actor, action="learning.review_start", obj=review, subject=actor
    )
    return review


@transaction.atomic
def plan_review_save(
    *,
    actor: StaffMember,
    review: PlanReview,
    answers: dict[str, str],
    area: str = "",
    standards: list[Standard] | None = None,
) -> PlanReview:
    if actor.pk != review.staff_member_id:
        raise PermissionDenied("Only its writer changes a review.")
    if review.is_submitted:
        raise ValidationError("This review has been submitted; it can no longer be changed.")
    if standards and any(s.trust_id not in (None, review.trust_id) for s in standards):
        raise ValidationError({"standards": ["That standard belongs to another trust."]})
    for name in REVIEW_ANSWERS:
        setattr(review, name, answers.get(name, "").strip())
    review.area = area
    review.full_clean()
    review.save()
    if standards is not None:
        review.standards.set(standards)
    audit_record(
        trust=review.trust_id, actor=actor, action="learning.review_save", obj=review, subject=actor
    )
    return review


@transaction.atomic
def plan_review_write(
    *,
    actor: StaffMember,
    plan: GrowthPlan,
    review: PlanReview | None,
    answers: dict[str, str],
    area: str,
    standards: list[Standard],
    submit: bool,
) -> PlanReview:
    """The review page's two buttons: save the draft (starting the review the first time),
    and submit it too if asked. One transaction: a refused submission keeps nothing of it."""
    review = review or plan_review_start(actor=actor, plan=plan)
    plan_review_save(actor=actor, review=review, answers=answers, area=area, standards=standards)
    if submit:
        plan_review_submit(actor=actor, review=review)
    return review


@transaction.atomic
def plan_review_submit(*, actor: StaffMember, review: PlanReview) -> PlanReview:
    if actor.pk != review.staff_member_id:
        raise PermissionDenied("Only its writer submits a review.")
    if review.is_submitted:
        return review
    missing = {
        name: [f"Answer \u201c{PlanReview._meta.get_field(name).verbose_name}\u201d."]
        for name in REVIEW_REQUIRED
        if not getattr(review, name).strip()
    }
    if missing:
        raise ValidationError(missing)
    review.state, review.submitted_at = PlanReview.State.SUBMITTED, timezone.now()
    review.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(
        trust=review.trust_id,
        actor=actor,
        action="learning.review_submit",
        obj=review,
        subject=actor,
    )
    return review


@transaction.atomic
def plan_review_share(*, actor: StaffMember, review: PlanReview, scope: str) -> PlanReview:
    """Opt in to the library: the answers, area and standards of a submitted review, with the
    writer's school or with the whole trust."""
    if actor.pk != review.staff_member_id:
        raise PermissionDenied("Only its writer shares a review.")
    if not review.is_submitted:
        raise ValidationError({"scope": ["Submit the review before sharing it."]})
    if scope not in (PlanReview.Sharing.SCHOOL, PlanReview.Sharing.TRUST):
        raise ValidationError({"scope": ["Share it with your school or with the whole trust."]})
    before = {"shared_with": review.shared_with}
    review.shared_with, review.shared_at = scope, timezone.now()
    review.shared_school_id = actor.school_id
    review.save(update_fields=["shared_with", "shared_at", "shared_school", "updated_at"])
    audit_record(
        trust=review.trust_id,
        actor=actor,
        action="learning.review_share",
        obj=review,
        subject=actor,
        before=before,
        after={"shared_with": scope},
    )
    return review


@transaction.atomic
def plan_review_withdraw(*, actor: StaffMember, review: PlanReview) -> PlanReview:
    """Take a review out of the library, at once and for everyone."""
    if actor.pk != review.staff_member_id:
        raise PermissionDenied("Only its writer withdraws a review.")
    if not review.shared_with:
        return review
    before = {"shared_with": review.shared_with}
    review.shared_with, review.shared_at, review.shared_school = "", None, None
    review.save(update_fields=["shared_with", "shared_at", "shared_school", "updated_at"])
    audit_record(
        trust=review.trust_id,
        actor=actor,
        action="learning.review_withdraw",
        obj=review,
        subject=actor,
        before=before,
        after={"shared_with": ""},
    )
    return review
