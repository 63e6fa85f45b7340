from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

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
from standards.models import Descriptor, Framework, SelfReview, Standard

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
    viewer = require_staff(request)
    is_self = Relation.SELF in found
    editable = is_self and not review.is_shared
    context: dict[str, Any] = {
        "review": review,
        "subject": review.staff_member,
        "is_self": is_self,
        "editable": editable,
        "history": [
            r for r in selectors.self_reviews_of(staff=review.staff_member) if r.pk != review.pk
        ]
        if (is_self or review.is_shared)
        else [],
    }
    if not is_self and not review.is_shared:
        return render(request, "standards/self_review_not_shared.html", context, status=status)
    if editable:
        context["form"] = form or SelfReviewForm(review=review)
    else:
        comments = selectors.self_review_comments(review=review)
        context["layout"] = selectors.self_review_layout(review=review, comments=comments)
        context["comments"] = [c for c in comments if not c.standard_id]
        questions = ["strengths", "development_needs"]
        if review.staff_member.category == StaffMember.Category.TEACHING or review.learning_needs:
            questions.append("learning_needs")
        context["reflections"] = [
            (SelfReview._meta.get_field(name).verbose_name, getattr(review, name))
            for name in questions
        ]
        if found & LEADERS and viewer.pk != review.staff_member_id:
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
    staff = require_staff(request)
    form = SelfReviewForm(request.POST, review=review)
    if not form.is_valid():
        if request.htmx:
            # A limit is said with the field's name, as the Save button says it.
            context = {"error": True, "message": " ".join(too_long_messages(form))}
            return render(request, "standards/_autosave_status.html", context, status=400)
        return _review_page(request, review, found, form=form, status=400)
    try:
        services.self_review_save(
            actor=staff,
            review=review,
            ratings=form.ratings(),
            next_steps=form.next_steps(),
            reflections=form.reflections(),
        )
    except services.SelfReviewError as exc:
        if request.htmx:
            return render(
                request,
                "standards/_autosave_status.html",
                {"error": True, "message": str(exc)},
                status=409,
            )
        messages.error(request, str(exc))
        return redirect("standards:self_review", public_id=review.public_id)
    if request.htmx:
        return render(
            request, "standards/_autosave_status.html", {"saved_at": timezone.localtime()}
        )
    if request.POST.get("action") == "share":
        try:
            services.self_review_share(actor=staff, review=review)
        except services.SelfReviewError as exc:
            form.add_error(None, str(exc))
            return _review_page(request, review, found, form=form, status=400)
        messages.success(request, "Your self-review has been shared with your line manager.")
    else:
        messages.success(request, "Your draft has been saved.")
    return redirect("standards:self_review", public_id=review.public_id)


@login_required
@require_POST
def self_review_comment(request: HttpRequest, public_id: str) -> HttpResponse:
    review, found = access_subject_object(request, _review_queryset(), public_id, allow=LEADERS)
    staff = require_staff(request)
    form = CommentForm(request.POST, review=review)
    if form.is_valid():
        try:
            services.self_review_comment(
                actor=staff,
                review=review,
                text=form.cleaned_data["text"],
                standard=form.cleaned_data["standard"],
            )
        except (services.SelfReviewError, ValidationError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
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
    has_descriptors = selectors.framework_has_descriptors(framework=framework)
    filter_form = DescriptorFilterForm(
        request.GET or None,
        framework=framework,
        initial={"stage": staff.career_stage or CareerStage.objects.order_by("order").first()},
    )
    stage = staff.career_stage or CareerStage.objects.order_by("order").first()
    standard_code = ""
    if request.GET and filter_form.is_valid():
        stage = filter_form.cleaned_data["stage"] or stage
        standard_code = filter_form.cleaned_data["standard"]
    next_stage = stage.next_stage if stage else None
    rows = (
        selectors.descriptor_rows(
            framework=framework,
            stage=stage,
            next_stage=next_stage,
            standard_code=standard_code or None,
        )
        if has_descriptors and stage
        else []
    )
    tree = selectors.framework_tree(framework=framework)
    if standard_code:
        tree = [
            selectors.PartGroup(
                part.title, [n for n in part.nodes if n.standard.code == standard_code]
            )
            for part in tree
        ]
        tree = [part for part in tree if part.nodes]
    return render(
        request,
        "standards/framework_detail.html",
        {
            "framework": framework,
            "tree": tree,
            "has_descriptors": has_descriptors,
            "filter_form": filter_form,
            "stage": stage,
            "next_stage": next_stage,
            "rows": rows,
            "standard_code": standard_code,
            "can_edit": framework.trust_id == staff.trust_id and roles_of(staff).trust_admin,
        },
    )


# --- Editing a trust's own frameworks (trust admins) --------------------------------------------


@login_required
def framework_create(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    form = FrameworkForm(request.POST or None, trust_id=staff.trust_id)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_save(actor=staff, framework=None, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
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
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_save(actor=staff, framework=framework, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
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


@login_required
def standard_create(request: HttpRequest, public_id: str) -> HttpResponse:
    staff, framework = _own_framework(request, public_id)
    form = StandardForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_save(
                actor=staff, framework=framework, standard=None, **form.cleaned_data
            )
        except (services.FrameworkEditError, ValidationError) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
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
    current = {
        d.career_stage.code: d.statements
        for d in Descriptor.objects.for_trust(staff.trust_id)
        .filter(standard=standard)
        .select_related("career_stage")
    }
    form = StandardForm(request.POST or None, instance=standard, framework=framework)
    descriptors_form = DescriptorsForm(request.POST or None, current=current, prefix="d")
    if request.method == "POST" and form.is_valid() and descriptors_form.is_valid():
        try:
            services.standard_save(
                actor=staff, framework=framework, standard=standard, **form.cleaned_data
            )
            services.descriptors_save(
                actor=staff, standard=standard, statements=descriptors_form.statements()
            )
        except (services.FrameworkEditError, ValidationError) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
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
