"""Writes of the objectives app. Every function is keyword-only, atomic and audited.

Staff own their objectives: only the plan's owner writes them. The line manager requests
changes or agrees; they never edit the text (DESIGN.md: objectives are agreed, not set)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from growth.domain.audit import audit_record, audited_change, snapshot
from growth.domain.text import without_nul
from growth.models import GrowthCycle, School, StaffMember, StrategicGoal, TrustPriority
from growth.reporting.progress import progress_refresh
from growth.security.access import roles_of
from objectives.grow import GROW_PLAN, LEADERSHIP_GOAL, LEADERSHIP_LINK_CHOICES
from objectives.models import (
    AREA_ORDER,
    LONG_TEXT_MAX,
    Area,
    ChecklistAnswer,
    ChecklistQuestion,
    DeadlineReminder,
    GrowthPlan,
    Objective,
    ObjectiveBankPhrase,
    ObjectiveStandard,
    PlanComment,
    PlanVersion,
    SchoolFocus,
)
from objectives.rules import plan_required
from objectives.selectors import (
    deadline_recipients,
    heads_by_school,
    overdue_in_trust,
    plan_page,
    school_focus_for,
    sorted_objectives,
)
from standards.models import Standard

AUTOSAVE_MAX_BYTES = 64_000
OBJECTIVE_FIELDS = [
    "to_text",
    "through",
    "in_order_to",
    "by_date",
    "success_criteria",
    "priority",
    "strategic_goal",
    "is_coaching_qualification",
]


def _require_owner(actor: StaffMember, plan: GrowthPlan) -> None:
    if actor.pk != plan.staff_member_id:
        raise PermissionDenied("Only the member of staff writes their own objectives.")


def _require_line_manager(actor: StaffMember, plan: GrowthPlan) -> None:
    if plan.staff_member.line_manager_id != actor.pk:
        raise PermissionDenied("Only the line manager agrees objectives.")


def _notify(*, trust_id: int, to: list[str], subject: str, body: str) -> None:
    from growth.tasks import send_email

    to = [t for t in to if t]
    if to:
        transaction.on_commit(
            lambda: send_email.delay(trust_id=trust_id, to=to, subject=subject, body=body)
        )


def _plan_url(plan: GrowthPlan) -> str:
    from django.conf import settings

    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + reverse("objectives:plan", kwargs={"public_id": plan.public_id})


# --- Starting a plan -----------------------------------------------------------------------


@transaction.atomic
def plan_start(*, actor: StaffMember, staff: StaffMember, cycle: GrowthCycle) -> GrowthPlan:
    """The person's plan for the cycle, created with its three objectives (one per area) the
    first time. The Impact on Trust objective starts from the school's focus, if one is set."""
    if cycle.trust_id != staff.trust_id:
        raise ValidationError("That cycle belongs to another trust.")
    existing = GrowthPlan.objects.for_trust(staff.trust_id).filter(staff_member=staff, cycle=cycle)
    plan = existing.first()
    if plan is not None:
        return plan
    _require_owner(actor, GrowthPlan(staff_member=staff))
    if not plan_required(staff):
        raise ValidationError(
            "Early career teachers do not write objectives in this trust: they follow "
            "their own programme of support."
        )
    plan = GrowthPlan(trust_id=staff.trust_id, staff_member=staff, cycle=cycle)
    plan.full_clean()
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        # Two tabs started the plan at once: the other one won, use it.
        return existing.get()
    focus = school_focus_for(school_id=staff.school_id, cycle=cycle)
    for area in AREA_ORDER:
        objective = Objective(trust_id=plan.trust_id, plan=plan, area=area)
        if area == Area.TRUST and focus is not None:
            objective.priority_id = focus.goal.priority_id
            objective.strategic_goal = focus.goal
        objective.full_clean()
        objective.save()
    audit_record(
        trust=plan.trust_id,
        actor=actor,
        action="plan.start",
        obj=plan,
        subject=staff,
        after=snapshot(plan),
    )
    progress_refresh(people=[staff], cycle=cycle)
    return plan


# --- Writing -------------------------------------------------------------------------------


def _open_for_editing(plan: GrowthPlan) -> None:
    """Staff may edit a draft, or a plan sent back with changes requested. An agreed plan stays
    a live document: editing it opens the next version, agreed again. While the line manager
    holds a submitted plan it is locked, so they agree what they read."""
    if plan.state == GrowthPlan.State.SUBMITTED:
        raise ValidationError(
            "Your plan is with your line manager for agreement. Withdraw the submission to edit it."
        )
    if plan.state == GrowthPlan.State.AGREED:
        plan.version += 1
        plan.state = GrowthPlan.State.DRAFT
        plan.save(update_fields=["version", "state", "updated_at"])
        progress_refresh(people=[plan.staff_member], cycle=plan.cycle)


def _clean_phrases(values: list[str]) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


@transaction.atomic
def objective_update(
    *,
    actor: StaffMember,
    objective: Objective,
    to_text: str,
    through: list[str],
    in_order_to: list[str],
    by_date: dt.date | None,
    success_criteria: str,
    priority: TrustPriority | None,
    strategic_goal: StrategicGoal | None = None,
    is_coaching_qualification: bool = False,
    checklist: dict[int, bool | None] | None = None,
    standards: list[Standard] | None = None,
) -> Objective:
    """Save one objective as its owner wrote it. ``checklist`` maps question ids to answers;
    ``standards`` (None: leave as they are) are the standards it develops."""
    plan = (
        GrowthPlan.objects.for_trust(objective.trust_id)
        .select_for_update()
        .get(pk=objective.plan_id)
    )
    _require_owner(actor, plan)
    before = snapshot(objective)
    objective.plan = plan
    objective.to_text = to_text.strip()
    objective.through = _clean_phrases(through)
    objective.in_order_to = _clean_phrases(in_order_to)
    objective.by_date = by_date
    objective.success_criteria = success_criteria.strip()
    objective.priority = priority
    objective.strategic_goal = strategic_goal
    objective.is_coaching_qualification = is_coaching_qualification
    objective.full_clean()
    checklist = _checklist_changes(objective, checklist or {})
    current_standards = set(
        ObjectiveStandard.objects.for_trust(objective.trust_id)
        .filter(objective=objective)
        .values_list("standard_id", flat=True)
    )
    if standards is not None:
        for standard in standards:
            if standard.trust_id not in (None, objective.trust_id):
                raise ValidationError({"standards": "Choose standards of your own trust."})
    standards_changed = standards is not None and {s.pk for s in standards} != current_standards
    if before == snapshot(objective) and not checklist and not standards_changed:
        return objective
    _open_for_editing(plan)
    objective.autosave = {}
    objective.autosaved_at = None
    objective.save()
    if checklist:
        _save_checklist(objective=objective, checklist=checklist)
    if standards_changed:
        links = ObjectiveStandard.objects.for_trust(objective.trust_id).filter(objective=objective)
        links.exclude(standard__in=standards).delete()
        for standard in standards:
            if standard.pk not in current_standards:
                link = ObjectiveStandard(
                    trust_id=objective.trust_id, objective=objective, standard=standard
                )
                link.full_clean()
                link.save()
    audit_record(
        trust=objective.trust_id,
        actor=actor,
        action="objective.update",
        obj=objective,
        subject=plan.staff_member,
        before=before,
        after=snapshot(objective),
    )
    return objective


def _checklist_changes(objective: Objective, checklist: dict[int, bool | None]) -> dict:
    current = {
        a.question_id: a.answer
        for a in ChecklistAnswer.objects.for_trust(objective.trust_id).filter(objective=objective)
    }
    return {q: a for q, a in checklist.items() if current.get(q) != a}


def _save_checklist(*, objective: Objective, checklist: dict[int, bool | None]) -> None:
    category = objective.plan.staff_member.category
    valid = {
        q.pk
        for q in ChecklistQuestion.objects.for_trust(objective.trust_id).filter(area=objective.area)
        if q.shown_to(category)
    }
    for question_id, answer in checklist.items():
        if question_id not in valid:
            raise ValidationError("That checklist question is not one of this area's.")
        ChecklistAnswer.objects.for_trust(objective.trust_id).update_or_create(
            trust_id=objective.trust_id,
            objective=objective,
            question_id=question_id,
            defaults={"answer": answer},
        )


def _clear_grow_autosave(plan: GrowthPlan) -> None:
    plan.grow_autosave = {}
    plan.grow_autosaved_at = None
    plan.save(update_fields=["grow_autosave", "grow_autosaved_at", "updated_at"])


def _checked_draft(data: dict[str, Any]) -> dict[str, Any]:
    """A draft as typed, minus what PostgreSQL cannot store, refused when it is too big."""
    data = without_nul(data)
    if len(json.dumps(data).encode()) > AUTOSAVE_MAX_BYTES:
        raise ValidationError(
            "That is too much text to save as a draft; shorten the longest field."
        )
    return data


@transaction.atomic
def plan_grow_autosave(*, actor: StaffMember, plan: GrowthPlan, data: dict[str, Any]) -> None:
    """Keep what the person has typed on the GROW page so far, unvalidated, so nothing is
    lost if the page closes. Not a save: the plan's notes and version are untouched."""
    _require_owner(actor, plan)
    plan.grow_autosave = _checked_draft(data)
    plan.grow_autosaved_at = timezone.now()
    plan.save(update_fields=["grow_autosave", "grow_autosaved_at", "updated_at"])


@transaction.atomic
def objective_autosave(*, actor: StaffMember, objective: Objective, data: dict[str, Any]) -> None:
    """Keep what the person has typed so far, unvalidated, so nothing is lost if the page
    closes or a save fails validation. It is only a draft of the form: a real save clears it."""
    plan = objective.plan
    _require_owner(actor, plan)
    objective.autosave = _checked_draft(data)
    objective.autosaved_at = timezone.now()
    objective.save(update_fields=["autosave", "autosaved_at", "updated_at"])


@transaction.atomic
def plan_grow_update(
    *,
    actor: StaffMember,
    plan: GrowthPlan,
    grow_notes: dict[str, str],
    leadership_goal: dict[str, str],
) -> GrowthPlan:
    """Save the optional GROW notes and the leadership goal."""
    plan = GrowthPlan.objects.for_trust(plan.trust_id).select_for_update().get(pk=plan.pk)
    _require_owner(actor, plan)
    grow_keys = {p.key for p in GROW_PLAN}
    leadership_keys = {p.key for p in LEADERSHIP_GOAL} | {"link_to"}
    errors: dict[str, str] = {}
    for name, value, keys in (
        ("grow_notes", grow_notes, grow_keys),
        ("leadership_goal", leadership_goal, leadership_keys),
    ):
        if set(value) - keys:
            errors[name] = "Unknown prompt."
        elif any(len(str(v)) > LONG_TEXT_MAX for v in value.values()):
            errors[name] = f"Each answer can be at most {LONG_TEXT_MAX} characters."
    if leadership_goal.get("link_to", "") not in {c for c, _ in LEADERSHIP_LINK_CHOICES}:
        errors["leadership_goal"] = "Choose a department or whole-school priority."
    if errors:
        raise ValidationError(errors)
    grow_notes = {k: str(v).strip() for k, v in grow_notes.items() if str(v).strip()}
    leadership_goal = {k: str(v).strip() for k, v in leadership_goal.items() if str(v).strip()}
    if grow_notes == plan.grow_notes and leadership_goal == plan.leadership_goal:
        if plan.grow_autosave:
            _clear_grow_autosave(plan)
        return plan
    before = snapshot(plan, ["grow_notes", "leadership_goal", "state", "version"])
    _open_for_editing(plan)
    plan.grow_notes = grow_notes
    plan.leadership_goal = leadership_goal
    plan.grow_autosave = {}
    plan.grow_autosaved_at = None
    plan.save(
        update_fields=[
            "grow_notes",
            "leadership_goal",
            "grow_autosave",
            "grow_autosaved_at",
            "updated_at",
        ]
    )
    audit_record(
        trust=plan.trust_id,
        actor=actor,
        action="plan.grow_update",
        obj=plan,
        subject=plan.staff_member,
        before=before,
        after=snapshot(plan, ["grow_notes", "leadership_goal", "state", "version"]),
    )
    return plan


# --- Agreement -----------------------------------------------------------------------------


# What a plan's audit rows show of its agreement.
PLAN_STATE_FIELDS = ["state", "version", "agreed_version"]


def plan_snapshot(plan: GrowthPlan) -> dict[str, Any]:
    return {
        "objectives": [o.as_snapshot() for o in sorted_objectives(plan)],
        "grow_notes": dict(plan.grow_notes),
        "leadership_goal": dict(plan.leadership_goal),
    }


@transaction.atomic
def plan_submit(*, actor: StaffMember, plan: GrowthPlan) -> PlanVersion:
    """Send the plan to the line manager. Refused while any check fails; the error lists them."""
    plan = GrowthPlan.objects.for_trust(plan.trust_id).select_for_update().get(pk=plan.pk)
    _require_owner(actor, plan)
    if plan.state not in (GrowthPlan.State.DRAFT, GrowthPlan.State.CHANGES_REQUESTED):
        raise ValidationError("This plan is not a draft: there is nothing to submit.")
    if plan.staff_member.line_manager_id is None:
        raise ValidationError(
            "You have no line manager to agree your plan. Ask your trust admin to set one."
        )
    page = plan_page(plan)
    if page.failing:
        raise ValidationError([f"{c.heading} {c.why}".strip() for c in page.failing])
    now = timezone.now()
    version, _ = PlanVersion.objects.for_trust(plan.trust_id).update_or_create(
        trust_id=plan.trust_id,
        plan=plan,
        number=plan.version,
        defaults={
            "state": PlanVersion.State.SUBMITTED,
            "snapshot": plan_snapshot(page.plan),
            "submitted_by": actor,
            "submitted_at": now,
        },
    )
    audited_change(
        plan,
        actor=actor,
        action="plan.submit",
        subject=plan.staff_member,
        changes={"state": GrowthPlan.State.SUBMITTED, "submitted_at": now},
        fields=PLAN_STATE_FIELDS,
    )
    manager = page.plan.staff_member.line_manager
    _notify(
        trust_id=plan.trust_id,
        to=[manager.email],
        subject=f"{plan.staff_member.full_name} has submitted their growth plan",
        body=(
            f"{plan.staff_member.full_name} has submitted version {plan.version} of their "
            f"growth plan for {plan.cycle.name} for you to agree.\n\n{_plan_url(plan)}\n"
        ),
    )
    progress_refresh(people=[plan.staff_member], cycle=plan.cycle)
    return version


@transaction.atomic
def plan_withdraw(*, actor: StaffMember, plan: GrowthPlan) -> GrowthPlan:
    plan = GrowthPlan.objects.for_trust(plan.trust_id).select_for_update().get(pk=plan.pk)
    _require_owner(actor, plan)
    if plan.state != GrowthPlan.State.SUBMITTED:
        raise ValidationError("Only a submitted plan can be withdrawn.")
    PlanVersion.objects.for_trust(plan.trust_id).filter(plan=plan, number=plan.version).update(
        state=PlanVersion.State.WITHDRAWN
    )
    plan.state = GrowthPlan.State.DRAFT
    plan.save(update_fields=["state", "updated_at"])
    audit_record(
        trust=plan.trust_id,
        actor=actor,
        action="plan.withdraw",
        obj=plan,
        subject=plan.staff_member,
    )
    progress_refresh(people=[plan.staff_member], cycle=plan.cycle)
    return plan


def _clean_comment(comment: str, *, required: bool) -> str:
    comment = comment.strip()
    if required and not comment:
        raise ValidationError({"comment": "Say what you would like changed."})
    if len(comment) > LONG_TEXT_MAX:
        raise ValidationError(
            {
                "comment": f"The comment can be at most {LONG_TEXT_MAX} characters "
                f"(it has {len(comment)})."
            }
        )
    return comment


@transaction.atomic
def plan_request_changes(*, actor: StaffMember, plan: GrowthPlan, comment: str) -> PlanComment:
    plan = GrowthPlan.objects.for_trust(plan.trust_id).select_for_update().get(pk=plan.pk)
    _require_line_manager(actor, plan)
    comment = _clean_comment(comment, required=True)
    if plan.state != GrowthPlan.State.SUBMITTED:
        raise ValidationError("Only a submitted plan can be sent back with changes.")
    PlanVersion.objects.for_trust(plan.trust_id).filter(plan=plan, number=plan.version).update(
        state=PlanVersion.State.CHANGES_REQUESTED
    )
    plan.state = GrowthPlan.State.CHANGES_REQUESTED
    plan.save(update_fields=["state", "updated_at"])
    row = PlanComment(
        trust_id=plan.trust_id,
        plan=plan,
        version_number=plan.version,
        author=actor,
        kind=PlanComment.Kind.CHANGE_REQUEST,
        text=comment,
    )
    row.full_clean()
    row.save()
    audit_record(
        trust=plan.trust_id,
        actor=actor,
        action="plan.request_changes",
        obj=plan,
        subject=plan.staff_member,
        after={"comment": comment, "version": plan.version},
    )
    _notify(
        trust_id=plan.trust_id,
        to=[plan.staff_member.email],
        subject="Your line manager has asked for changes to your growth plan",
        body=f"{actor.full_name} wrote:\n\n{comment}\n\n{_plan_url(plan)}\n",
    )
    progress_refresh(people=[plan.staff_member], cycle=plan.cycle)
    return row


@transaction.atomic
def plan_agree(*, actor: StaffMember, plan: GrowthPlan, comment: str = "") -> PlanVersion:
    plan = GrowthPlan.objects.for_trust(plan.trust_id).select_for_update().get(pk=plan.pk)
    _require_line_manager(actor, plan)
    comment = _clean_comment(comment, required=False)
    if plan.state != GrowthPlan.State.SUBMITTED:
        raise ValidationError("Only a submitted plan can be agreed.")
    now = timezone.now()
    version = PlanVersion.objects.for_trust(plan.trust_id).get(plan=plan, number=plan.version)
    version.state = PlanVersion.State.AGREED
    version.agreed_by = actor
    version.agreed_at = now
    version.save(update_fields=["state", "agreed_by", "agreed_at", "updated_at"])
    audited_change(
        plan,
        actor=actor,
        action="plan.agree",
        subject=plan.staff_member,
        changes={
            "state": GrowthPlan.State.AGREED,
            "agreed_by": actor,
            "agreed_at": now,
            "agreed_version": plan.version,
        },
        fields=PLAN_STATE_FIELDS,
    )
    PlanComment.objects.for_trust(plan.trust_id).create(
        trust_id=plan.trust_id,
        plan=plan,
        version_number=plan.version,
        author=actor,
        kind=PlanComment.Kind.AGREEMENT,
        text=comment,
    )
    _notify(
        trust_id=plan.trust_id,
        to=[plan.staff_member.email],
        subject="Your growth plan has been agreed",
        body=f"{actor.full_name} agreed version {plan.version} of your growth plan for "
        f"{plan.cycle.name}.\n\n{_plan_url(plan)}\n",
    )
    progress_refresh(people=[plan.staff_member], cycle=plan.cycle)
    return version


# --- School focus --------------------------------------------------------------------------


@transaction.atomic
def school_focus_set(
    *,
    actor: StaffMember,
    school: School,
    cycle: GrowthCycle,
    goal: StrategicGoal | None = None,
    priority: TrustPriority | None = None,
    title: str = "",
    description: str = "",
) -> SchoolFocus:
    """The headteacher sets the one strategic goal the school turns into Impact on Trust
    objectives: an existing goal, or a new one under a trust priority. Draft Trust objectives
    with no priority yet take it; nobody's written objective is overwritten."""
    if school.pk not in roles_of(actor).headteacher_of:
        raise PermissionDenied("Only the school's headteacher sets its focus.")
    if goal is None:
        if priority is None:
            raise ValidationError({"priority": "Choose the trust priority the goal sits under."})
        title = title.strip()
        if not title:
            raise ValidationError({"title": "Give the goal a title."})
        goal = StrategicGoal(
            trust_id=school.trust_id,
            priority=priority,
            title=title,
            description=description.strip(),
            school=school,
            cycle=cycle,
        )
        goal.full_clean()
        goal.save()
    for thing, name in ((goal, "goal"), (cycle, "cycle")):
        if thing.trust_id != school.trust_id:
            raise ValidationError({name: "That belongs to another trust."})
    if goal.school_id not in (None, school.pk):
        raise ValidationError({"goal": "That goal belongs to another school."})
    focus = (
        SchoolFocus.objects.for_trust(school.trust_id).filter(school=school, cycle=cycle).first()
    )
    before = snapshot(focus) if focus else None
    if focus is None:
        focus = SchoolFocus(trust_id=school.trust_id, school=school, cycle=cycle)
    focus.goal = goal
    focus.set_by = actor
    focus.full_clean()
    focus.save()
    Objective.objects.for_trust(school.trust_id).filter(
        area=Area.TRUST,
        plan__cycle=cycle,
        plan__staff_member__school=school,
        plan__state=GrowthPlan.State.DRAFT,
        plan__agreed_version__isnull=True,
        priority__isnull=True,
    ).update(priority=goal.priority_id, strategic_goal=goal, updated_at=timezone.now())
    audit_record(
        trust=school.trust_id,
        actor=actor,
        action="school_focus.set",
        obj=focus,
        before=before,
        after=snapshot(focus),
    )
    return focus


# --- The bank, per trust -------------------------------------------------------------------


def _require_trust_admin(actor: StaffMember) -> None:
    if not roles_of(actor).trust_admin:
        raise PermissionDenied("Only a trust admin edits the objectives bank.")


@transaction.atomic
def bank_phrase_add(*, actor: StaffMember, kind: str, area: str, text: str) -> ObjectiveBankPhrase:
    _require_trust_admin(actor)
    phrase = ObjectiveBankPhrase(
        trust_id=actor.trust_id,
        key=f"own-{timezone.now():%Y%m%d%H%M%S%f}",
        kind=kind,
        area=area if kind == ObjectiveBankPhrase.Kind.IMPACT else "",
        text=text.strip(),
        order=999,
    )
    phrase.full_clean()
    phrase.save()
    audit_record(
        trust=actor.trust_id, actor=actor, action="bank.add", obj=phrase, after=snapshot(phrase)
    )
    return phrase


@transaction.atomic
def bank_phrase_edit(
    *, actor: StaffMember, phrase: ObjectiveBankPhrase, text: str | None = None, hidden: bool
) -> ObjectiveBankPhrase:
    """Edit or hide a phrase for the actor's trust. A shared phrase is never changed: the
    trust gets its own row that replaces it."""
    _require_trust_admin(actor)
    if phrase.trust_id not in (None, actor.trust_id):
        raise PermissionDenied("That phrase belongs to another trust.")
    if phrase.trust_id is None:
        own = (
            ObjectiveBankPhrase.objects.for_trust(actor.trust_id)
            .filter(trust_id=actor.trust_id, replaces=phrase)
            .first()
        )
        if own is None:
            own = ObjectiveBankPhrase(
                trust_id=actor.trust_id,
                key=f"{phrase.key[:70]}-own",
                kind=phrase.kind,
                area=phrase.area,
                text=phrase.text,
                order=phrase.order,
                replaces=phrase,
            )
        phrase = own
    before = snapshot(phrase) if phrase.pk else None
    if text is not None:
        phrase.text = text.strip()
    phrase.is_hidden = hidden
    phrase.full_clean()
    phrase.save()
    audit_record(
        trust=actor.trust_id,
        actor=actor,
        action="bank.edit",
        obj=phrase,
        before=before,
        after=snapshot(phrase),
    )
    return phrase


# --- Deadline reminders --------------------------------------------------------------------


def deadline_reminders_send(*, cycle: GrowthCycle, today: dt.date) -> int:
    """Tell each line manager and headteacher, once, whose plans are not agreed by the
    cycle's objectives deadline. The unique reminder row is written in the same transaction
    as the email is queued, so a rerun (or a second beat) never sends twice."""
    trust_id = cycle.trust_id
    sent = 0
    already = set(
        DeadlineReminder.objects.for_trust(trust_id)
        .filter(cycle=cycle)
        .values_list("staff_member_id", "recipient_id")
    )
    heads = heads_by_school(trust_id)
    for row in overdue_in_trust(cycle=cycle, today=today):
        for recipient in deadline_recipients(row.staff, heads=heads):
            if (row.staff.pk, recipient.pk) in already:
                continue
            try:
                with transaction.atomic():
                    DeadlineReminder.objects.for_trust(trust_id).create(
                        trust_id=trust_id,
                        cycle=cycle,
                        staff_member=row.staff,
                        recipient=recipient,
                    )
                    _notify(
                        trust_id=trust_id,
                        to=[recipient.email],
                        subject=f"Growth plan not agreed: {row.staff.full_name}",
                        body=(
                            f"{row.staff.full_name}'s growth plan for {cycle.name} was not "
                            "agreed by the deadline of "
                            f"{date_format(cycle.objectives_deadline)} "
                            f"(it is {row.state_label.lower()}).\n"
                        ),
                    )
            except IntegrityError:
                continue  # another run sent it first
            sent += 1
    return sent
