"""Thin views: access helper → form → service → redirect/render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from checkins import selectors, services
from checkins.calendar import CheckinEntry, calendar_bytes
from checkins.forms import (
    CheckinForm,
    DigestForm,
    EvidenceForm,
    ExcuseForm,
    FeedbackForm,
    ObservationAgreeForm,
    ObservationCancelForm,
    ObservationForm,
    ObservationNotesForm,
)
from checkins.models import (
    Checkin,
    CheckinReflection,
    Evidence,
    FeedbackConversation,
    Observation,
    ReminderPreference,
)
from growth.domain.forms import service_result
from growth.domain.selectors import cycle_current
from growth.domain.text import LimitedForm
from growth.models import GrowthCycle, StaffMember
from growth.security.access import (
    Relation,
    access_staff_member,
    access_subject_object,
    get_in_trust_or_404,
    relations,
    require_staff,
    visible_staff,
)
from growth.security.rls import all_trusts
from growth.security.tenancy import trust_scope
from objectives.selectors import objectives_of

WRITERS = {Relation.SELF, Relation.LINE_MANAGER}


def _cycle(staff: StaffMember) -> GrowthCycle:
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        raise Http404("No growth cycle has been set up yet.")
    return cycle


def _due(
    request: HttpRequest, subject: StaffMember, cycle: GrowthCycle, *, required: bool
) -> dt.date | None:
    """The check-in date the address names (``?due=``): one of ``subject``'s scheduled dates,
    or None where none is named and none is ``required``. Anything else is a 404."""
    raw = request.GET.get("due") or request.POST.get("due")
    if not raw:
        if required:
            raise Http404("No such check-in date.")
        return None
    try:
        due_on = dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise Http404("No such check-in date.") from exc
    if due_on not in selectors.expected_dates(staff=subject, cycle=cycle):
        raise Http404("No such check-in date.")
    return due_on


def _form_status(request: HttpRequest) -> int:
    """A posted form drawn again is one the form or the service refused."""
    return 400 if request.method == "POST" else 200


def _colleagues(subject: StaffMember) -> Any:
    return (
        StaffMember.objects.for_trust(subject.trust_id)
        .filter(is_active=True, school_id=subject.school_id)
        .exclude(pk=subject.pk)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


def _objectives(staff: StaffMember, cycle: GrowthCycle) -> dict[str, Any]:
    return {str(o.area): o for o in objectives_of(staff=staff, cycle=cycle)}


def _tools(staff: StaffMember) -> Any:
    services.thinking_tools_ensure_defaults(trust=staff.trust_id)
    return selectors.thinking_tools(trust_id=staff.trust_id)


def _checkin_form(
    request: HttpRequest,
    subject: StaffMember,
    cycle: GrowthCycle,
    *,
    initial: dict[str, Any],
    is_manager: bool,
) -> CheckinForm:
    return CheckinForm(
        request.POST or None,
        initial=initial,
        colleagues=_colleagues(subject),
        tools=_tools(subject),
        is_manager=is_manager,
        objectives=_objectives(subject, cycle),
    )


# --- Check-ins -----------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    return redirect("checkins:person", public_id=staff.public_id)


@login_required
def person(request: HttpRequest, public_id: str) -> HttpResponse:
    subject = access_staff_member(request, public_id)
    viewer = require_staff(request)
    cycle = _cycle(subject)
    entries, extras = selectors.checkin_schedule_for(staff=subject, cycle=cycle)
    found = relations(viewer, subject)
    return render(
        request,
        "checkins/person.html",
        {
            "subject": subject,
            "cycle": cycle,
            "entries": entries,
            "extras": extras,
            "engagement": selectors.engagement_summary(staff=subject, cycle=cycle),
            "can_write": bool(found & WRITERS),
            "is_self": Relation.SELF in found,
        },
    )


@login_required
def record(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record a held check-in for a scheduled date (or an extra one with no date)."""
    subject = access_staff_member(request, public_id, allow=WRITERS)
    viewer = require_staff(request)
    cycle = _cycle(subject)
    due_on = _due(request, subject, cycle, required=False)
    existing = None if due_on is None else selectors.held_checkin(staff=subject, due_on=due_on)
    if existing is not None:
        return redirect("checkins:edit", public_id=existing.public_id)
    initial = {"held_on": due_on or timezone.localdate()}
    is_manager = subject.line_manager_id == viewer.pk
    form = _checkin_form(request, subject, cycle, initial=initial, is_manager=is_manager)
    save = partial(form.save, actor=viewer, staff=subject, cycle=cycle, due_on=due_on)
    checkin = service_result(form, save)
    if checkin is not None:
        messages.success(request, "Check-in recorded.")
        return redirect("checkins:detail", public_id=checkin.public_id)
    return render(
        request,
        "checkins/record.html",
        {"subject": subject, "form": form, "due_on": due_on, "cycle": cycle},
        status=_form_status(request),
    )


@login_required
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    checkin, found = access_subject_object(
        request,
        Checkin.objects.select_related("staff_member__user", "cycle"),
        public_id,
        allow=WRITERS,
    )
    viewer = require_staff(request)
    subject = checkin.staff_member
    checkin = selectors.checkin_detail(checkin=checkin)
    initial = CheckinForm.initial_from(checkin)
    is_manager = Relation.LINE_MANAGER in found
    form = _checkin_form(request, subject, checkin.cycle, initial=initial, is_manager=is_manager)
    save = partial(form.save, actor=viewer, staff=subject, cycle=checkin.cycle, checkin=checkin)
    if service_result(form, save) is not None:
        messages.success(request, "Check-in updated.")
        return redirect("checkins:detail", public_id=checkin.public_id)
    return render(
        request,
        "checkins/record.html",
        {"subject": subject, "form": form, "checkin": checkin, "due_on": checkin.due_on},
        status=_form_status(request),
    )


@login_required
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    checkin, found = access_subject_object(
        request, Checkin.objects.select_related("staff_member"), public_id
    )
    checkin = selectors.checkin_detail(checkin=checkin)
    can_write = bool(found & WRITERS)
    reflections = list(checkin.reflections.all())
    evidence_form = EvidenceForm(reflections=reflections) if can_write and reflections else None
    return _detail_page(request, checkin, reflections, can_write, evidence_form)


def _detail_page(
    request: HttpRequest,
    checkin: Checkin,
    reflections: list[CheckinReflection],
    can_write: bool,
    evidence_form: EvidenceForm | None,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "checkins/detail.html",
        {
            "checkin": checkin,
            "subject": checkin.staff_member,
            "reflections": reflections,
            "can_write": can_write,
            "evidence_form": evidence_form,
        },
        status=status,
    )


@login_required
def excuse(request: HttpRequest, public_id: str) -> HttpResponse:
    """Missed, moved or cancelled, with a reason."""
    subject = access_staff_member(request, public_id, allow=WRITERS)
    viewer = require_staff(request)
    cycle = _cycle(subject)
    due_on = _due(request, subject, cycle, required=True)
    form = ExcuseForm(request.POST or None)
    save = partial(form.save, actor=viewer, staff=subject, cycle=cycle, due_on=due_on)
    if service_result(form, save) is not None:
        messages.success(request, "Check-in updated.")
        return redirect("checkins:person", public_id=subject.public_id)
    return render(
        request,
        "checkins/excuse.html",
        {"subject": subject, "form": form, "due_on": due_on},
        status=_form_status(request),
    )


@login_required
@require_POST
def evidence_add(request: HttpRequest, public_id: str) -> HttpResponse:
    checkin, _ = access_subject_object(
        request, Checkin.objects.select_related("staff_member"), public_id, allow=WRITERS
    )
    viewer = require_staff(request)
    checkin = selectors.checkin_detail(checkin=checkin)
    reflections = list(checkin.reflections.all())
    form = EvidenceForm(request.POST, request.FILES, reflections=reflections)
    if service_result(form, form.save, actor=viewer) is not None:
        messages.success(request, "Evidence added.")
        return redirect("checkins:detail", public_id=checkin.public_id)
    return _detail_page(request, checkin, reflections, True, form, status=400)


@login_required
def evidence(request: HttpRequest, public_id: str) -> HttpResponse:
    """Evidence files are never public: only people who may see the check-in get them. A link
    opens a page that shows its address and says it leaves the site, never a redirect: a
    redirect from here would lend the app's name to whatever address was typed in."""
    item, _ = _evidence_access(request, public_id)
    if item.url:
        return render(request, "checkins/leaving.html", {"item": item})
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name or "evidence",
        content_type=item.content_type or "application/octet-stream",
    )


def _evidence_access(request: HttpRequest, public_id: str) -> tuple[Evidence, set[Relation]]:
    viewer = require_staff(request)
    item = get_in_trust_or_404(
        Evidence.objects.select_related("reflection__checkin__staff_member"),
        request=request,
        public_id=public_id,
    )
    found = relations(viewer, item.reflection.checkin.staff_member)
    if not found:
        raise Http404("No such page.")
    return item, found


@login_required
def team(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    cycle = _cycle(viewer)
    rows = selectors.team_checkins(manager=viewer, cycle=cycle)
    if not rows and not viewer.reports.exists():
        raise PermissionDenied("You do not line-manage anyone.")
    return render(request, "checkins/team.html", {"rows": rows, "cycle": cycle})


# --- Calendar and reminders ---------------------------------------------------------------


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    pref = services.reminder_preference_get(staff=viewer)
    form = DigestForm(request.POST or None, initial={"weekly_digest": pref.weekly_digest})
    if request.method == "POST" and form.is_valid():
        services.reminder_preference_set_digest(
            actor=viewer, staff=viewer, weekly_digest=form.cleaned_data["weekly_digest"]
        )
        messages.success(request, "Reminder settings saved.")
        return redirect("checkins:calendar")
    feed_url = request.build_absolute_uri(
        reverse("checkins:feed", kwargs={"token": pref.feed_token})
    )
    return render(
        request,
        "checkins/calendar.html",
        {"feed_url": feed_url, "form": form, "manages": viewer.reports.exists()},
    )


@login_required
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    services.calendar_feed_revoke(actor=viewer, staff=viewer)
    messages.success(request, "Your calendar link was reset. The old link no longer works.")
    return redirect("checkins:calendar")


def _feed_entries(staff: StaffMember, length_minutes: int) -> list[CheckinEntry]:
    cycle = cycle_current(trust=staff.trust_id)
    entries_out: list[CheckinEntry] = []
    if cycle is not None:
        entries, _ = selectors.checkin_schedule_for(staff=staff, cycle=cycle)
        for entry in entries:
            record_ = entry.record
            on = entry.due_on
            if record_ is not None and record_.status == Checkin.Status.MOVED:
                on = record_.moved_to
            if record_ is not None and record_.status == Checkin.Status.HELD and record_.held_on:
                on = record_.held_on
            entries_out.append(
                CheckinEntry(
                    staff_public_id=str(staff.public_id),
                    staff_name=staff.full_name,
                    due_on=entry.due_on,
                    on=on,
                    length_minutes=length_minutes,
                    cancelled=record_ is not None and record_.status == Checkin.Status.CANCELLED,
                )
            )
    return entries_out


def _feed_owner(token: str) -> ReminderPreference | None:
    """Whose calendar a feed token opens (an active person's), or None."""
    if not token:
        return None
    # The token is the credential and names the trust: the one lookup before a trust is known
    # (row-level security would otherwise hide every row from an anonymous request). It stays
    # here, beside the one address that may make it.
    with all_trusts():
        return (
            ReminderPreference.objects.unscoped()
            .select_related("staff_member__user", "trust")
            .filter(feed_token=token, staff_member__is_active=True)
            .first()
        )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar feed: the unguessable token is the only credential, so an unknown
    or revoked token is a plain 404."""
    pref = _feed_owner(token)
    if pref is None:
        raise Http404("No such calendar.")
    staff = pref.staff_member
    with trust_scope(staff.trust_id):
        entries_out = _feed_entries(staff, pref.trust.checkin_length_minutes)
        cycle = cycle_current(trust=staff.trust_id)
        days = selectors.calendar_days_for(staff=staff, cycle=cycle) if cycle else []
    response = HttpResponse(
        calendar_bytes(entries_out, name="Professional growth", days=days),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Observations --------------------------------------------------------------------------


def _observation_people(viewer: StaffMember) -> Any:
    return (
        StaffMember.objects.for_trust(viewer.trust_id)
        .filter(is_active=True)
        .filter(
            Q(school_id=viewer.school_id)
            | Q(line_manager_id=viewer.pk)
            | Q(pk=viewer.line_manager_id or 0)
        )
        .select_related("user", "school")
        .order_by("user__last_name", "user__first_name")
    )


@login_required
def observations(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    cycle = _cycle(viewer)
    form = ObservationForm(
        request.POST or None,
        people=_observation_people(viewer),
        initial={"observee": viewer.pk, "date": timezone.localdate()},
    )
    observation = service_result(form, form.save, actor=viewer, cycle=cycle)
    if observation is not None:
        messages.success(request, "Observation arranged.")
        return redirect("checkins:observation", public_id=observation.public_id)
    return render(
        request,
        "checkins/observations.html",
        {
            "form": form,
            "observations": selectors.observations_for(staff=viewer, cycle=cycle),
            "viewer": viewer,
            "cycle": cycle,
        },
        status=_form_status(request),
    )


def _observation_access(request: HttpRequest, public_id: str) -> Observation:
    viewer = require_staff(request)
    observation = get_in_trust_or_404(
        Observation.objects.select_related("observee__user", "observer__user", "cycle"),
        request=request,
        public_id=public_id,
    )
    if viewer.pk not in (observation.observee_id, observation.observer_id) and not relations(
        viewer, observation.observee
    ):
        raise Http404("No such page.")
    return observation


class ObservationStep(NamedTuple):
    """One step of an observation: its form, the service it calls and what the page then
    says. The form's fields are the service's own arguments."""

    form: type[LimitedForm]
    service: Callable[..., Observation]
    done: str

    def take(
        self, form: LimitedForm, *, actor: StaffMember, observation: Observation
    ) -> Observation:
        return self.service(actor=actor, observation=observation, **form.cleaned_data)


OBSERVATION_STEPS = {
    "agree": ObservationStep(
        ObservationAgreeForm, services.observation_agree, "Timing and focus agreed."
    ),
    "notes": ObservationStep(
        ObservationNotesForm, services.observation_complete, "Observation notes saved."
    ),
    "cancel": ObservationStep(
        ObservationCancelForm, services.observation_cancel, "Observation cancelled."
    ),
}


def _posted_step(request: HttpRequest) -> str:
    """The observation step a POST takes ("" for a GET); one not in the list is refused."""
    if request.method != "POST":
        return ""
    action = request.POST.get("action", "")
    if action not in OBSERVATION_STEPS:
        raise PermissionDenied("Unknown action.")
    return action


@login_required
def observation(request: HttpRequest, public_id: str) -> HttpResponse:
    obs = _observation_access(request, public_id)
    viewer = require_staff(request)
    action = _posted_step(request)
    forms = {
        name: step.form(request.POST if name == action else None, observation=obs)
        for name, step in OBSERVATION_STEPS.items()
    }
    if action:
        step, form = OBSERVATION_STEPS[action], forms[action]
        save = partial(step.take, form, actor=viewer, observation=obs)
        if service_result(form, save) is not None:
            messages.success(request, step.done)
            return redirect("checkins:observation", public_id=obs.public_id)
    return render(
        request,
        "checkins/observation.html",
        {
            "agree_form": forms["agree"],
            "notes_form": forms["notes"],
            **selectors.observation_page(observation=obs, viewer=viewer),
        },
        status=400 if action else 200,
    )


@login_required
def peer_visits(request: HttpRequest) -> HttpResponse:
    """Who has visited a colleague to learn this year, and who has not yet."""
    viewer = require_staff(request)
    cycle = _cycle(viewer)
    rows = selectors.peer_visit_status(staff_qs=visible_staff(viewer), cycle=cycle)
    return render(
        request,
        "checkins/peer_visits.html",
        {
            "not_yet": [t for t, v in rows if v is None],
            "visited": [(t, v) for t, v in rows if v is not None],
            "cycle": cycle,
        },
    )


# --- Feedback conversations ----------------------------------------------------------------


@login_required
def feedback_new(request: HttpRequest, public_id: str) -> HttpResponse:
    """A feedback conversation with a colleague (optionally after an observation)."""
    subject = access_staff_member(request, public_id)
    viewer = require_staff(request)
    if viewer.pk == subject.pk:
        raise PermissionDenied("A feedback conversation is held with a colleague.")
    observation_obj = _observation_named(request, observee=subject)
    form = FeedbackForm(
        request.POST or None,
        previous=selectors.feedback_received(staff=subject),
        initial={"held_on": timezone.localdate()},
    )
    save = partial(form.save, actor=viewer, staff=subject, observation=observation_obj)
    conversation = service_result(form, save)
    if conversation is not None:
        messages.success(request, "Feedback conversation saved. Ask your colleague to confirm it.")
        return redirect("checkins:feedback", public_id=conversation.public_id)
    return render(
        request,
        "checkins/feedback_new.html",
        {"subject": subject, "form": form, "observation": observation_obj},
        status=_form_status(request),
    )


def _observation_named(request: HttpRequest, *, observee: StaffMember) -> Observation | None:
    """The observation the feedback follows (``?observation=``, optional): one of
    ``observee``'s, or a 404."""
    if not request.GET.get("observation"):
        return None
    observation_obj = _observation_access(request, request.GET["observation"])
    if observation_obj.observee_id != observee.pk:
        raise Http404("No such observation.")
    return observation_obj


def _feedback_access(request: HttpRequest, public_id: str) -> FeedbackConversation:
    """A conversation its coach or someone related to the colleague may see; 404 otherwise."""
    viewer = require_staff(request)
    conversation = get_in_trust_or_404(
        FeedbackConversation.objects.select_related(
            "staff_member__user", "coach__user", "previous", "observation"
        ),
        request=request,
        public_id=public_id,
    )
    if viewer.pk != conversation.coach_id and not relations(viewer, conversation.staff_member):
        raise Http404("No such page.")
    return conversation


def _confirm_refused(
    request: HttpRequest, viewer: StaffMember, conversation: FeedbackConversation
) -> str | None:
    """Confirm the conversation as ``viewer``: None once confirmed, else why not."""
    try:
        services.feedback_confirm(
            actor=viewer,
            conversation=conversation,
            summary=request.POST.get("colleague_summary", "")[:2001],
        )
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


@login_required
def feedback(request: HttpRequest, public_id: str) -> HttpResponse:
    viewer = require_staff(request)
    conversation = _feedback_access(request, public_id)
    posted = request.method == "POST"
    refused = _confirm_refused(request, viewer, conversation) if posted else None
    if posted and refused is None:
        messages.success(request, "Confirmed.")
        return redirect("checkins:feedback", public_id=conversation.public_id)
    return render(
        request,
        "checkins/feedback.html",
        {
            **selectors.feedback_page(conversation=conversation, viewer=viewer),
            "error": refused or "",
            "typed": request.POST.get("colleague_summary", ""),
        },
        status=200 if refused is None else 400,
    )


@login_required
def growth_feedback_panel(request: HttpRequest) -> HttpResponse:
    """The home page's "Feedback on growth focus" list, loaded after the page."""
    viewer = require_staff(request)
    return render(
        request,
        "checkins/_growth_feedback_body.html",
        {"panel": selectors.growth_feedback_waiting(viewer=viewer, cycle=_cycle(viewer))},
    )
