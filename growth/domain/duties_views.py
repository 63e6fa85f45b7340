"""The trust admin's "Who decides" page: the designated decider, deputies acting for absent
headteachers, and who reviews and advises each headteacher or manager (issue 17)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from growth.domain.forms import DutyRoleForm, LeaderReviewForm
from growth.domain.selectors import DUTY_ROLES, trust_duties_page
from growth.domain.services import role_assign, role_revoke
from growth.models import RoleAssignment, StaffMember
from growth.security.access import get_in_trust_or_404, require_role


def _page(
    request: HttpRequest, *, role_form: DutyRoleForm | None = None, status: int = 200
) -> HttpResponse:
    trust_id = require_role(request, trust_admin=True).trust_id
    page = trust_duties_page(trust=trust_id)
    leaders = [
        {
            **row,
            "form": LeaderReviewForm.as_arranged(
                trust_id=trust_id, leader=row["leader"], arrangement=row["arrangement"]
            ),
        }
        for row in page["leaders"]
    ]
    return render(
        request,
        "growth/trust_duties.html",
        {
            "roles": page["roles"],
            "role_form": role_form or DutyRoleForm(trust_id=trust_id),
            "leaders": leaders,
        },
        status=status,
    )


@login_required
def trust_duties(request: HttpRequest) -> HttpResponse:
    admin = require_role(request, trust_admin=True)
    if request.method != "POST":
        return _page(request)
    form = DutyRoleForm(request.POST, trust_id=admin.trust_id)
    if not form.is_valid():
        return _page(request, role_form=form, status=400)
    data = form.cleaned_data
    try:
        role_assign(actor=admin, staff=data["staff"], role=data["role"], school=data["school"])
    except ValidationError as exc:
        form.add_error(None, " ".join(exc.messages))
        return _page(request, role_form=form, status=400)
    messages.success(request, f"{data['staff'].full_name} now holds that role.")
    return redirect("trust_duties")


@login_required
@require_POST
def trust_duty_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    # Another trust's id is "not there" (404) before it is "not your role" (403).
    assignment = get_in_trust_or_404(
        RoleAssignment.objects.filter(role__in=DUTY_ROLES).select_related("staff_member__user"),
        request=request,
        public_id=public_id,
    )
    admin = require_role(request, trust_admin=True)
    role_revoke(actor=admin, assignment=assignment)
    messages.success(request, f"{assignment.staff_member.full_name} no longer holds that role.")
    return redirect("trust_duties")


def _headteacher(request: HttpRequest, public_id: str) -> StaffMember:
    """The headteacher or manager the address names (404 for anyone else)."""
    return get_in_trust_or_404(
        StaffMember.objects.filter(roles__role=RoleAssignment.Role.HEADTEACHER)
        .distinct()
        .select_related("user"),
        request=request,
        public_id=public_id,
    )


@login_required
@require_POST
def trust_leader_review(request: HttpRequest, public_id: str) -> HttpResponse:
    leader = _headteacher(request, public_id)
    admin = require_role(request, trust_admin=True)
    form = LeaderReviewForm(request.POST, trust_id=admin.trust_id, leader=leader)
    if not form.is_valid():
        errors = " ".join(e for errs in form.errors.values() for e in errs)
        messages.error(request, f"{leader.full_name}: {errors}")
        return _page(request, status=400)
    try:
        form.save(actor=admin)
    except ValidationError as exc:
        messages.error(request, f"{leader.full_name}: " + " ".join(exc.messages))
        return redirect("trust_duties")
    messages.success(request, f"Saved who reviews {leader.full_name}.")
    return redirect("trust_duties")
