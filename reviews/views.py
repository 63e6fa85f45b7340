from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from growth.domain.audit import audit_read
from growth.domain.selectors import cycle_current
from growth.domain.text import too_long_messages
from growth.models import GrowthCycle, School
from growth.security.access import (
    Relation,
    access_staff_member,
    get_in_trust_or_404,
    require_role,
    require_staff,
    roles_of,
)
from reviews import rubric, selectors, services
from reviews.forms import (
    AcknowledgeForm,
    DecisionForm,
    JulyReflectionForm,
    OutcomeKeyForm,
    PlacementForm,
    WritingFrameForm,
    statement_form_class,
)
from reviews.models import Review, SchoolZip, StatementPdf
from reviews.pdf import content_hash, statement_context

LEADERS = {
    Relation.LINE_MANAGER,
    Relation.REVIEWER,
    Relation.HEADTEACHER,
    Relation.DECIDER,
    Relation.TRUST_ADMIN,
}
READERS = {Relation.SELF, Relation.ADVISER, *LEADERS}
COMMENTERS = {Relation.ADVISER, Relation.REVIEWER, Relation.DECIDER}
WRITERS = {Relation.REVIEWER}
DECIDERS = {Relation.HEADTEACHER, Relation.DECIDER}


def _review(
    request: HttpRequest, public_id: Any, *, allow: set[Relation]
) -> tuple[Review, set[Relation]]:
    """A review the viewer may see. The person themselves sees nothing of it before release,
    whatever other role they hold (a headteacher's own review, a trust admin's): an
    unreleased review is "not there" for them (404), as for a stranger."""
    staff = require_staff(request)
    review = get_in_trust_or_404(
        selectors.review_queryset(trust=staff.trust_id), request=request, public_id=public_id
    )
    found = selectors.review_relations(viewer=staff, review=review)
    if not found or (Relation.SELF in found and not review.is_released):
        raise Http404("No such page.")
    if not (found & allow):
        raise PermissionDenied("Your role does not allow this.")
    return review, found


def _shows_capability_note(review: Review, found: set[Relation]) -> bool:
    """Cell 1 "may be on capability process" is for the headteacher (or whoever decides in
    their place) and HR only (seed 002; issue 17): never the person, their reviewer or an
    adviser."""
    return (
        review.cell == 1
        and Relation.SELF not in found
        and bool(found & {Relation.HEADTEACHER, Relation.DECIDER, Relation.TRUST_ADMIN})
    )


def _redirect_if_locked(request: HttpRequest, review: Review, message: str) -> HttpResponse | None:
    """Once the final decision is made, the pages that lead to it say so and show the review."""
    if not review.is_locked:
        return None
    messages.info(request, message)
    return redirect("reviews:detail", public_id=review.public_id)


def _status(form: Any) -> int:
    return 400 if form.errors else 200


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


# --- Lists ---


@login_required
def index(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    cycle = cycle_current(trust=staff.trust_id)
    to_write = selectors.reviews_to_write(reviewer=staff, cycle=cycle) if cycle else []
    return render(
        request,
        "reviews/index.html",
        {
            "cycle": cycle,
            "to_write": to_write,
            "mine": selectors.released_reviews_of(staff=staff),
            "roles": roles_of(staff),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, public_id: Any) -> HttpResponse:
    viewer = require_staff(request)
    person = access_staff_member(request, public_id, allow={Relation.LINE_MANAGER})
    cycle = cycle_current(trust=viewer.trust_id)
    if cycle is None:
        raise Http404("No growth cycle.")
    try:
        review = services.review_start(actor=viewer, staff_member=person, cycle=cycle)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(_errors(exc))) from exc
    return redirect("reviews:placement", public_id=review.public_id)


# --- Placement ---


@login_required
def placement(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, _ = _review(request, public_id, allow=WRITERS)
    if locked := _redirect_if_locked(
        request, review, "The final decision has been made: the placement is locked."
    ):
        return locked
    page = selectors.placement_page(review)
    form = PlacementForm(request.POST or None, review=review)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.place(actor=require_staff(request), review=review, suggestion=page["suggestion"])
    ):
        messages.success(request, "Placement saved.")
        return redirect("reviews:statement", public_id=review.public_id)
    return render(
        request,
        "reviews/placement.html",
        {"review": review, "form": form, "chosen": str(form["cell"].value() or ""), **page},
        status=_status(form),
    )


# --- Statement ---


STATEMENT_SAVED = {
    "fill": "Part 1 filled from the frame. Edit it freely.",
    "save": "Draft saved.",
    "submit": "Sent to the headteacher for the final decision.",
}


@login_required
def statement(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, _ = _review(request, public_id, allow=WRITERS)
    viewer = require_staff(request)
    if request.method == "GET":
        audit_read(viewer=viewer, obj=review, subject=review.staff_member)
    if locked := _redirect_if_locked(
        request, review, "The final decision has been made: the statement is locked."
    ):
        return locked
    if not review.cell:
        messages.info(request, "Place the person on the grid first.")
        return redirect("reviews:placement", public_id=review.public_id)
    page = selectors.statement_page(review)
    form = statement_form_class(page["slots"])(request.POST or None, review=review)
    action = request.POST.get("action", "save")
    if (
        request.method == "POST"
        and form.is_valid()
        and form.save(actor=viewer, review=review, action=action)
    ):
        messages.success(request, STATEMENT_SAVED[action])
        target = "reviews:detail" if action == "submit" else "reviews:statement"
        return redirect(target, public_id=review.public_id)
    context = {"review": review, "form": form, **page}
    return render(request, "reviews/statement.html", context, status=_status(form))


@login_required
@require_POST
def autosave(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, _ = _review(request, public_id, allow=WRITERS)
    viewer = require_staff(request)
    if review.is_locked or not review.cell:
        error = "the statement is locked."
        return render(request, "reviews/_autosave.html", {"error": error}, status=409)
    form = statement_form_class(selectors.statement_slots(review))(request.POST)
    # The Save button's limits, said the same way: an autosave never cuts text to fit.
    too_long = too_long_messages(form)
    if too_long:
        return render(request, "reviews/_autosave.html", {"error": " ".join(too_long)}, status=400)
    version = services.statement_save(
        actor=viewer,
        review=review,
        part1=request.POST.get("part1", ""),
        frame_choices=form.frame_choices(),
        autosave=True,
    )
    return render(
        request, "reviews/_autosave.html", {"saved_at": timezone.now(), "version": version}
    )


@login_required
def versions(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, _ = _review(request, public_id, allow=LEADERS)
    rows = review.versions.select_related("saved_by__user").order_by("-number")
    return render(request, "reviews/versions.html", {"review": review, "versions": rows})


# --- Reading, acknowledging, PDF ---


@login_required
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, found = _review(request, public_id, allow=READERS)
    viewer = require_staff(request)
    audit_read(viewer=viewer, obj=review, subject=review.staff_member)
    return render(
        request,
        "reviews/detail.html",
        {
            "review": review,
            "is_self": Relation.SELF in found,
            "is_reviewer": Relation.REVIEWER in found,
            "is_head": bool(found & DECIDERS)
            and selectors.may_decide(viewer=viewer, review=review),
            "show_capability_note": _shows_capability_note(review, found),
            "can_comment": bool(found & COMMENTERS) and Relation.SELF not in found,
            "ack_form": AcknowledgeForm(),
            **selectors.detail_page(review),
        },
    )


@login_required
@require_POST
def comment(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, _ = _review(request, public_id, allow=COMMENTERS)
    viewer = require_staff(request)
    try:
        services.review_comment_add(
            actor=viewer, review=review, body=request.POST.get("body", "")[:4001]
        )
    except ValidationError as exc:
        messages.error(request, "Your comment: " + " ".join(_errors(exc)))
    else:
        messages.success(request, "Comment added.")
    return redirect("reviews:detail", public_id=review.public_id)


@login_required
@require_POST
def acknowledge(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, _ = _review(request, public_id, allow={Relation.SELF})
    viewer = require_staff(request)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.review_acknowledge(
                actor=viewer, review=review, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, "Thank you: your acknowledgement is recorded.")
        return redirect("reviews:detail", public_id=review.public_id)
    messages.error(request, "Your comment: " + " ".join(form.errors.get("comment", [])))
    return redirect("reviews:detail", public_id=review.public_id)


def _pdf_for(request: HttpRequest, public_id: Any) -> tuple[Review, StatementPdf]:
    review, _ = _review(request, public_id, allow=READERS)
    if not review.cell:
        raise Http404("Nothing to print yet.")
    digest = content_hash(statement_context(review))
    pdf = selectors.latest_pdf(review=review, content_hash=digest)
    if pdf is None or pdf.status == StatementPdf.Status.FAILED:
        pdf = services.statement_pdf_request(review=review)
        pdf.refresh_from_db()
    return review, pdf


@login_required
def pdf_download(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, pdf = _pdf_for(request, public_id)
    if pdf.status == StatementPdf.Status.READY and pdf.file:
        audit_read(
            viewer=request.staff, obj=pdf, subject=review.staff_member, action="reviews.pdf.read"
        )
        filename = services._pdf_name(review)
        return FileResponse(
            default_storage.open(pdf.file.name, "rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf",
        )
    return render(request, "reviews/pdf_wait.html", {"review": review, "pdf": pdf}, status=202)


@login_required
def pdf_status(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, pdf = _pdf_for(request, public_id)
    return render(request, "reviews/_pdf_status.html", {"review": review, "pdf": pdf})


# --- Final decision ---


@login_required
def decide(request: HttpRequest, public_id: Any) -> HttpResponse:
    review, _ = _review(request, public_id, allow=DECIDERS)
    viewer = require_staff(request)
    if locked := _redirect_if_locked(request, review, "The final decision is already recorded."):
        return locked
    capacity, refusal = selectors.decision_capacity_or_none(
        actor=viewer, reviewee=review.staff_member, reviewer=review.reviewer
    )
    if capacity is None:
        # A head who wrote the review, say: yours, but not your decision. Say whose it is.
        context = {"review": review, "refusal": refusal}
        return render(request, "reviews/decide_refused.html", context, status=403)
    # Bound on any POST, even an empty one: that is refused as incomplete, not shown afresh.
    data = request.POST if request.method == "POST" else None
    form = DecisionForm(data, initial={"outcome": review.placed_outcome})
    if form.is_bound and form.is_valid() and form.decide(actor=viewer, review=review):
        messages.success(
            request,
            f"Final decision recorded for {review.staff_member.full_name}; "
            "the statement is locked and released to them.",
        )
        return redirect("reviews:moderation")
    context = {"review": review, "form": form, **selectors.decision_page(review, capacity)}
    return render(request, "reviews/decide.html", context, status=400 if form.is_bound else 200)


def _cycle(request: HttpRequest) -> GrowthCycle:
    staff = require_staff(request)
    cycle = cycle_current(trust=staff.trust_id)
    if cycle is None:
        raise Http404("No growth cycle.")
    return cycle


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, headteacher=True)
    cycle = _cycle(request)
    schools = list(
        School.objects.for_trust(staff.trust_id).filter(pk__in=roles_of(staff).headteacher_of)
    )
    outcome = request.GET.get("outcome", "")
    if outcome not in rubric.OUTCOMES:
        outcome = ""
    data = selectors.moderation_for(schools=schools, cycle=cycle, outcome=outcome, viewer=staff)
    zips = {
        school.pk: selectors.school_zip_latest(school=school, cycle=cycle) for school in schools
    }
    return render(
        request,
        "reviews/moderation.html",
        {
            "cycle": cycle,
            "schools": [(s, zips[s.pk]) for s in schools],
            "data": data,
            "outcome": outcome,
            "outcome_choices": rubric.OUTCOME_CHOICES,
            "viewer": staff,
        },
    )


@login_required
def passed(request: HttpRequest) -> HttpResponse:
    """The designated decider's list: reviews whose final decision has passed to them."""
    staff = require_staff(request)
    if not roles_of(staff).designated_decider:
        raise PermissionDenied("Only the trust's designated decider has this list.")
    cycle = _cycle(request)
    from reviews import pay_selectors

    return render(
        request,
        "reviews/passed.html",
        {
            "cycle": cycle,
            "reviews": selectors.passed_to(decider=staff, cycle=cycle),
            "pay_reviews": pay_selectors.pay_passed_to(decider=staff, cycle=cycle),
            "ups": [
                a
                for a in pay_selectors.ups_for_decider(decider=staff, cycle=cycle)
                if a.staff_member.school_id not in roles_of(staff).headteacher_of
            ],
        },
    )


@login_required
@require_POST
def zip_request(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, headteacher=True)
    cycle = _cycle(request)
    school = get_in_trust_or_404(
        School.objects.filter(pk__in=roles_of(staff).headteacher_of),
        request=request,
        public_id=request.POST.get("school"),
    )
    bundle = services.school_zip_request(actor=staff, school=school, cycle=cycle)
    return redirect("reviews:zip_status", public_id=bundle.public_id)


def _zip(request: HttpRequest, public_id: Any) -> SchoolZip:
    staff = require_staff(request)
    bundle = get_in_trust_or_404(SchoolZip, request=request, public_id=public_id)
    if bundle.school_id not in roles_of(staff).headteacher_of:
        raise Http404("No such page.")
    return bundle


@login_required
def zip_status(request: HttpRequest, public_id: Any) -> HttpResponse:
    bundle = _zip(request, public_id)
    template = "reviews/_zip_progress.html" if request.htmx else "reviews/zip_status.html"
    return render(request, template, {"bundle": bundle})


@login_required
def zip_download(request: HttpRequest, public_id: Any) -> HttpResponse:
    bundle = _zip(request, public_id)
    if bundle.status != SchoolZip.Status.READY or not bundle.file:
        raise Http404("The zip is not ready.")
    return FileResponse(
        default_storage.open(bundle.file.name, "rb"),
        as_attachment=True,
        filename=f"statements-{bundle.cycle.name}.zip",
        content_type="application/zip",
    )


@login_required
def calibration(request: HttpRequest) -> HttpResponse:
    require_role(request, trust_admin=True)
    cycle = _cycle(request)
    page, reviewers = selectors.calibration_by_reviewer(cycle=cycle, page=request.GET.get("page"))
    return render(
        request,
        "reviews/calibration.html",
        {
            "cycle": cycle,
            "rows": selectors.calibration_for(cycle=cycle),
            "reviewers": reviewers,
            "page_obj": page,
            "labels": [*rubric.OUTCOME_CHOICES, ("unplaced", "Not placed")],
        },
    )


# --- Trust settings: outcome key and writing frames ---


@login_required
def settings_key(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    key = selectors.outcome_key(trust=staff.trust_id)
    if request.method == "POST":
        form = OutcomeKeyForm(request.POST, key=key)
        if form.is_valid():
            services.outcome_key_update(actor=staff, trust=staff.trust, key=form.key())
            messages.success(request, "Outcome key saved.")
            return redirect("reviews:settings_key")
        return render(request, "reviews/settings_key.html", {"form": form}, status=400)
    return render(request, "reviews/settings_key.html", {"form": OutcomeKeyForm(key=key)})


@login_required
def settings_frames(request: HttpRequest) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    return render(
        request,
        "reviews/settings_frames.html",
        {"frames": selectors.frames_for(trust=staff.trust_id)},
    )


@login_required
def settings_frame(request: HttpRequest, part: int, cell: int) -> HttpResponse:
    staff = require_role(request, trust_admin=True)
    if (part, cell) not in {(1, c) for c in rubric.CELLS} | {(2, 0)}:
        raise Http404("No such frame.")
    page = selectors.frame_page(trust=staff.trust_id, part=part, cell=cell)
    if request.POST.get("action") == "reset":
        services.writing_frame_reset(actor=staff, trust=staff.trust, part=part, cell=cell)
        messages.success(request, "The frame is back to the guide's default.")
        return redirect("reviews:settings_frames")
    data = request.POST if request.method == "POST" else None
    form = WritingFrameForm(data, initial=WritingFrameForm.initial_from(page["frame"]))
    if (
        form.is_bound
        and form.is_valid()
        and form.save(actor=staff, trust=staff.trust, part=part, cell=cell)
    ):
        messages.success(request, "Writing frame saved for your trust.")
        return redirect("reviews:settings_frames")
    context = {"form": form, **page}
    return render(
        request, "reviews/settings_frame.html", context, status=400 if form.is_bound else 200
    )


# --- July reflection ---


@login_required
def reflection(request: HttpRequest) -> HttpResponse:
    staff = require_staff(request)
    cycle = _cycle(request)
    objectives, existing, ratings = selectors.objectives_with_reflection(staff=staff, cycle=cycle)
    form = JulyReflectionForm(
        request.POST or None, objectives=objectives, reflection=existing, ratings=ratings
    )
    submit = request.POST.get("action") == "submit"
    if (
        request.method == "POST"
        and form.is_valid()
        and form.save(actor=staff, cycle=cycle, submit=submit)
    ):
        messages.success(request, "Your July reflection is saved.")
        return redirect("reviews:reflection")
    context = {
        "cycle": cycle,
        "form": form,
        "reflection": existing,
        **selectors.reflection_state(staff=staff, cycle=cycle),
    }
    return render(request, "reviews/reflection.html", context, status=_status(form))
