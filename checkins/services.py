"""Writes of the checkins app: keyword-only, atomic, validated and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkins.models import (
    Checkin,
    CheckinReflection,
    Evidence,
    FeedbackConversation,
    Observation,
    Recognition,
    ReminderPreference,
    ThinkingTool,
    new_feed_token,
)
from checkins.selectors import (
    expected_dates,
    term_of,
    unrequested_minutes_between,
    unrequested_minutes_in_term,
)
from growth.domain.audit import audit_record, audited_change, snapshot
from growth.domain.text import without_nul
from growth.models import GrowthCycle, StaffMember, Trust
from growth.reporting.progress import progress_refresh
from growth.security.uploads import KINDS, validate_upload
from objectives.models import Area, Objective
from objectives.selectors import objectives_of

# A sensible starting list; each trust edits its own in the admin. "Thinking Tools" and
# "Thinking Mastery" come from seed 002 (a Thinking Schools trust).
DEFAULT_THINKING_TOOLS = [
    "Thinking Maps",
    "Thinking Hats",
    "Habits of Mind",
    "Thinking Keys",
    "Philosophy for Children (P4C)",
    "Socratic questioning",
    "Visible Thinking Routines",
    "Coaching (GROW)",
]


def _objectives_by_area(*, staff: StaffMember, cycle: GrowthCycle) -> dict[str, Objective]:
    """The person's objective in each area (when they have written one)."""
    return {str(o.area): o for o in objectives_of(staff=staff, cycle=cycle)}


def _can_record(actor: StaffMember, staff: StaffMember) -> bool:
    return actor.pk == staff.pk or staff.line_manager_id == actor.pk


# --- Thinking tools ------------------------------------------------------------------------


@transaction.atomic
def thinking_tools_ensure_defaults(*, trust: Trust | int) -> int:
    """Give a trust the default list the first time it is needed; never re-adds tools a trust
    removed once it has any."""
    trust_id = trust if isinstance(trust, int) else trust.pk
    if ThinkingTool.objects.for_trust(trust_id).exists():
        return 0
    created = ThinkingTool.objects.for_trust(trust_id).bulk_create(
        [
            ThinkingTool(trust_id=trust_id, name=name, order=i)
            for i, name in enumerate(DEFAULT_THINKING_TOOLS)
        ],
        ignore_conflicts=True,
    )
    return len(created)


# --- Check-ins -----------------------------------------------------------------------------


def _save_slot(checkin: Checkin) -> None:
    """Save, turning a lost race for the same slot (two people saving the first record of
    one check-in at once) into a clear message instead of a server error."""
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"due_on": "This check-in was recorded by someone else a moment ago: reload it."}
        ) from exc


@dataclass
class CheckinData:
    held_on: dt.date
    reflections: dict[str, str] = field(default_factory=dict)  # area -> progress note
    next_step_by: str = ""
    next_step_i_am: str = ""
    next_step_so_that: str = ""
    recognised: list[StaffMember] = field(default_factory=list)
    thinking_tools: list[ThinkingTool] = field(default_factory=list)
    took_part_in_360: bool = False
    manager_comment: str | None = None  # None: leave unchanged


@transaction.atomic
def checkin_record(
    *,
    actor: StaffMember,
    staff: StaffMember,
    cycle: GrowthCycle,
    data: CheckinData,
    due_on: dt.date | None = None,
    checkin: Checkin | None = None,
) -> Checkin:
    """Record (or correct) a held check-in, by the person or their line manager."""
    if not _can_record(actor, staff):
        raise PermissionDenied("Only the person or their line manager records a check-in.")
    if (
        data.manager_comment is not None
        and actor.pk != staff.line_manager_id
        and (checkin is None or data.manager_comment != checkin.manager_comment)
    ):
        raise PermissionDenied("Only the line manager writes the manager's comment.")
    if checkin is None and due_on is not None:
        if due_on not in expected_dates(staff=staff, cycle=cycle):
            raise ValidationError({"due_on": "That is not one of the scheduled check-in dates."})
        checkin = (
            Checkin.objects.for_trust(staff.trust_id)
            .select_for_update()
            .filter(staff_member=staff, due_on=due_on)
            .first()
        )
    before = snapshot(checkin) if checkin else None
    if checkin is None:
        checkin = Checkin(trust_id=staff.trust_id, staff_member=staff, cycle=cycle, due_on=due_on)
    unknown = set(data.reflections) - set(Area.values)
    if unknown:
        raise ValidationError({"reflections": f"Unknown objective area: {', '.join(unknown)}."})
    colleagues = [c for c in data.recognised if c.pk != staff.pk]
    for colleague in colleagues:
        if colleague.trust_id != staff.trust_id:
            raise ValidationError({"recognised": "Recognise colleagues of your own trust."})
    for tool in data.thinking_tools:
        if tool.trust_id != staff.trust_id:
            raise ValidationError({"thinking_tools": "Unknown thinking tool."})
    checkin.status = Checkin.Status.HELD
    checkin.held_on = data.held_on
    checkin.moved_to = checkin.moved_to if checkin.pk else None
    checkin.next_step_by = data.next_step_by.strip()
    checkin.next_step_i_am = data.next_step_i_am.strip()
    checkin.next_step_so_that = data.next_step_so_that.strip()
    checkin.took_part_in_360 = data.took_part_in_360
    if data.manager_comment is not None:
        checkin.manager_comment = data.manager_comment.strip()
    checkin.recorded_by = actor
    checkin.full_clean(exclude=["recognised", "thinking_tools", "trust"])
    _save_slot(checkin)

    objectives = _objectives_by_area(staff=staff, cycle=cycle)
    existing = {
        r.area: r
        for r in CheckinReflection.objects.for_trust(staff.trust_id).filter(checkin=checkin)
    }
    for area in Area.values:
        note = (data.reflections.get(area) or "").strip()
        reflection = existing.get(area)
        if not note:
            if reflection is not None and not reflection.evidence.exists():
                reflection.delete()
            continue
        objective = objectives.get(area)
        if reflection is None:
            reflection = CheckinReflection(trust_id=staff.trust_id, checkin=checkin, area=area)
        reflection.progress_note = note
        reflection.objective = objective
        reflection.full_clean()
        reflection.save()

    Recognition.objects.for_trust(staff.trust_id).filter(checkin=checkin).exclude(
        colleague__in=colleagues
    ).delete()
    have = set(
        Recognition.objects.for_trust(staff.trust_id)
        .filter(checkin=checkin)
        .values_list("colleague_id", flat=True)
    )
    Recognition.objects.for_trust(staff.trust_id).bulk_create(
        [
            Recognition(trust_id=staff.trust_id, checkin=checkin, colleague=c)
            for c in colleagues
            if c.pk not in have
        ]
    )
    checkin.thinking_tools.set(data.thinking_tools)
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="checkin.record",
        obj=checkin,
        subject=staff,
        before=before,
        after={
            **snapshot(checkin),
            "reflections": sorted(a for a, n in data.reflections.items() if n.strip()),
            "recognised": sorted(c.pk for c in colleagues),
            "thinking_tools": sorted(t.pk for t in data.thinking_tools),
        },
    )
    progress_refresh(people=[staff], cycle=cycle)
    return checkin


@transaction.atomic
def checkin_excuse(
    *,
    actor: StaffMember,
    staff: StaffMember,
    cycle: GrowthCycle,
    due_on: dt.date,
    status: str,
    reason: str,
    moved_to: dt.date | None = None,
) -> Checkin:
    """Mark a scheduled check-in missed, moved or cancelled, with a reason."""
    if not _can_record(actor, staff):
        raise PermissionDenied("Only the person or their line manager changes a check-in.")
    if status not in (Checkin.Status.MISSED, Checkin.Status.MOVED, Checkin.Status.CANCELLED):
        raise ValidationError({"status": "Choose missed, moved or cancelled."})
    if due_on not in expected_dates(staff=staff, cycle=cycle):
        raise ValidationError({"due_on": "That is not one of the scheduled check-in dates."})
    checkin = (
        Checkin.objects.for_trust(staff.trust_id)
        .select_for_update()
        .filter(staff_member=staff, due_on=due_on)
        .first()
    )
    if checkin is not None and checkin.status == Checkin.Status.HELD:
        raise ValidationError({"status": "This check-in was held; it cannot be excused now."})
    if status == Checkin.Status.MOVED and moved_to and not cycle.contains(moved_to):
        raise ValidationError({"moved_to": "The new date is outside the growth cycle."})
    if checkin is None:
        checkin = Checkin(trust_id=staff.trust_id, staff_member=staff, cycle=cycle, due_on=due_on)
    audited_change(
        checkin,
        actor=actor,
        action=f"checkin.{status}",
        subject=staff,
        changes={
            "status": status,
            "reason": reason.strip(),
            "moved_to": moved_to if status == Checkin.Status.MOVED else None,
            "held_on": None,
            "recorded_by": actor,
        },
        validate=lambda c: c.full_clean(exclude=["recognised", "thinking_tools", "trust"]),
        save=_save_slot,
        always=True,
    )
    progress_refresh(people=[staff], cycle=cycle)
    return checkin


EVIDENCE_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx", "pptx", "txt")


def evidence_max_bytes() -> int:
    return getattr(settings, "CHECKINS_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The evidence file's name and media type, once growth.security.uploads (the one validation of
    every upload) has accepted it."""
    try:
        kind = validate_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=evidence_max_bytes())
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    name = (upload.name or "").rsplit("/", 1)[-1]
    return name[:200], KINDS[kind].content_type


@transaction.atomic
def evidence_add(
    *,
    actor: StaffMember,
    reflection: CheckinReflection,
    url: str = "",
    upload: UploadedFile | None = None,
    title: str = "",
) -> Evidence:
    """Attach a link or a file to the objective a check-in reflected on."""
    staff = reflection.checkin.staff_member
    if not _can_record(actor, staff):
        raise PermissionDenied("Only the person or their line manager adds evidence.")
    if bool(url) == bool(upload):
        raise ValidationError({"url": "Give either a link or a file."})
    evidence = Evidence(trust_id=staff.trust_id, reflection=reflection, title=title.strip())
    if upload is not None:
        evidence.original_name, evidence.content_type = _check_upload(upload)
        evidence.size = upload.size or 0
        evidence.file.save(evidence.original_name, upload, save=False)
        # A failed write must not leave an orphan file behind.
        stored_name, storage = evidence.file.name, evidence.file.storage
        try:
            evidence.full_clean()
            evidence.save()
        except Exception:
            storage.delete(stored_name)
            raise
    else:
        evidence.url = url.strip()
        evidence.full_clean()
        evidence.save()
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="checkin.evidence_add",
        obj=evidence,
        subject=staff,
        after=snapshot(evidence),
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor: StaffMember, evidence: Evidence) -> None:
    staff = evidence.reflection.checkin.staff_member
    if not _can_record(actor, staff):
        raise PermissionDenied("Only the person or their line manager removes evidence.")
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="checkin.evidence_remove",
        obj=evidence,
        subject=staff,
        before=snapshot(evidence),
    )
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Reminder preferences and the calendar feed -------------------------------------------


@transaction.atomic
def reminder_preference_get(*, staff: StaffMember) -> ReminderPreference:
    pref, _ = ReminderPreference.objects.for_trust(staff.trust_id).get_or_create(
        trust_id=staff.trust_id, staff_member=staff
    )
    return pref


@transaction.atomic
def reminder_preference_set_digest(
    *, actor: StaffMember, staff: StaffMember, weekly_digest: bool
) -> ReminderPreference:
    if actor.pk != staff.pk:
        raise PermissionDenied("Only you choose how you are reminded.")
    pref = reminder_preference_get(staff=staff)
    audited_change(
        pref,
        actor=actor,
        action="checkin.reminder_digest",
        subject=staff,
        changes={"weekly_digest": weekly_digest},
        fields=["weekly_digest"],
        always=True,
    )
    return pref


@transaction.atomic
def calendar_feed_revoke(*, actor: StaffMember, staff: StaffMember) -> ReminderPreference:
    """Replace the feed token: the old URL stops working at once (404)."""
    if actor.pk != staff.pk:
        raise PermissionDenied("Only you can reset your calendar link.")
    pref = reminder_preference_get(staff=staff)
    pref.feed_token = new_feed_token()
    pref.save(update_fields=["feed_token", "updated_at"])
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="checkin.calendar_feed_revoke",
        obj=pref,
        subject=staff,
    )
    return pref


# --- Observations --------------------------------------------------------------------------


def _check_observation_limit(observation: Observation) -> None:
    if not observation.counts_towards_limit:
        return
    trust = Trust.objects.get(pk=observation.trust_id)
    term = term_of(cycle=observation.cycle, day=observation.date)
    if term is None:
        raise ValidationError(
            {"date": "Observations take place in term time: this date is in a holiday."}
        )
    peer_visits_count = trust.peer_visits_use_observation_minutes
    if observation.purpose == Observation.Purpose.LEARN and not peer_visits_count:
        return  # the visitor's learning: the host's minutes are untouched (seed 004)
    # The year's cap: the trust's minutes a term times its terms a year (seed 002: 30 x 6).
    yearly = trust.observation_minutes_per_term * trust.observation_terms_per_year
    used_in_year = unrequested_minutes_between(
        observee=observation.observee,
        start=observation.cycle.start_date,
        end=observation.cycle.end_date,
        exclude_id=observation.pk,
        peer_visits_count=peer_visits_count,
    )
    if used_in_year + observation.minutes > yearly:
        raise ValidationError(
            {
                "minutes": (
                    f"{observation.observee.full_name} has {max(yearly - used_in_year, 0)} of "
                    f"the {yearly} minutes of observation a year left ("
                    f"{trust.observation_minutes_per_term} a term over "
                    f"{trust.observation_terms_per_year} terms). More can happen only if they "
                    "ask for it."
                )
            }
        )
    used = unrequested_minutes_in_term(
        observee=observation.observee,
        term=term,
        exclude_id=observation.pk,
        peer_visits_count=peer_visits_count,
    )
    limit = trust.observation_minutes_per_term
    if used + observation.minutes > limit:
        left = max(limit - used, 0)
        raise ValidationError(
            {
                "minutes": (
                    f"{observation.observee.full_name} has {left} of the {limit} minutes of "
                    f"observation a term left in {term.name}. More can happen only if they "
                    "ask for it."
                )
            }
        )


def _validate_observation(observation: Observation) -> None:
    if observation.observee.trust_id != observation.trust_id or (
        observation.observer.trust_id != observation.trust_id
    ):
        raise ValidationError({"observer": "Both people must belong to the trust."})
    if observation.observee_id == observation.observer_id:
        raise ValidationError({"observer": "Nobody observes themselves."})
    if not observation.cycle.contains(observation.date):
        raise ValidationError({"date": "This date is outside the growth cycle."})
    observation.full_clean()
    _check_observation_limit(observation)


@transaction.atomic
def observation_create(
    *,
    actor: StaffMember,
    cycle: GrowthCycle,
    observee: StaffMember,
    observer: StaffMember,
    date: dt.date,
    minutes: int,
    purpose: str,
    focus_area: str,
    focus_note: str = "",
    requested_by_observee: bool = False,
) -> Observation:
    """Arrange an observation. The observee chooses timing and focus: arranged by anyone
    else it is only a proposal until the observee agrees it."""
    # Serialise the per-term limit check for one observee.
    StaffMember.objects.for_trust(observee.trust_id).select_for_update().get(pk=observee.pk)
    if actor.pk not in (observee.pk, observer.pk, observee.line_manager_id):
        raise PermissionDenied("Only the observee, the observer or the line manager arranges it.")
    if requested_by_observee and actor.pk != observee.pk:
        raise ValidationError(
            {"requested_by_observee": "Only the observee can ask for an extra observation."}
        )
    by_observee = actor.pk == observee.pk
    objective = _objectives_by_area(staff=observee, cycle=cycle).get(focus_area)
    observation = Observation(
        trust_id=observee.trust_id,
        cycle=cycle,
        observee=observee,
        observer=observer,
        date=date,
        minutes=minutes,
        purpose=purpose,
        focus_area=focus_area,
        focus_objective=objective,
        focus_note=focus_note.strip(),
        requested_by_observee=requested_by_observee,
        status=Observation.Status.AGREED if by_observee else Observation.Status.PROPOSED,
        created_by=actor,
    )
    _validate_observation(observation)
    observation.save()
    audit_record(
        trust=observee.trust_id,
        actor=actor,
        action="observation.create",
        obj=observation,
        subject=observee,
        after=snapshot(observation),
    )
    progress_refresh(people=[observee], cycle=cycle)
    return observation


@transaction.atomic
def observation_agree(
    *,
    actor: StaffMember,
    observation: Observation,
    date: dt.date,
    focus_area: str,
    focus_note: str = "",
) -> Observation:
    """The observee agrees a proposed observation, choosing its timing and focus."""
    StaffMember.objects.for_trust(observation.trust_id).select_for_update().get(
        pk=observation.observee_id
    )
    if actor.pk != observation.observee_id:
        raise PermissionDenied("Only the observee agrees the timing and focus.")
    if observation.status not in (Observation.Status.PROPOSED, Observation.Status.AGREED):
        raise ValidationError({"status": "This observation can no longer be changed."})
    objective = _objectives_by_area(staff=observation.observee, cycle=observation.cycle).get(
        focus_area
    )
    audited_change(
        observation,
        actor=actor,
        action="observation.agree",
        subject=observation.observee,
        changes={
            "date": date,
            "focus_area": focus_area,
            "focus_note": focus_note.strip(),
            "focus_objective": objective,
            "status": Observation.Status.AGREED,
        },
        validate=_validate_observation,
        always=True,
    )
    progress_refresh(people=[observation.observee], cycle=observation.cycle)
    return observation


@transaction.atomic
def observation_complete(
    *, actor: StaffMember, observation: Observation, notes: str
) -> Observation:
    """The observer records what was seen (information, not a judgement)."""
    if actor.pk != observation.observer_id:
        raise PermissionDenied("Only the observer records the notes.")
    if observation.status != Observation.Status.AGREED:
        raise ValidationError({"status": "The observee has not agreed this observation yet."})
    audited_change(
        observation,
        actor=actor,
        action="observation.complete",
        subject=observation.observee,
        changes={"notes": notes.strip(), "status": Observation.Status.DONE},
    )
    progress_refresh(people=[observation.observee], cycle=observation.cycle)
    return observation


@transaction.atomic
def observation_cancel(*, actor: StaffMember, observation: Observation) -> Observation:
    if actor.pk not in (observation.observee_id, observation.observer_id):
        raise PermissionDenied("Only the observee or the observer cancels it.")
    if observation.status == Observation.Status.DONE:
        raise ValidationError({"status": "A completed observation cannot be cancelled."})
    audited_change(
        observation,
        actor=actor,
        action="observation.cancel",
        subject=observation.observee,
        changes={"status": Observation.Status.CANCELLED},
    )
    progress_refresh(people=[observation.observee], cycle=observation.cycle)
    return observation


# --- Feedback conversations ----------------------------------------------------------------


@dataclass
class FeedbackData:
    held_on: dt.date
    praise: str
    probing_question: str
    next_action_step: str
    support_level: int
    plan_ahead: str
    timeline: dt.date
    lock_in_i_am: str
    lock_in_so_that: str
    previous: FeedbackConversation | None = None
    observation: Observation | None = None


@transaction.atomic
def feedback_create(
    *, actor: StaffMember, staff: StaffMember, data: FeedbackData
) -> FeedbackConversation:
    """The coach records a feedback conversation; it is locked in once both confirm it."""
    if actor.pk == staff.pk or actor.trust_id != staff.trust_id:
        raise PermissionDenied("A feedback conversation is held with a colleague.")
    if data.previous is not None and data.previous.staff_member_id != staff.pk:
        raise ValidationError({"previous": "Link praise to one of this colleague's action steps."})
    if data.observation is not None and data.observation.observee_id != staff.pk:
        raise ValidationError({"observation": "That observation was of someone else."})
    conversation = FeedbackConversation(
        trust_id=staff.trust_id,
        staff_member=staff,
        coach=actor,
        observation=data.observation,
        previous=data.previous,
        held_on=data.held_on,
        praise=data.praise.strip(),
        probing_question=data.probing_question.strip(),
        next_action_step=data.next_action_step.strip(),
        support_level=data.support_level,
        plan_ahead=data.plan_ahead.strip(),
        timeline=data.timeline,
        lock_in_i_am=data.lock_in_i_am.strip(),
        lock_in_so_that=data.lock_in_so_that.strip(),
        confirmed_by_coach_at=timezone.now(),
    )
    if data.timeline < data.held_on:
        raise ValidationError({"timeline": "The timeline ends before the conversation."})
    conversation.full_clean()
    conversation.save()
    audit_record(
        trust=staff.trust_id,
        actor=actor,
        action="feedback.create",
        obj=conversation,
        subject=staff,
        after=snapshot(conversation),
    )
    return conversation


@transaction.atomic
def feedback_confirm(
    *, actor: StaffMember, conversation: FeedbackConversation, summary: str = ""
) -> FeedbackConversation:
    """Lock it in: each side confirms the next step. The colleague does so by summarising the
    feedback and their next action in their own words (seed 004, appendix F)."""
    before = snapshot(conversation)
    now = timezone.now()
    if actor.pk == conversation.staff_member_id:
        summary = without_nul(summary).strip()
        if not summary and not conversation.colleague_summary:
            raise ValidationError(
                {
                    "colleague_summary": "Lock it in: summarise the feedback and the next "
                    "action you will take, in your own words."
                }
            )
        if len(summary) > 2000:
            raise ValidationError({"colleague_summary": "Keep the summary to 2,000 characters."})
        conversation.colleague_summary = summary or conversation.colleague_summary
        conversation.confirmed_by_colleague_at = conversation.confirmed_by_colleague_at or now
    elif actor.pk == conversation.coach_id:
        conversation.confirmed_by_coach_at = conversation.confirmed_by_coach_at or now
    else:
        raise PermissionDenied("Only the two people in the conversation confirm it.")
    conversation.save(
        update_fields=[
            "confirmed_by_colleague_at",
            "confirmed_by_coach_at",
            "colleague_summary",
            "updated_at",
        ]
    )
    audit_record(
        trust=conversation.trust_id,
        actor=actor,
        action="feedback.confirm",
        obj=conversation,
        subject=conversation.staff_member,
        before=before,
        after=snapshot(conversation),
    )
    return conversation
