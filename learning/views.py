"""Thin views: access helper → form → service → redirect/render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from growth.domain.selectors import cycle_current
from growth.models import School, StaffMember
from growth.reporting.exports import export_links, export_of
from growth.reporting.reports import ReportTable
from growth.security.access import (
    Relation,
    access_staff_member,
    access_subject_object,
    get_in_trust_or_404,
    relations,
    require_staff,
    roles_of,
    visible_staff,
)
from learning import selectors, services
from learning.forms import (
    BudgetForm,
    CoachAssignForm,
    CoachingSessionForm,
    ImpactForm,
    LearningEntryForm,
    LearningSettingsForm,
    LibrarySearchForm,
    PlanReviewForm,
    ResourceForm,
    ResourceSearchForm,
    ShareForm,
)
from learning.models import (
    CoachAssignment,
    CoachingSession,
    LearningEntry,
    PlanReview,
    Resource,
)
from objectives.models import GrowthPlan, Objective
from standards.models import Standard

PAGE_SIZE = 100


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[], Any],
    message: str,
    then: str | Callable[[Any], str],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page whose form a service saves. A POST that the form and the service accept says
    ``message`` and goes to ``then`` (a route name, or the saved object's address); any other
    shows the page with its form, 400 after a POST (refused). ``save`` returns None when the
    service refused, its refusal then on the form."""
    if request.method == "POST" and form.is_valid() and (saved := save()) is not None:
        messages.success(request, message)
        return redirect(then(saved) if callable(then) else then)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form}, status=status)


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
    form = CoachingSessionForm(
        request.POST or None,
        initial=CoachingSessionForm.initial_from(session) if session else {},
        objectives=_coachee_objectives(assignment),
    )
    return _form_page(
        request,
        form,
        save=lambda: form.save(
            actor=require_staff(request), assignment=assignment, session=session
        ),
        message="Coaching session saved.",
        then="learning:coaching",
        template="learning/session_form.html",
        context={"assignment": assignment, "session": session},
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


def _coach_assign_form(
    request: HttpRequest, viewer: StaffMember, subject: StaffMember
) -> CoachAssignForm | None:
    """The form to give ``subject`` a coach, for those who assign coaches (trust admins and
    their headteacher); anyone else's POST is refused."""
    if services.can_assign_coach(viewer, subject):
        return CoachAssignForm(
            request.POST or None, coaches=selectors.qualified_coaches(coachee=subject)
        )
    if request.method == "POST":
        raise PermissionDenied("Only trust admins and the headteacher assign coaches.")
    return None


@login_required
def coaching_person(request: HttpRequest, public_id: str) -> HttpResponse:
    """Someone's coaching as their leaders see it, with the assignment form for trust admins
    and their headteacher."""
    viewer = require_staff(request)
    subject = access_staff_member(request, public_id)
    if subject.pk == viewer.pk:
        return redirect("learning:coaching")
    form = _coach_assign_form(request, viewer, subject)
    if form is not None and form.is_valid() and form.save(actor=viewer, coachee=subject):
        messages.success(request, f"{subject.full_name} has a coach.")
        return redirect("learning:coaching_person", public_id=subject.public_id)
    page = selectors.coaching_person_page(
        viewer=viewer, subject=subject, can_assign=form is not None
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "learning/coaching_person.html", {**page, "form": form}, status=status)


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
    return _form_page(
        request,
        form,
        save=lambda: form.save(actor=viewer),
        message="Learning settings saved.",
        then="learning:settings",
        template="learning/settings.html",
        context={},
    )


# --- The learning record -------------------------------------------------------------------


def _own_objectives(staff: StaffMember) -> Any:
    return (
        Objective.objects.for_trust(staff.trust_id)
        .filter(plan__staff_member=staff)
        .select_related("plan__cycle")
        .order_by("-plan__cycle__start_date", "area")
    )


def _standards(staff: StaffMember) -> Any:
    return Standard.objects.for_trust(staff.trust_id).select_related("framework")


@login_required
def record(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    entries = list(selectors.entries_of(staff=staff))
    totals = selectors.person_totals(
        trust_id=staff.trust_id, people=[staff], cycle=cycle_current(trust=staff.trust_id)
    ).get(staff.pk)
    return render(
        request,
        "learning/record.html",
        {
            "entries": entries,
            "prompts": selectors.impact_prompts(staff=staff, today=timezone.localdate()),
            "totals": totals,
            "cycle": cycle_current(trust=staff.trust_id),
        },
    )


@login_required
def entry_new(request: HttpRequest) -> HttpResponse:
    return _entry_form(request, None)


@login_required
def entry_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    entry, _ = access_subject_object(request, LearningEntry, public_id, allow={Relation.SELF})
    return _entry_form(request, entry)


def _entry_form(request: HttpRequest, entry: LearningEntry | None) -> HttpResponse:
    staff = require_staff(request)
    form = LearningEntryForm(
        request.POST or None,
        initial=LearningEntryForm.initial_from(entry)
        if entry
        else {"started_on": timezone.localdate()},
        objectives=_own_objectives(staff),
        standards=_standards(staff),
    )
    return _form_page(
        request,
        form,
        save=lambda: form.save(actor=staff, entry=entry),
        message="Learning saved to your record.",
        then="learning:record",
        template="learning/entry_form.html",
        context={"entry": entry},
    )


@login_required
def entry_impact(request: HttpRequest, public_id: str) -> HttpResponse:
    entry, _ = access_subject_object(request, LearningEntry, public_id, allow={Relation.SELF})
    form = ImpactForm(request.POST or None, initial={"impact": entry.impact})
    return _form_page(
        request,
        form,
        save=lambda: form.save(actor=require_staff(request), entry=entry),
        message="Thank you: the impact is in your record.",
        then="learning:record",
        template="learning/impact_form.html",
        context={"entry": entry},
    )


def _export_or_render(
    request: HttpRequest,
    tables: list[ReportTable],
    name: str,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    """The export of one of ``tables`` if the request asks for it, else the page of them."""
    if exported := export_of(request, tables, name=name):
        return exported
    tables_with_links = [(t, export_links(request, t.key)) for t in tables]
    return render(request, template, {**context, "tables": tables_with_links}, status=status)


@login_required
def team_record(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    cycle = cycle_current(trust=viewer.trust_id)
    people = selectors.team_of(viewer)
    if not people:
        raise PermissionDenied("Nobody reports to you.")
    return _export_or_render(
        request,
        selectors.team_record_tables(people, cycle, trust_id=viewer.trust_id),
        f"{viewer.trust.slug}-team-learning",
        "learning/team_record.html",
        {"cycle": cycle},
    )


@login_required
def my_school_record(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    schools = sorted(roles_of(viewer).headteacher_of)
    if not schools:
        raise PermissionDenied("Your role does not allow this.")
    school = School.objects.for_trust(viewer.trust_id).get(pk=schools[0])
    return redirect("learning:school_record", public_id=school.public_id)


@login_required
def school_record(request: HttpRequest, public_id: str) -> HttpResponse:
    """One school's learning: per person, with spend against the budget its head sets."""
    viewer = require_staff(request)
    school = get_in_trust_or_404(School, request=request, public_id=public_id)
    roles = roles_of(viewer)
    if not (roles.trust_admin or school.pk in roles.headteacher_of):
        raise PermissionDenied("Your role does not allow this.")
    cycle = cycle_current(trust=viewer.trust_id)
    figures = selectors.school_totals(trust_id=viewer.trust_id, cycle=cycle, schools=[school])
    budget = {"amount": figures[school.pk]["budget"]}
    form = BudgetForm(request.POST or None, initial=budget) if cycle is not None else None
    if request.method == "POST":
        if form is None:
            raise Http404("No growth cycle has been set up yet.")
        if form.is_valid() and form.save(actor=viewer, school=school, cycle=cycle):
            messages.success(request, "Budget saved.")
            return redirect("learning:school_record", public_id=school.public_id)
    return _export_or_render(
        request,
        selectors.school_record_tables(school, cycle),
        f"{viewer.trust.slug}-{school.name}-learning",
        "learning/school_record.html",
        {"school": school, "figures": figures[school.pk], "form": form, "cycle": cycle},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def trust_record(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    if not roles_of(viewer).trust_admin:
        raise PermissionDenied("Your role does not allow this.")
    cycle = cycle_current(trust=viewer.trust_id)
    return _export_or_render(
        request,
        [selectors.trust_record_table(trust_id=viewer.trust_id, cycle=cycle)],
        f"{viewer.trust.slug}-learning",
        "learning/trust_record.html",
        {"cycle": cycle},
    )


# --- The resources hub ---------------------------------------------------------------------


@login_required
def resources(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    form = ResourceSearchForm(request.GET or None, standards=_standards(staff))
    filters = form.filters() if form.is_bound else selectors.ResourceFilters()
    found = selectors.resources_search(trust_id=staff.trust_id, filters=filters)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/resources.html",
        {
            "form": form,
            "page": page,
            "searched": form.is_bound,
            "query": query.urlencode(),
            "mine": selectors.resources_for_objectives(
                staff=staff, cycle=cycle_current(trust=staff.trust_id)
            ),
            "can_publish": services.can_publish_resources(staff),
        },
    )


@login_required
def resource(request: HttpRequest, public_id: str) -> HttpResponse:
    staff = require_staff(request)
    item = get_in_trust_or_404(
        Resource.objects.select_related("published_by__user").prefetch_related(
            "standards__framework"
        ),
        request=request,
        public_id=public_id,
    )
    return render(
        request,
        "learning/resource.html",
        {"item": item, "can_change": services.can_change_resource(staff, item)},
    )


@login_required
def resource_file(request: HttpRequest, public_id: str) -> HttpResponse:
    item = get_in_trust_or_404(Resource, request=request, public_id=public_id)
    if not item.file:
        raise Http404("This resource has no file.")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name or "resource",
        content_type=item.content_type or "application/octet-stream",
    )


@login_required
def resource_new(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    if not services.can_publish_resources(staff):
        raise PermissionDenied("Trust admins and headteachers publish resources.")
    return _resource_form(request, None)


@login_required
def resource_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    staff = require_staff(request)
    item = get_in_trust_or_404(Resource, request=request, public_id=public_id)
    if not services.can_change_resource(staff, item):
        raise PermissionDenied("Only its publisher or a trust admin changes a resource.")
    return _resource_form(request, item)


def _resource_form(request: HttpRequest, item: Resource | None) -> HttpResponse:
    staff = require_staff(request)
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        initial=ResourceForm.initial_from(item) if item else {},
        standards=_standards(staff),
    )
    return _form_page(
        request,
        form,
        save=lambda: form.save(actor=staff, resource=item),
        message="Resource published.",
        then=lambda saved: reverse("learning:resource", kwargs={"public_id": saved.public_id}),
        template="learning/resource_form.html",
        context={"item": item},
    )


@login_required
@require_POST
def resource_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    staff = require_staff(request)
    item = get_in_trust_or_404(Resource, request=request, public_id=public_id)
    services.resource_remove(actor=staff, resource=item)
    messages.success(request, "Resource removed.")
    return redirect("learning:resources")


# --- The end-of-cycle plan review ----------------------------------------------------------

REVIEW_READERS = {Relation.LINE_MANAGER, Relation.HEADTEACHER, Relation.TRUST_ADMIN}


@login_required
def plan_review(request: HttpRequest) -> HttpResponse:
    """The writer's "Professional Growth Plan: Review" of this cycle's plan: a draft until
    they submit it, then theirs to share with colleagues (or not)."""
    staff = require_staff(request)
    context = selectors.plan_review_page(staff=staff)
    plan = context["plan"]
    if plan is None or timezone.localdate() < context["opens"]:
        return render(request, "learning/plan_review.html", context)
    review = selectors.plan_review_of(plan=plan)
    if review is None or not review.is_submitted:
        return _plan_review_draft(request, context, plan, review)
    if request.method == "POST":
        raise PermissionDenied("This review has been submitted.")
    context.update(review=review, form=None, share_form=ShareForm())
    return render(request, "learning/plan_review.html", context)


def _plan_review_draft(
    request: HttpRequest, context: dict[str, Any], plan: GrowthPlan, review: PlanReview | None
) -> HttpResponse:
    """The review while it is a draft: its form, saved (and submitted) in one step."""
    staff = require_staff(request)
    form = PlanReviewForm(
        request.POST or None,
        initial=PlanReviewForm.initial_for(plan, review),
        standards=_standards(staff),
    )
    submit = "submit" in request.POST
    return _form_page(
        request,
        form,
        save=lambda: form.save(actor=staff, plan=plan, review=review, submit=submit),
        message="Review submitted." if submit else "Draft saved.",
        then="learning:plan_review",
        template="learning/plan_review.html",
        context={**context, "review": review, "share_form": None},
    )


def _own_review(request: HttpRequest, public_id: str) -> PlanReview:
    review, _ = access_subject_object(request, PlanReview, public_id, allow={Relation.SELF})
    return review


@login_required
@require_POST
def plan_review_share(request: HttpRequest, public_id: str) -> HttpResponse:
    review = _own_review(request, public_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to share it with your school or the trust.")
        return redirect("learning:plan_review")
    try:
        services.plan_review_share(
            actor=require_staff(request), review=review, scope=form.cleaned_data["scope"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Shared: colleagues can now learn from your review.")
    return redirect("learning:plan_review")


@login_required
@require_POST
def plan_review_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    review = _own_review(request, public_id)
    services.plan_review_withdraw(actor=require_staff(request), review=review)
    messages.success(request, "Withdrawn: your review is no longer in the library.")
    return redirect("learning:plan_review")


@login_required
def plan_review_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A submitted review, for its writer's line manager, headteacher and HR; a draft stays
    the writer's."""
    viewer = require_staff(request)
    review = get_in_trust_or_404(
        PlanReview.objects.select_related("staff_member__user", "cycle").prefetch_related(
            "standards__framework"
        ),
        request=request,
        public_id=public_id,
    )
    if review.staff_member_id == viewer.pk:
        return redirect("learning:plan_review")
    found = relations(viewer, review.staff_member)
    if not found & REVIEW_READERS:
        if library_entry_visible(viewer, review):
            return redirect("learning:library_entry", public_id=review.public_id)
        if found:
            raise PermissionDenied("Your role does not allow this.")
        raise Http404("No such page.")
    if not review.is_submitted:
        raise PermissionDenied("This review is still a draft.")
    return render(request, "learning/plan_review_detail.html", {"review": review})


def library_entry_visible(viewer: StaffMember, review: PlanReview) -> bool:
    return selectors.library_for(viewer).filter(pk=review.pk).exists()


# --- What colleagues learned ---------------------------------------------------------------


@login_required
def library(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    form = LibrarySearchForm(request.GET or None, standards=_standards(staff))
    filters = form.filters() if form.is_bound else selectors.LibraryFilters()
    page = Paginator(selectors.library_search(viewer=staff, filters=filters), 20).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/library.html",
        {"form": form, "page": page, "query": query.urlencode(), "searched": form.is_bound},
    )


@login_required
def library_entry(request: HttpRequest, public_id: str) -> HttpResponse:
    """One shared review as the library shows it. Not shared with the viewer (withdrawn,
    another school's, another trust's) is 404."""
    staff = require_staff(request)
    review = get_in_trust_or_404(selectors.library_for(staff), request=request, public_id=public_id)
    return render(request, "learning/library_entry.html", {"review": review})
