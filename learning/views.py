"""Thin views: access helper → form → service → redirect/render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from growth.domain.selectors import cycle_current
from growth.models import School, StaffMember
from growth.reporting.exports import export_links, export_requested, export_response
from growth.reporting.reports import Cell, Column, ReportTable, day_text
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
from objectives.selectors import sorted_objectives
from standards.models import Standard

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
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_entry_record(
                actor=staff, staff=staff, data=form.to_data(), entry=entry
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Learning saved to your record.")
            return redirect("learning:record")
    return render(
        request,
        "learning/entry_form.html",
        {"form": form, "entry": entry},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def entry_impact(request: HttpRequest, public_id: str) -> HttpResponse:
    entry, _ = access_subject_object(request, LearningEntry, public_id, allow={Relation.SELF})
    staff = require_staff(request)
    form = ImpactForm(request.POST or None, initial={"impact": entry.impact})
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_impact_record(actor=staff, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Thank you: the impact is in your record.")
            return redirect("learning:record")
    return render(
        request,
        "learning/impact_form.html",
        {"form": form, "entry": entry},
        status=400 if request.method == "POST" else 200,
    )


def _money(value: Decimal | None) -> Cell:
    if value is None:
        return Cell("Not set", tone="warn")
    return Cell(f"£{value:,.2f}", value=float(value))


def _hours(value: Decimal) -> Cell:
    text = f"{Decimal(value).normalize():f}"
    return Cell(text, value=float(value))


def _entries_table(entries: Any, *, key: str, caption: str) -> ReportTable:
    columns = [
        Column("person", "Person", is_row_header=True),
        Column("date", "Date"),
        Column("kind", "Kind"),
        Column("title", "Title"),
        Column("provider", "Provider"),
        Column("hours", "Hours"),
        Column("cost", "Cost"),
        Column("paid_by", "Paid by"),
        Column("impact", "Impact written"),
    ]
    rows = [
        [
            Cell(e.staff_member.full_name),
            Cell(day_text(e.started_on)),
            Cell(e.get_kind_display()),
            Cell(e.title),
            Cell(e.provider or "—"),
            _hours(e.hours),
            _money(e.cost),
            Cell(e.get_paid_by_display()),
            Cell("Yes" if e.impact else "Not yet", tone="" if e.impact else "warn"),
        ]
        for e in entries
    ]
    return ReportTable(key, caption, columns, rows, empty_text="No learning logged yet.")


def _people_table(
    people: list[StaffMember], totals: dict[int, dict[str, Any]], *, key: str, caption: str
) -> ReportTable:
    columns = [
        Column("person", "Person", is_row_header=True),
        Column("entries", "Learning logged"),
        Column("hours", "Hours"),
        Column("spend", "School-funded spend"),
        Column("impacts", "Impact written"),
    ]
    rows = []
    for person in people:
        t = totals.get(person.pk)
        if t is None:
            rows.append(
                [
                    Cell(person.full_name),
                    Cell("0", value=0),
                    _hours(Decimal(0)),
                    _money(Decimal(0)),
                    Cell("0", value=0),
                ]
            )
            continue
        rows.append(
            [
                Cell(person.full_name),
                Cell(str(t["entries"]), value=t["entries"]),
                _hours(t["hours"]),
                _money(t["spend"]),
                Cell(str(t["impacts"]), value=t["impacts"]),
            ]
        )
    return ReportTable(key, caption, columns, rows, empty_text="Nobody to show.")


def _export_or_render(
    request: HttpRequest, tables: list[ReportTable], name: str, template: str, ctx: dict
) -> HttpResponse:
    if wanted := export_requested(request):
        table = next((t for t in tables if t.key == wanted[0]), None)
        if table is None:
            raise Http404("No such table.")
        return export_response(table, wanted[1], name=name)
    ctx["tables"] = [(t, export_links(request, t.key)) for t in tables]
    return render(request, template, ctx)


@login_required
def team_record(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    cycle = cycle_current(trust=viewer.trust_id)
    people = list(
        StaffMember.objects.for_trust(viewer.trust_id)
        .filter(line_manager=viewer, is_active=True)
        .select_related("user")
    )
    if not people:
        raise PermissionDenied("Nobody reports to you.")
    totals = selectors.person_totals(trust_id=viewer.trust_id, people=people, cycle=cycle)
    tables = [
        _people_table(people, totals, key="team-totals", caption="Your team's learning this year"),
        _entries_table(
            selectors.team_entries(trust_id=viewer.trust_id, people=people, cycle=cycle),
            key="team-entries",
            caption="Everything your team logged this year",
        ),
    ]
    return _export_or_render(
        request,
        tables,
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
    form = BudgetForm(request.POST or None) if cycle is not None else None
    if request.method == "POST":
        if form is None:
            raise Http404("No growth cycle has been set up yet.")
        if form.is_valid():
            services.learning_budget_set(
                actor=viewer, school=school, cycle=cycle, amount=form.cleaned_data["amount"]
            )
            messages.success(request, "Budget saved.")
            return redirect("learning:school_record", public_id=school.public_id)
    figures = selectors.school_totals(trust_id=viewer.trust_id, cycle=cycle, schools=[school])[
        school.pk
    ]
    if form is not None and not form.is_bound and figures["budget"] is not None:
        form.initial = {"amount": figures["budget"]}
    people = list(
        StaffMember.objects.for_trust(viewer.trust_id)
        .filter(school=school, is_active=True)
        .select_related("user")
    )
    totals = selectors.person_totals(trust_id=viewer.trust_id, people=people, cycle=cycle)
    tables = [
        _people_table(people, totals, key="school-people", caption=f"{school.name}: people"),
        _entries_table(
            selectors.school_entries(trust_id=viewer.trust_id, school=school, cycle=cycle),
            key="school-entries",
            caption=f"{school.name}: everything logged this year",
        ),
    ]
    response = _export_or_render(
        request,
        tables,
        f"{viewer.trust.slug}-{school.name}-learning",
        "learning/school_record.html",
        {"school": school, "figures": figures, "form": form, "cycle": cycle},
    )
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def trust_record(request: HttpRequest) -> HttpResponse:
    viewer = require_staff(request)
    if not roles_of(viewer).trust_admin:
        raise PermissionDenied("Your role does not allow this.")
    cycle = cycle_current(trust=viewer.trust_id)
    schools = list(School.objects.for_trust(viewer.trust_id).order_by("name"))
    figures = selectors.school_totals(trust_id=viewer.trust_id, cycle=cycle, schools=schools)
    columns = [
        Column("school", "School or team", is_row_header=True),
        Column("people", "People who logged learning"),
        Column("entries", "Learning logged"),
        Column("hours", "Hours"),
        Column("spend", "School-funded spend"),
        Column("budget", "Budget"),
        Column("left", "Budget left"),
    ]
    rows = []
    for school in schools:
        f = figures[school.pk]
        rows.append(
            [
                Cell(school.name, url=reverse("learning:school_record", args=[school.public_id])),
                Cell(str(f["people"]), value=f["people"]),
                Cell(str(f["entries"]), value=f["entries"]),
                _hours(f["hours"]),
                _money(f["spend"]),
                _money(f["budget"]),
                _money(f["left"]) if f["left"] is not None else Cell("—"),
            ]
        )
    table = ReportTable("trust-schools", "Schools side by side", columns, rows)
    return _export_or_render(
        request,
        [table],
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
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.resource_publish(
                actor=staff,
                data=form.to_data(),
                upload=form.cleaned_data.get("file"),
                resource=item,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, "Resource published.")
            return redirect("learning:resource", public_id=saved.public_id)
    return render(
        request,
        "learning/resource_form.html",
        {"form": form, "item": item},
        status=400 if request.method == "POST" else 200,
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
    cycle = cycle_current(trust=staff.trust_id)
    plan = (
        GrowthPlan.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .prefetch_related("objectives__standards")
        .first()
        if cycle
        else None
    )
    today = timezone.localdate()
    opens = services.plan_review_opens(cycle) if cycle else None
    context: dict[str, Any] = {"cycle": cycle, "plan": plan, "opens": opens}
    if plan is None or today < opens:
        return render(request, "learning/plan_review.html", context)
    review = PlanReview.objects.for_trust(staff.trust_id).filter(plan=plan).first()
    form = None
    status = 200
    if review is None or not review.is_submitted:
        form = PlanReviewForm(
            request.POST or None,
            initial=PlanReviewForm.initial_from(review) if review else _review_initial(plan),
            standards=_standards(staff),
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    review = review or services.plan_review_start(actor=staff, plan=plan)
                    services.plan_review_save(
                        actor=staff,
                        review=review,
                        answers={k: data[k] for k in services.REVIEW_ANSWERS},
                        area=data["area"],
                        standards=list(data["standards"]),
                    )
                    if "submit" in request.POST:
                        services.plan_review_submit(actor=staff, review=review)
            except ValidationError as error:
                form_errors(form, error)
            else:
                submitted = "submit" in request.POST
                messages.success(request, "Review submitted." if submitted else "Draft saved.")
                return redirect("learning:plan_review")
        if request.method == "POST":
            status = 400
    elif request.method == "POST":
        raise PermissionDenied("This review has been submitted.")
    context.update(
        review=review, form=form, share_form=ShareForm() if review and review.is_submitted else None
    )
    return render(request, "learning/plan_review.html", context, status=status)


def _review_initial(plan: GrowthPlan) -> dict[str, Any]:
    """A new review starts from what the plan set out to do."""
    objectives = sorted_objectives(plan)
    return {
        "intended": "\n".join(o.sentence for o in objectives if o.to_text),
        "standards": [s.pk for o in objectives for s in o.standards.all()],
    }


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
