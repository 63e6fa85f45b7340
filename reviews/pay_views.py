"""Pay progression and Upper Pay Scale pages (seed 004). Thin views: access → form →
service → redirect/render; the pay table and the trust's totals export as CSV or Excel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from growth.domain.duties import DecisionCapacity
from growth.domain.forms import service_result
from growth.domain.selectors import cycle_current
from growth.models import GrowthCycle, School, StaffMember
from growth.reporting.exports import export_links, export_of
from growth.security.access import (
    Relation,
    get_in_trust_or_404,
    relations,
    require_role,
    require_staff,
    roles_of,
)
from reviews import pay_selectors, pay_services, rubric
from reviews.models import Review, UpperPayApplication
from reviews.pay_forms import (
    PayDecisionForm,
    PayMappingForm,
    UpperPayApplicationForm,
    UpperPayDecisionForm,
)
from reviews.selectors import decision_capacity_or_none, review_queryset

UPS_READERS = {Relation.SELF, Relation.HEADTEACHER, Relation.TRUST_ADMIN}


def _refused(request: HttpRequest, person: StaffMember, refusal: str) -> HttpResponse:
    """Someone the person's pay is nothing to do with: why not, and who decides instead."""
    context = {"person": person, "refusal": refusal}
    return render(request, "reviews/pay_refused.html", context, status=403)


def _cycle(request: HttpRequest) -> GrowthCycle:
    cycle = cycle_current(trust=require_staff(request).trust_id)
    if cycle is None:
        raise Http404("No growth cycle.")
    return cycle


# --- The pay committee's table and the trust's totals ----------------------------------------


def _pay_school(request: HttpRequest, staff: StaffMember) -> tuple[School, list[School]]:
    """The school whose pay table the page shows (``?school=``, else the first), and the
    schools the viewer may choose from: their own as headteacher (or acting deputy), any as a
    trust admin."""
    roles = roles_of(staff)
    schools = School.objects.for_trust(staff.trust_id).order_by("kind", "name")
    if not roles.trust_admin:
        if not roles.headteacher_of:
            raise PermissionDenied("Only the headteacher and HR see the pay recommendations.")
        schools = schools.filter(pk__in=roles.headteacher_of)
    schools = list(schools)
    if not schools:
        raise Http404("No schools.")
    wanted = request.GET.get("school")
    if not wanted:
        return schools[0], schools
    choosable = School.objects.filter(pk__in=[s.pk for s in schools])
    return get_in_trust_or_404(choosable, request=request, public_id=wanted), schools


@login_required
def pay(request: HttpRequest) -> HttpResponse:
    """One school's pay recommendations: its headteacher's (or acting deputy's) to confirm,
    and what the pay committee reads; a trust admin opens any school."""
    staff = require_staff(request)
    school, schools = _pay_school(request, staff)
    cycle = _cycle(request)
    table = pay_selectors.pay_report_table(
        pay_selectors.pay_table_for(school=school, cycle=cycle, viewer=staff)
    )
    if exported := export_of(request, [table], name=school.name):
        return exported
    return render(
        request,
        "reviews/pay.html",
        {
            "cycle": cycle,
            "school": school,
            "schools": schools,
            "table": table,
            "exports": export_links(request, table.key),
            "is_trust_admin": roles_of(staff).trust_admin,
        },
    )


@login_required
def pay_trust(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    cycle = _cycle(request)
    table = pay_selectors.pay_totals_table(trust=staff.trust_id, cycle=cycle)
    if exported := export_of(request, [table], name=staff.trust.name):
        return exported
    return render(
        request,
        "reviews/pay_trust.html",
        {"cycle": cycle, "table": table, "exports": export_links(request, table.key)},
    )


@login_required
def pay_settings(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    mapping = pay_selectors.pay_mapping(trust=staff.trust_id)
    form = PayMappingForm(request.POST or None, mapping=mapping)
    saved = service_result(
        form,
        lambda: pay_services.pay_mapping_update(
            actor=staff, trust=staff.trust, mapping=form.mapping()
        ),
    )
    if saved is not None:
        messages.success(request, "The pay progression mapping is saved.")
        return redirect("reviews:pay_settings")
    return render(
        request,
        "reviews/pay_settings.html",
        {"form": form, "rows": _mapping_rows(form)},
        status=400 if request.method == "POST" else 200,
    )


def _mapping_rows(form: PayMappingForm) -> list[dict[str, Any]]:
    return [
        {
            "label": label,
            "rating": form[f"rating_{outcome}"],
            "recommendation": form[f"recommendation_{outcome}"],
        }
        for outcome, label in rubric.OUTCOME_CHOICES
    ]


# --- The headteacher's pay decision -----------------------------------------------------------


def _pay_review(request: HttpRequest, public_id: Any) -> tuple[Review, str | None, str]:
    """A review whose pay follows, with the capacity the viewer decides it in (or why they do
    not). 404 for a stranger to the person, and for the person themselves: their own pay
    decision is no page of theirs."""
    viewer = require_staff(request)
    review = get_in_trust_or_404(
        review_queryset(trust=viewer.trust_id), request=request, public_id=public_id
    )
    person = review.staff_member
    capacity, refusal = decision_capacity_or_none(
        actor=viewer, reviewee=person, reviewer=review.reviewer
    )
    if capacity is None and not (relations(viewer, person) - {Relation.SELF}):
        raise Http404("No such page.")
    return review, capacity, refusal


@login_required
def pay_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, capacity, refusal = _pay_review(request, public_id)
    viewer, person = require_staff(request), review.staff_member
    if capacity is None:
        return _refused(request, person, refusal)
    if review.status != Review.Status.DECIDED:
        messages.info(request, "The review's final decision comes first.")
        return redirect("reviews:pay")
    rating, recommended = pay_selectors.pay_mapping(trust=review.trust_id)[review.final_outcome]
    data = request.POST if request.method == "POST" else None
    form = PayDecisionForm(data, recommended=recommended)
    if form.is_bound and form.is_valid() and form.decide(actor=viewer, review=review):
        messages.success(request, f"Pay decision recorded for {person.full_name}.")
        return redirect(f"{reverse('reviews:pay')}?school={person.school.public_id}")
    page = pay_selectors.pay_decision_page(
        person, capacity=capacity, rating=rating, recommended=recommended
    )
    context = {"review": review, "person": person, "form": form, **page}
    return render(request, "reviews/pay_decide.html", context, status=400 if form.is_bound else 200)


# --- Upper Pay Scale applications ---------------------------------------------------------------


@login_required
def ups_mine(request: HttpRequest) -> HttpResponse:
    """A teacher's Upper Pay Scale page: their applications, and the form to apply (main
    range only, once a year)."""
    staff = require_staff(request)
    cycle = cycle_current(trust=staff.trust_id)
    on_main = pay_selectors.on_main_range(staff)
    choices = pay_selectors.ups_evidence_choices(staff=staff) if on_main else []
    form = UpperPayApplicationForm(request.POST or None, evidence_choices=choices)
    if request.method == "POST":
        if cycle is None:
            raise Http404("No growth cycle.")
        if form.is_valid() and (application := form.apply(actor=staff, cycle=cycle)):
            messages.success(
                request, "Your application is with your headteacher, who decides with a reason."
            )
            return redirect("reviews:ups_detail", public_id=application.public_id)
    context = {
        "form": form,
        "staff": staff,
        **pay_selectors.ups_mine_page(staff=staff, cycle=cycle),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/ups_mine.html", context, status=status)


def _ups_application(
    request: HttpRequest, public_id: Any
) -> tuple[UpperPayApplication, set[Relation], str | None, str]:
    """An application, with the viewer's relations to its applicant and the capacity they
    decide it in (or why they do not). 404 for a stranger, 403 for a relation who neither
    decides nor reads it (their line manager, say)."""
    viewer = require_staff(request)
    application = get_in_trust_or_404(
        pay_selectors.ups_queryset(trust=viewer.trust_id), request=request, public_id=public_id
    )
    person = application.staff_member
    found = relations(viewer, person)
    capacity, refusal = decision_capacity_or_none(actor=viewer, reviewee=person, reviewer=person)
    if not found and capacity is None:
        raise Http404("No such page.")
    if capacity is None and not (found & UPS_READERS):
        raise PermissionDenied("Your role does not allow this.")
    return application, found, capacity, refusal


@login_required
def ups_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    application, found, capacity, refusal = _ups_application(request, public_id)
    person = application.staff_member
    form = None
    if capacity is not None and not application.is_decided:
        form = UpperPayDecisionForm(request.POST or None)
    if request.method == "POST":
        if form is None:
            return _refused(
                request, person, refusal or "This application has already been decided."
            )
        if form.is_valid() and form.decide(actor=require_staff(request), application=application):
            messages.success(request, f"Decision recorded for {person.full_name}.")
            return redirect("reviews:ups_detail", public_id=application.public_id)
    context = {
        "application": application,
        "person": person,
        "form": form,
        "capacity": DecisionCapacity(capacity).label if capacity else "",
        "refusal": refusal if Relation.SELF not in found else "",
        **pay_selectors.ups_page(application),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/ups_detail.html", context, status=status)
