"""A person's page: who they are, links to their records the viewer may open, and, for the
trust admin (and a headteacher for their school's people), their roles, line manager, leave
date and the flags that change what they write. Every change goes through an audited
service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from growth.domain.forms import PersonDetailsForm, PersonRoleForm, service_result
from growth.domain.selectors import person_page
from growth.domain.services import (
    PERSON_FLAGS,
    person_details_set,
    person_role_end,
    person_role_give,
)
from growth.models import RoleAssignment, StaffMember
from growth.security.access import (
    Relation,
    access_staff_member,
    get_in_trust_or_404,
    require_staff,
    roles_of,
)

MANAGERS = {Relation.TRUST_ADMIN, Relation.HEADTEACHER}


def _details_initial(subject: StaffMember) -> dict[str, Any]:
    return {
        "line_manager": subject.line_manager_id,
        "leave_date": subject.leave_date,
        **{name: getattr(subject, name) for name in PERSON_FLAGS},
    }


def _page(
    request: HttpRequest,
    subject: StaffMember,
    *,
    role_form: PersonRoleForm | None = None,
    details_form: PersonDetailsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = person_page(viewer=require_staff(request), subject=subject)
    if context["can_give_roles"]:
        context["role_form"] = role_form or PersonRoleForm(trust_id=subject.trust_id)
    if context["can_manage"]:
        context["details_form"] = details_form or PersonDetailsForm(
            initial=_details_initial(subject), trust_id=subject.trust_id, subject=subject
        )
    return render(request, "growth/person.html", context, status=status)


@login_required
def person(request: HttpRequest, public_id: str) -> HttpResponse:
    return _page(request, access_staff_member(request, public_id))


@login_required
@require_POST
def person_role_add(request: HttpRequest, public_id: str) -> HttpResponse:
    subject = access_staff_member(request, public_id, allow={Relation.TRUST_ADMIN})
    form = PersonRoleForm(request.POST, trust_id=subject.trust_id)
    assignment = service_result(
        form,
        lambda: person_role_give(
            actor=require_staff(request),
            staff=subject,
            role=form.cleaned_data["role"],
            school=form.cleaned_data["school"],
        ),
    )
    if assignment is not None:
        messages.success(request, f"{subject.full_name} is now {assignment}.")
        return redirect("person", public_id=subject.public_id)
    return _page(request, subject, role_form=form, status=400)


@login_required
@require_POST
def person_role_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    assignment = get_in_trust_or_404(
        RoleAssignment.objects.select_related("school", "staff_member"),
        request=request,
        public_id=public_id,
    )
    subject = access_staff_member(
        request, assignment.staff_member.public_id, allow={Relation.TRUST_ADMIN}
    )
    try:
        person_role_end(actor=require_staff(request), assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _page(request, subject, status=400)
    messages.success(request, f"{subject.full_name} is no longer {assignment}.")
    return redirect("person", public_id=subject.public_id)


@login_required
@require_POST
def person_details(request: HttpRequest, public_id: str) -> HttpResponse:
    subject = access_staff_member(request, public_id, allow=MANAGERS)
    viewer = require_staff(request)
    if not roles_of(viewer).trust_admin and subject.pk == viewer.pk:
        raise PermissionDenied("Your own details are changed by the trust admin.")
    form = PersonDetailsForm(request.POST, trust_id=subject.trust_id, subject=subject)
    changed = service_result(
        form,
        lambda: person_details_set(
            actor=viewer,
            staff=subject,
            line_manager=form.cleaned_data["line_manager"],
            leave_date=form.cleaned_data["leave_date"],
            **{name: form.cleaned_data[name] for name in PERSON_FLAGS},
        ),
    )
    if changed is not None:
        if changed:
            messages.success(request, f"Saved {subject.full_name}'s details.")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("person", public_id=subject.public_id)
    return _page(request, subject, details_form=form, status=400)
