"""Pay progression and Upper Pay Scale pages (seed 004). Thin views: access → form →
service → redirect/render; the pay table and the trust's totals export as CSV or Excel."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from growth.domain.duties import DecisionCapacity
from growth.domain.selectors import cycle_current
from growth.models import GrowthCycle, PayRange, School
from growth.reporting.exports import export_links, export_requested, export_response
from growth.security.access import (
    Relation,
    get_in_trust_or_404,
    relations,
    require_role,
    require_staff,
    roles_of,
)
from reviews import pay_selectors, pay_services, rubric
from reviews.models import Review
from reviews.pay_forms import (
    PayDecisionForm,
    PayMappingForm,
    UpperPayApplicationForm,
    UpperPayDecisionForm,
)
from reviews.pay_rules import SUSTAINED_YEARS, UPS_CRITERIA, PayRating, PayRecommendation
from reviews.selectors import review_queryset


def _cycle(request: HttpRequest) -> GrowthCycle:
    cycle = cycle_current(trust=require_staff(request).trust_id)
    if cycle is None:
        raise Http404("No growth cycle.")
    return cycle


# --- The pay committee's table and the trust's totals ----------------------------------------


@login_required
def pay(request: HttpRequest) -> HttpResponse:
    """One school's pay recommendations: its headteacher's (or acting deputy's) to confirm,
    and what the pay committee reads; a trust admin opens any school."""
    staff = require_staff(request)
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
    school = (
        get_in_trust_or_404(
            School.objects.filter(pk__in=[s.pk for s in schools]),
            request=request,
            public_id=wanted,
        )
        if wanted
        else schools[0]
    )
    cycle = _cycle(request)
    table = pay_selectors.pay_report_table(
        pay_selectors.pay_table_for(school=school, cycle=cycle, viewer=staff)
    )
    export = export_requested(request)
    if export is not None:
        if export[0] != table.key:
            raise Http404("No such table.")
        return export_response(table, export[1], name=school.name)
    return render(
        request,
        "reviews/pay.html",
        {
            "cycle": cycle,
            "school": school,
            "schools": schools,
            "table": table,
            "exports": export_links(request, table.key),
            "is_trust_admin": roles.trust_admin,
        },
    )


@login_required
def pay_trust(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    cycle = _cycle(request)
    table = pay_selectors.pay_totals_table(trust=staff.trust_id, cycle=cycle)
    export = export_requested(request)
    if export is not None:
        if export[0] != table.key:
            raise Http404("No such table.")
        return export_response(table, export[1], name=staff.trust.name)
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
    if request.method == "POST":
        if form.is_valid():
            try:
                pay_services.pay_mapping_update(
                    actor=staff, trust=staff.trust, mapping=form.mapping()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "The pay progression mapping is saved.")
                return redirect("reviews:pay_settings")
        return render(
            request,
            "reviews/pay_settings.html",
            {"form": form, "rows": _mapping_rows(form)},
            status=400,
        )
    return render(request, "reviews/pay_settings.html", {"form": form, "rows": _mapping_rows(form)})


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


@login_required
def pay_decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    viewer = require_staff(request)
    review = get_in_trust_or_404(
        review_queryset(trust=viewer.trust_id), request=request, public_id=public_id
    )
    person = review.staff_member
    found = relations(viewer, person)
    capacity, refusal = pay_selectors.pay_capacity_or_none(
        actor=viewer, person=person, reviewer=review.reviewer
    )
    if capacity is None and not (found - {Relation.SELF}):
        raise Http404("No such page.")  # a stranger to this person, or their own pay
    if capacity is None:
        return render(
            request, "reviews/pay_refused.html", {"person": person, "refusal": refusal}, status=403
        )
    if review.status != Review.Status.DECIDED:
        messages.info(request, "The review's final decision comes first.")
        return redirect("reviews:pay")
    rating, recommended = pay_selectors.pay_mapping(trust=viewer.trust_id)[review.final_outcome]
    status = 200
    if request.method == "POST":
        form = PayDecisionForm(request.POST)
        if form.is_valid():
            try:
                pay_services.pay_decide(
                    actor=viewer,
                    review=review,
                    outcome=form.cleaned_data["outcome"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Pay decision recorded for {person.full_name}.")
                return redirect(f"{reverse('reviews:pay')}?school={person.school.public_id}")
        status = 400
    else:
        form = PayDecisionForm(
            initial={"outcome": "progress" if recommended == "progress" else None}
        )
    return render(
        request,
        "reviews/pay_decide.html",
        {
            "review": review,
            "person": person,
            "form": form,
            "capacity": DecisionCapacity(capacity).label,
            "rating_label": PayRating(rating).label,
            "recommendation_label": PayRecommendation(recommended).label,
            "referred": recommended == PayRecommendation.REFER,
            "eligible": pay_selectors.is_eligible(person),
            "why_not": pay_selectors.ineligible_reason(person),
        },
        status=status,
    )


# --- Upper Pay Scale applications ---------------------------------------------------------------


@login_required
def ups_mine(request: HttpRequest) -> HttpResponse:
    """A teacher's Upper Pay Scale page: their applications, and the form to apply (main
    range only, once a year)."""
    staff = require_staff(request)
    cycle = cycle_current(trust=staff.trust_id)
    applications = pay_selectors.ups_applications_of(staff=staff)
    this_year = next((a for a in applications if cycle and a.cycle_id == cycle.pk), None)
    on_main = staff.category == "teaching" and staff.pay_range == PayRange.MAIN
    choices = pay_selectors.ups_evidence_choices(staff=staff) if on_main else []
    form = UpperPayApplicationForm(request.POST or None, evidence_choices=choices)
    status = 200
    if request.method == "POST":
        if cycle is None:
            raise Http404("No growth cycle.")
        if form.is_valid():
            try:
                application = pay_services.ups_apply(
                    actor=staff,
                    cycle=cycle,
                    answers={name: form.cleaned_data[name] for name in UPS_CRITERIA},
                    evidence=form.cleaned_data["evidence"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    "Your application is with your headteacher, who decides with a reason.",
                )
                return redirect("reviews:ups_detail", public_id=application.public_id)
        status = 400
    sustained = pay_selectors.sustained_cycles(staff=staff, cycle=cycle) if cycle else []
    return render(
        request,
        "reviews/ups_mine.html",
        {
            "cycle": cycle,
            "applications": applications,
            "this_year": this_year,
            "on_main": on_main,
            "form": form,
            "sustained": sustained,
            "sustained_years": SUSTAINED_YEARS,
            "staff": staff,
        },
        status=status,
    )


@login_required
def ups_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    viewer = require_staff(request)
    application = get_in_trust_or_404(
        pay_selectors.ups_queryset(trust=viewer.trust_id), request=request, public_id=public_id
    )
    person = application.staff_member
    found = relations(viewer, person)
    capacity, refusal = pay_selectors.pay_capacity_or_none(
        actor=viewer, person=person, reviewer=person
    )
    readers = {Relation.SELF, Relation.HEADTEACHER, Relation.TRUST_ADMIN}
    if not found and capacity is None:
        raise Http404("No such page.")
    if capacity is None and not (found & readers):
        raise PermissionDenied("Your role does not allow this.")
    form = None
    status = 200
    if capacity is not None and not application.is_decided:
        form = UpperPayDecisionForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    pay_services.ups_decide(
                        actor=viewer,
                        application=application,
                        approve=form.cleaned_data["decision"] == "approve",
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    form.add_service_errors(exc)
                else:
                    messages.success(request, f"Decision recorded for {person.full_name}.")
                    return redirect("reviews:ups_detail", public_id=application.public_id)
            status = 400
    elif request.method == "POST":
        return render(
            request,
            "reviews/pay_refused.html",
            {"person": person, "refusal": refusal or "This application has already been decided."},
            status=403,
        )
    return render(
        request,
        "reviews/ups_detail.html",
        {
            "application": application,
            "person": person,
            "answers": [
                (label, getattr(application, name)) for name, (label, _) in UPS_CRITERIA.items()
            ],
            "evidence": pay_selectors.evidence_links(application),
            "form": form,
            "capacity": DecisionCapacity(capacity).label if capacity else "",
            "refusal": refusal if Relation.SELF not in found else "",
            "sustained_years": SUSTAINED_YEARS,
        },
        status=status,
    )
