from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from growth.domain.forms import service_result
from growth.domain.selectors import cycle_current
from growth.domain.text import too_long_messages
from growth.models import CareerStage, StaffMember
from growth.security.access import (
    Relation,
    access_staff_member,
    access_subject_object,
    parse_public_id,
    require_role,
    require_staff,
    roles_of,
)
from standards import selectors, services
from standards.forms import (
    CommentForm,
    DescriptorFilterForm,
    DescriptorsForm,
    FrameworkForm,
    FrameworkUploadForm,
    SelfReviewForm,
    StandardForm,
)
from standards.loader import FrameworkFileError
from standards.models import Framework, SelfReview, Standard

LEADERS = {Relation.LINE_MANAGER, Relation.HEADTEACHER, Relation.TRUST_ADMIN}


def _review_queryset() -> Any:
    return SelfReview.objects.select_related(
        "staff_member__user",
        "staff_member__school",
        "staff_member__line_manager__user",
        "cycle",
        "framework",
    ).prefetch_related("ratings")


# --- Self-review -------------------------------------------------------------------------------


@login_required
def my_self_review(request: HttpRequest) -> HttpResponse:
    """The person's self-review for the current cycle (or the button to start it), and the
    self-reviews of earlier cycles."""
    staff = require_staff(request)
    cycle = cycle_current(trust=staff.trust_id)
    history = list(selectors.self_reviews_of(staff=staff))
    current = next((r for r in history if cycle and r.cycle_id == cycle.pk), None)
    if current is not None:
        return redirect("standards:self_review", public_id=current.public_id)
    return render(
        request,
        "standards/my_self_review.html",
        {
            "cycle": cycle,
            "framework": selectors.framework_for(staff=staff),
            "history": history,
        },
    )


@login_required
@require_POST
def self_review_start(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        messages.error(request, "Your trust has not set up a growth cycle yet.")
        return redirect("standards:my_self_review")
    try:
        review = services.self_review_start(actor=staff, staff=staff, cycle=cycle)
    except services.SelfReviewError as exc:
        messages.error(request, str(exc))
        return redirect("standards:my_self_review")
    return redirect("standards:self_review", public_id=review.public_id)


def _review_page(
    request: HttpRequest,
    review: SelfReview,
    found: set[Relation],
    *,
    form: SelfReviewForm | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The self-review as the viewer may see it; ``form`` and ``comment_form`` are forms
    refused and drawn again."""
    viewer = require_staff(request)
    context = selectors.self_review_page(review=review, is_self=Relation.SELF in found)
    if not (context["is_self"] or review.is_shared):
        return render(request, "standards/self_review_not_shared.html", context, status=status)
    if context["editable"]:
        context["form"] = form or SelfReviewForm(review=review)
    elif found & LEADERS and viewer.pk != review.staff_member_id:
        context["comment_form"] = comment_form or CommentForm(review=review)
    return render(request, "standards/self_review.html", context, status=status)


@login_required
def self_review(request: HttpRequest, public_id: str) -> HttpResponse:
    review, found = access_subject_object(request, _review_queryset(), public_id)
    return _review_page(request, review, found)


@login_required
@require_POST
def self_review_save(request: HttpRequest, public_id: str) -> HttpResponse:
    """Save the draft (htmx autosave answers with a status line); "Share" saves, then shares."""
    review, found = access_subject_object(
        request, _review_queryset(), public_id, allow={Relation.SELF}
    )
    form = SelfReviewForm(request.POST, review=review)
    if not form.is_valid():
        if request.htmx:
            # A limit is said with the field's name, as the Save button says it.
            return _autosave_status(request, error=" ".join(too_long_messages(form)), status=400)
        return _review_page(request, review, found, form=form, status=400)
    try:
        form.save(actor=require_staff(request))
    except services.SelfReviewError as exc:
        if request.htmx:
            return _autosave_status(request, error=str(exc), status=409)
        messages.error(request, str(exc))
        return redirect("standards:self_review", public_id=review.public_id)
    if request.htmx:
        return _autosave_status(request)
    if request.POST.get("action") == "share":
        return _share(request, review, found, form)
    messages.success(request, "Your draft has been saved.")
    return redirect("standards:self_review", public_id=review.public_id)


def _autosave_status(
    request: HttpRequest, *, error: str | None = None, status: int = 200
) -> HttpResponse:
    """The autosave's status line: when the draft was saved, or why it was not."""
    if error is None:
        context: dict[str, Any] = {"saved_at": timezone.localtime()}
    else:
        context = {"error": True, "message": error}
    return render(request, "standards/_autosave_status.html", context, status=status)


def _share(
    request: HttpRequest, review: SelfReview, found: set[Relation], form: SelfReviewForm
) -> HttpResponse:
    """Share the draft just saved with the line manager; a refusal is shown on the page."""
    try:
        services.self_review_share(actor=require_staff(request), review=review)
    except services.SelfReviewError as exc:
        form.add_error(None, str(exc))
        return _review_page(request, review, found, form=form, status=400)
    messages.success(request, "Your self-review has been shared with your line manager.")
    return redirect("standards:self_review", public_id=review.public_id)


@login_required
@require_POST
def self_review_comment(request: HttpRequest, public_id: str) -> HttpResponse:
    review, found = access_subject_object(request, _review_queryset(), public_id, allow=LEADERS)
    staff = require_staff(request)
    form = CommentForm(request.POST, review=review)
    comment = service_result(
        form,
        lambda: services.self_review_comment(
            actor=staff,
            review=review,
            text=form.cleaned_data["text"],
            standard=form.cleaned_data["standard"],
        ),
        refusals=(services.SelfReviewError,),
        above=True,
    )
    if comment is not None:
        messages.success(request, "Your comment has been added.")
        return redirect("standards:self_review", public_id=review.public_id)
    return _review_page(request, review, found, comment_form=form, status=400)


@login_required
def person_self_reviews(request: HttpRequest, public_id: str) -> HttpResponse:
    """A person's self-reviews, every cycle, for the people who may read them."""
    subject = access_staff_member(request, public_id)
    return render(
        request,
        "standards/person_self_reviews.html",
        {
            "subject": subject,
            "reviews": selectors.self_reviews_of(staff=subject),
            "is_self": subject.pk == require_staff(request).pk,
        },
    )


# --- Frameworks and descriptors ------------------------------------------------------------------


def _visible_framework(request: HttpRequest, public_id: str) -> Framework:
    staff = require_staff(request)
    framework = (
        selectors.frameworks_visible(trust=staff.trust_id, with_drafts=roles_of(staff).trust_admin)
        .filter(public_id=parse_public_id(public_id))
        .first()
    )
    if framework is None:
        raise Http404("No such page.")
    return framework


def _own_framework(request: HttpRequest, public_id: str) -> tuple[StaffMember, Framework]:
    """A framework the trust admin may edit: their trust's own. Shared ones are 403."""
    framework = _visible_framework(request, public_id)
    staff = require_role(request, trust_admin=True)
    if framework.trust_id != staff.trust_id:
        raise PermissionDenied("Shared frameworks are edited by the platform.")
    return staff, framework


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    return render(
        request,
        "standards/framework_list.html",
        {
            "frameworks": selectors.frameworks_visible(
                trust=staff.trust_id, with_drafts=roles_of(staff).trust_admin
            ),
            "mine": selectors.framework_for(staff=staff),
            "is_trust_admin": roles_of(staff).trust_admin,
        },
    )


@login_required
def framework_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The framework's standards and, where it has them, the descriptors of a career stage
    beside the next stage's ("what good looks like next"), filterable and printable."""
    staff = require_staff(request)
    framework = _visible_framework(request, public_id)
    own_stage = staff.career_stage or CareerStage.objects.order_by("order").first()
    filter_form = DescriptorFilterForm(
        request.GET or None, framework=framework, initial={"stage": own_stage}
    )
    stage, standard_code = filter_form.chosen(own_stage)
    page = selectors.framework_page(framework=framework, stage=stage, standard_code=standard_code)
    return render(
        request,
        "standards/framework_detail.html",
        {
            "framework": framework,
            "filter_form": filter_form,
            "can_edit": framework.trust_id == staff.trust_id and roles_of(staff).trust_admin,
            **page,
        },
    )


# --- Editing a trust's own frameworks (trust admins) --------------------------------------------


@login_required
def framework_create(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    form = FrameworkForm(request.POST or None, trust_id=staff.trust_id)
    framework = service_result(
        form, lambda: services.framework_save(actor=staff, framework=None, **form.cleaned_data)
    )
    if framework is not None:
        messages.success(request, f"{framework.name} has been created. Now add its standards.")
        return redirect("standards:framework_edit", public_id=framework.public_id)
    return render(
        request,
        "standards/framework_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def framework_upload(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_load(
                actor=staff, spec=form.spec, trust=staff.trust, as_draft=True
            )
        except (FrameworkFileError, ValidationError) as exc:
            problems = exc.problems if isinstance(exc, FrameworkFileError) else exc.messages
            form.add_error("file", problems)
        else:
            state = "a draft: publish it when it is ready" if framework.is_draft else "updated"
            messages.success(request, f"{framework.name} has been loaded as {state}.")
            return redirect("standards:framework_edit", public_id=framework.public_id)
    return render(
        request,
        "standards/framework_upload.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def framework_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    staff, framework = _own_framework(request, public_id)
    try:
        services.framework_publish(actor=staff, framework=framework)
    except services.FrameworkEditError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{framework.name} is published: new self-reviews of "
            f"{', '.join(framework.applies_to_labels()).lower()} staff use it.",
        )
    return redirect("standards:framework_edit", public_id=framework.public_id)


@login_required
def framework_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    staff, framework = _own_framework(request, public_id)
    form = FrameworkForm(request.POST or None, instance=framework, trust_id=staff.trust_id)
    saved = service_result(
        form,
        lambda: services.framework_save(actor=staff, framework=framework, **form.cleaned_data),
    )
    if saved is not None:
        messages.success(request, "The framework has been saved.")
        return redirect("standards:framework_edit", public_id=framework.public_id)
    return render(
        request,
        "standards/framework_edit.html",
        {
            "framework": framework,
            "form": form,
            "tree": selectors.framework_tree(framework=framework),
            "standard_form": StandardForm(framework=framework),
        },
        status=400 if request.method == "POST" else 200,
    )


# What a framework's editor may be refused with, beyond a ValidationError.
EDIT_REFUSALS = (services.FrameworkEditError,)


@login_required
def standard_create(request: HttpRequest, public_id: str) -> HttpResponse:
    staff, framework = _own_framework(request, public_id)
    form = StandardForm(request.POST or None, framework=framework)
    standard = service_result(
        form,
        lambda: services.standard_save(
            actor=staff, framework=framework, standard=None, **form.cleaned_data
        ),
        refusals=EDIT_REFUSALS,
    )
    if standard is not None:
        messages.success(request, f"{standard.ref} has been added.")
        return redirect("standards:framework_edit", public_id=framework.public_id)
    return render(
        request,
        "standards/standard_form.html",
        {"framework": framework, "form": form, "standard": None},
        status=400 if request.method == "POST" else 200,
    )


def _own_standard(request: HttpRequest, public_id: str) -> tuple[StaffMember, Standard]:
    staff = require_staff(request)
    standard = (
        Standard.objects.for_trust(staff.trust_id)
        .select_related("framework", "parent")
        .filter(public_id=parse_public_id(public_id))
        .first()
    )
    if standard is None:
        raise Http404("No such page.")
    staff = require_role(request, trust_admin=True)
    if standard.framework.trust_id != staff.trust_id:
        raise PermissionDenied("Shared frameworks are edited by the platform.")
    return staff, standard


@login_required
def standard_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    staff, standard = _own_standard(request, public_id)
    framework = standard.framework
    current = selectors.descriptor_statements(standard=standard)
    form = StandardForm(request.POST or None, instance=standard, framework=framework)
    descriptors_form = DescriptorsForm(request.POST or None, current=current, prefix="d")
    save = partial(_standard_save, staff, standard, form, descriptors_form)
    saved = descriptors_form.is_valid() and service_result(form, save, refusals=EDIT_REFUSALS)
    if saved:
        messages.success(request, f"{standard.ref} has been saved.")
        return redirect("standards:framework_edit", public_id=framework.public_id)
    return render(
        request,
        "standards/standard_form.html",
        {
            "framework": framework,
            "form": form,
            "standard": standard,
            "descriptors_form": descriptors_form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _standard_save(
    staff: StaffMember, standard: Standard, form: StandardForm, descriptors_form: DescriptorsForm
) -> Standard:
    """Save the standard, then its descriptors."""
    saved = services.standard_save(
        actor=staff, framework=standard.framework, standard=standard, **form.cleaned_data
    )
    descriptors_form.save(actor=staff, standard=standard)
    return saved


@login_required
@require_POST
def standard_move(request: HttpRequest, public_id: str) -> HttpResponse:
    staff, standard = _own_standard(request, public_id)
    try:
        services.standard_move(
            actor=staff, standard=standard, direction=request.POST.get("direction", "")
        )
    except services.FrameworkEditError as exc:
        messages.error(request, str(exc))
    return redirect("standards:framework_edit", public_id=standard.framework.public_id)


@login_required
@require_POST
def standard_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    staff, standard = _own_standard(request, public_id)
    try:
        services.standard_delete(actor=staff, standard=standard)
    except services.FrameworkEditError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{standard.ref} has been removed.")
    return redirect("standards:framework_edit", public_id=standard.framework.public_id)
