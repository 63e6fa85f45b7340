"""Thin views: access helper → form → service → redirect/render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from growth.access import (
    Relation,
    access_staff_member,
    get_in_trust_or_404,
    relations,
    require_staff,
    roles_of,
    visible_staff,
)
from growth.models import StaffMember
from learning import selectors, services
from learning.forms import CoachAssignForm, CoachingSessionForm, LearningSettingsForm
from learning.models import CoachAssignment, CoachingSession
from objectives.models import Objective

PAGE_SIZE = 100


def form_errors(form: Any, error: ValidationError) -> None:
    """Put a service's validation errors on the form, naming the field where there is one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _access_assignment(request: HttpRequest, public_id: Any) -> CoachAssignment:
    """A coaching relationship, for its coach and its coachee only. The coachee's line
    manager, headteacher and HR get 403 (theirs to know about, not to read); anyone else
    404."""
    viewer = require_staff(request)
    assignment = get_in_trust_or_404(
        CoachAssignment.objects.select_related("coach__user", "coachee__user"),
        request=request,
        public_id=public_id,
    )
    if services.is_coach_or_coachee(viewer, assignment):
        return assignment
    if relations(viewer, assignment.coachee):
        raise PermissionDenied("Coaching notes are private to the coach and the coachee.")
    raise Http404("No such page.")


def _coachee_objectives(assignment: CoachAssignment) -> Any:
    return (
        Objective.objects.for_trust(assignment.trust_id)
        .filter(plan__staff_member=assignment.coachee)
        .select_related("plan__cycle")
        .order_by("-plan__cycle__start_date", "area")
    )


# --- A person's own coaching ---------------------------------------------------------------


@login_required
def coaching(request: HttpRequest) -> HttpResponse:
    """My coach and our sessions; and, for a coach, my coachees and their sessions."""
    staff = require_staff(request)
    return render(
        request,
        "learning/coaching.html",
        {
            "as_coachee": list(selectors.assignments_as_coachee(coachee=staff)),
            "as_coach": list(selectors.assignments_as_coach(coach=staff)),
            "staff": staff,
        },
    )


@login_required
def session_new(request: HttpRequest, public_id: str) -> HttpResponse:
    assignment = _access_assignment(request, public_id)
    return _session_form(request, assignment, None)


@login_required
def session_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    session = get_in_trust_or_404(
        CoachingSession.objects.select_related("assignment"), request=request, public_id=public_id
    )
    assignment = _access_assignment(request, session.assignment.public_id)
    return _session_form(request, assignment, session)


def _session_form(
    request: HttpRequest, assignment: CoachAssignment, session: CoachingSession | None
) -> HttpResponse:
    viewer = require_staff(request)
    initial = {}
    if session is not None:
        initial = {
            "held_on": session.held_on,
            "minutes": session.minutes,
            "focus": session.focus,
            "objective": session.objective_id,
            "notes": session.notes,
        }
    form = CoachingSessionForm(
        request.POST or None, initial=initial, objectives=_coachee_objectives(assignment)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.coaching_session_record(
                actor=viewer, assignment=assignment, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Coaching session saved.")
            return redirect("learning:coaching")
    return render(
        request,
        "learning/session_form.html",
        {"assignment": assignment, "form": form, "session": session},
        status=400 if request.method == "POST" else 200,
    )


# --- Leaders: who is coached, and assigning coaches ----------------------------------------


@login_required
def coaching_overview(request: HttpRequest) -> HttpResponse:
    """Everyone the viewer leads or manages, with their coach and how many sessions they have
    had (never what was said)."""
    viewer = require_staff(request)
    people = visible_staff(viewer).filter(is_active=True).exclude(pk=viewer.pk)
    if not people.exists():
        raise PermissionDenied("You lead nobody whose coaching you could see.")
    page = Paginator(people.order_by("user__last_name", "user__first_name", "pk"), PAGE_SIZE)
    current = page.get_page(request.GET.get("page"))
    return render(
        request,
        "learning/coaching_overview.html",
        {
            "rows": selectors.coaching_overview(
                people=StaffMember.objects.for_trust(viewer.trust_id).filter(
                    pk__in=[p.pk for p in current.object_list]
                )
            ),
            "page": current,
            "limit": selectors.coachees_per_coach(trust_id=viewer.trust_id),
            "is_trust_admin": roles_of(viewer).trust_admin,
        },
    )


@login_required
def coaching_person(request: HttpRequest, public_id: str) -> HttpResponse:
    """Someone's coaching as their leaders see it, with the assignment form for trust admins
    and their headteacher."""
    viewer = require_staff(request)
    subject = access_staff_member(request, public_id)
    if subject.pk == viewer.pk:
        return redirect("learning:coaching")
    can_assign = services.can_assign_coach(viewer, subject)
    suggestions = selectors.coach_suggestions(coachee=subject) if can_assign else []
    form = None
    if can_assign:
        coaches = (
            StaffMember.objects.for_trust(viewer.trust_id)
            .filter(coaching_qualified=True, is_active=True)
            .exclude(pk=subject.pk)
            .select_related("user", "school")
        )
        form = CoachAssignForm(request.POST or None, coaches=coaches)
    elif request.method == "POST":
        raise PermissionDenied("Only trust admins and the headteacher assign coaches.")
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.coach_assign(actor=viewer, coachee=subject, coach=form.cleaned_data["coach"])
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, f"{subject.full_name} has a coach.")
            return redirect("learning:coaching_person", public_id=subject.public_id)
    return render(
        request,
        "learning/coaching_person.html",
        {
            "subject": subject,
            "summary": selectors.coaching_summary(coachee=subject),
            "suggestions": suggestions,
            "form": form,
            "can_assign": can_assign,
            "is_line_manager": Relation.LINE_MANAGER in relations(viewer, subject),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def coaching_end(request: HttpRequest, public_id: str) -> HttpResponse:
    viewer = require_staff(request)
    assignment = get_in_trust_or_404(
        CoachAssignment.objects.select_related("coachee"), request=request, public_id=public_id
    )
    if not relations(viewer, assignment.coachee) and viewer.pk != assignment.coach_id:
        raise Http404("No such page.")
    services.coach_assignment_end(actor=viewer, assignment=assignment)
    messages.success(request, "Coaching ended.")
    return redirect("learning:coaching_person", public_id=assignment.coachee.public_id)


@login_required
def learning_settings(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    if not roles_of(viewer).trust_admin:
        raise PermissionDenied("Only trust admins change the learning settings.")
    form = LearningSettingsForm(
        request.POST or None,
        initial={"coachees_per_coach": selectors.coachees_per_coach(trust_id=viewer.trust_id)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_settings_update(actor=viewer, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Learning settings saved.")
            return redirect("learning:settings")
    return render(
        request,
        "learning/settings.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
