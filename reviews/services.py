"""Writes of the reviews app. Every function is keyword-only, atomic and audited."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from growth.domain.audit import audit_record, audited_change, snapshot
from growth.domain.duties import DutyRefused, decision_capacity, leader_reviewer, leads_own_school
from growth.domain.text import without_nul
from growth.models import GrowthCycle, School, StaffMember, Trust
from growth.reporting.progress import progress_refresh
from growth.security.access import Relation, relations
from reviews import frames, rubric
from reviews.models import (
    JulyReflection,
    ObjectiveReflection,
    OutcomeKeyEntry,
    Review,
    ReviewComment,
    SchoolZip,
    StatementPdf,
    StatementVersion,
    WritingFrame,
)
from reviews.pdf import content_hash, render_pdf, statement_context
from reviews.selectors import (
    REVIEW_RELATED,
    frame_for,
    outcome_key,
    reflection_window_open,
    review_evidence_missing,
)

# Autosaves by the same person within this gap fold into one kept version.
VERSION_GAP = dt.timedelta(minutes=10)


class ReviewLocked(ValidationError):
    def __init__(self) -> None:
        super().__init__("The final decision has been made: this statement is locked.")


def _require_unlocked(review: Review) -> None:
    if review.is_locked:
        raise ReviewLocked()


def _require_reviewer(actor: StaffMember, review: Review) -> None:
    """Only the review's reviewer places the person and writes the statement: nobody places
    their own outcome or writes their own review."""
    if actor.pk == review.staff_member_id:
        raise DutyRefused(
            "Nobody places or writes their own review: your reviewer does.", code="own_review"
        )
    if actor.pk != review.reviewer_id:
        raise DutyRefused(
            f"Only the reviewer, {review.reviewer.full_name}, places the person and writes "
            "the statement.",
            code="not_reviewer",
        )


# --- The trust's key and frames ---


@transaction.atomic
def outcome_key_update(*, actor: StaffMember, trust: Trust, key: Mapping[int, str]) -> dict:
    """Store the trust's key: only cells that differ from the default get a row."""
    before = outcome_key(trust=trust)
    for cell in rubric.CELLS:
        outcome = key.get(cell, rubric.DEFAULT_OUTCOME_KEY[cell])
        if outcome not in rubric.OUTCOMES:
            raise ValidationError({f"cell_{cell}": "Choose an outcome."})
        rows = OutcomeKeyEntry.objects.for_trust(trust)
        if outcome == rubric.DEFAULT_OUTCOME_KEY[cell]:
            rows.filter(cell=cell).delete()
        else:
            rows.update_or_create(trust=trust, cell=cell, defaults={"outcome": outcome})
    after = outcome_key(trust=trust)
    if before != after:
        marker = OutcomeKeyEntry(trust=trust, cell=0)
        audit_record(
            trust=trust,
            actor=actor,
            action="reviews.outcome_key.update",
            obj=marker,
            before={str(k): v for k, v in before.items()},
            after={str(k): v for k, v in after.items()},
        )
    return after


@transaction.atomic
def writing_frame_save(
    *, actor: StaffMember, trust: Trust, part: int, cell: int, body: str, slots: dict
) -> WritingFrame:
    frame = WritingFrame.objects.unscoped().filter(trust=trust, part=part, cell=cell).first()
    before = snapshot(frame) if frame else None
    frame = frame or WritingFrame(trust=trust, part=part, cell=cell)
    frame.body = body.strip()
    frame.slots = slots
    frame.full_clean()
    frame.save()
    audit_record(
        trust=trust,
        actor=actor,
        action="reviews.frame.save",
        obj=frame,
        before=before,
        after=snapshot(frame),
    )
    return frame


@transaction.atomic
def writing_frame_reset(*, actor: StaffMember, trust: Trust, part: int, cell: int) -> None:
    frame = WritingFrame.objects.unscoped().filter(trust=trust, part=part, cell=cell).first()
    if frame is None:
        return
    audit_record(
        trust=trust, actor=actor, action="reviews.frame.reset", obj=frame, before=snapshot(frame)
    )
    frame.delete()


# --- July reflection


@transaction.atomic
def july_reflection_save(
    *,
    actor: StaffMember,
    cycle: GrowthCycle,
    ratings: Mapping[int, tuple[str, str]],
    impact_self: str,
    impact_others: str,
    impact_trust: str,
    submit: bool = False,
    today: dt.date | None = None,
) -> JulyReflection:
    """The person rates each of their objectives (by objective id: rating, evidence) and says
    what impact they had, within the cycle's July window (``today``: the day it is written,
    for the demo trust's past cycle; the real day otherwise)."""
    from objectives.selectors import objectives_of

    if not reflection_window_open(cycle, today):
        raise ValidationError(
            "The July reflection is open from "
            f"{cycle.reflection_opens:%-d %b %Y} to {cycle.reflection_closes:%-d %b %Y}."
        )
    decided = Review.objects.for_trust(actor.trust_id).filter(
        staff_member=actor, cycle=cycle, status=Review.Status.DECIDED
    )
    if decided.exists():
        raise ReviewLocked()
    objectives = {o.pk: o for o in objectives_of(staff=actor, cycle=cycle)}
    errors: dict[str, str] = {}
    if set(ratings) - set(objectives):
        raise ValidationError("That objective is not one of yours for this cycle.")
    valid = set(ObjectiveReflection.Rating.values)
    for pk, objective in objectives.items():
        rating = ratings.get(pk, ("", ""))[0]
        if rating and rating not in valid:
            errors[f"rating_{objective.public_id}"] = "Choose met, partially met or not met."
        elif submit and not rating:
            errors[f"rating_{objective.public_id}"] = (
                f"{objective.get_area_display()}: choose met, partially met or not met."
            )
    if errors:
        raise ValidationError(errors)
    reflection, _ = JulyReflection.objects.for_trust(actor.trust_id).get_or_create(
        trust_id=actor.trust_id, staff_member=actor, cycle=cycle
    )
    before = snapshot(reflection)
    reflection.impact_self = impact_self.strip()
    reflection.impact_others = impact_others.strip()
    reflection.impact_trust = impact_trust.strip()
    if submit:
        reflection.submitted_at = timezone.now()
    reflection.full_clean()
    reflection.save()
    existing = {r.objective_id: r for r in reflection.objective_ratings.all()}
    for pk, (rating, evidence) in ratings.items():
        row = existing.get(pk)
        if not rating:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = ObjectiveReflection(
                trust_id=actor.trust_id, reflection=reflection, objective_id=pk
            )
        row.rating = rating
        row.evidence = evidence.strip()
        row.full_clean()
        row.save()
    audit_record(
        trust=actor.trust_id,
        actor=actor,
        action="reviews.reflection.submit" if submit else "reviews.reflection.save",
        obj=reflection,
        subject=actor,
        before=before,
        after={
            **snapshot(reflection),
            "ratings": {str(pk): list(value) for pk, value in ratings.items()},
        },
    )
    progress_refresh(people=[actor], cycle=cycle)
    return reflection


# --- Placement and statement ---


@transaction.atomic
def review_start(*, actor: StaffMember, staff_member: StaffMember, cycle: GrowthCycle) -> Review:
    """The line manager opens the review of a direct report (idempotent). A headteacher's
    or manager's review is written by the reviewer the trust names (their line manager by
    default)."""
    if actor.pk == staff_member.pk:
        raise DutyRefused("Nobody writes their own review.", code="own_review")
    if leads_own_school(staff_member):
        named = leader_reviewer(staff_member)
        if named is None or named.pk != actor.pk:
            raise DutyRefused(
                "A headteacher's or manager's review is written by the reviewer the trust "
                f"names{f' ({named.full_name})' if named else ''}.",
                code="not_reviewer",
            )
    elif Relation.LINE_MANAGER not in relations(actor, staff_member):
        raise ValidationError("Only the person's line manager writes their review.")
    review = (
        Review.objects.for_trust(staff_member.trust_id)
        .filter(staff_member=staff_member, cycle=cycle)
        .first()
    )
    if review is not None:
        return review
    review = Review(trust_id=staff_member.trust_id, staff_member=staff_member, cycle=cycle)
    review.reviewer = actor
    review.full_clean()
    review.save()
    audit_record(
        trust=review.trust_id,
        actor=actor,
        action="reviews.review.start",
        obj=review,
        subject=staff_member,
        after=snapshot(review),
    )
    progress_refresh(people=[staff_member], cycle=cycle)
    return review


@transaction.atomic
def review_place(
    *,
    actor: StaffMember,
    review: Review,
    cell: int,
    suggested_engagement: int | None,
    evidence: list[str],
    override_reason: str = "",
    consulted_on: dt.date | None = None,
    consulted_note: str = "",
) -> Review:
    """Place the person on the grid. The outcome follows from the trust's key; overriding the
    suggested engagement needs a reason; Not met needs the headteacher consulted first."""
    _require_reviewer(actor, review)
    _require_unlocked(review)
    if cell not in rubric.CELLS:
        raise ValidationError({"cell": "Choose a cell from 1 to 10."})
    errors: dict[str, str] = {}
    override_reason = override_reason.strip()
    if (
        suggested_engagement is not None
        and rubric.engagement_of(cell) != suggested_engagement
        and not override_reason
    ):
        errors["override_reason"] = (
            "This placement differs from the suggested engagement level "
            f"({rubric.ENGAGEMENT_SHORT[suggested_engagement]}): give a reason."
        )
    if cell == 1 and not consulted_on:
        errors["consulted_on"] = (
            "Not met: record when you consulted the headteacher before entering it."
        )
    if consulted_on and consulted_on > timezone.localdate():
        errors["consulted_on"] = "The consultation date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    overridden = (
        suggested_engagement is not None and rubric.engagement_of(cell) != suggested_engagement
    )
    _change(
        review,
        actor=actor,
        action="reviews.review.place",
        cell=cell,
        suggested_engagement=suggested_engagement,
        engagement_evidence=evidence,
        engagement_override_reason=override_reason if overridden else "",
        headteacher_consulted_on=consulted_on if cell == 1 else None,
        headteacher_consulted_note=consulted_note.strip() if cell == 1 else "",
        placed_outcome=outcome_key(trust=review.trust_id)[cell],
        placed_at=timezone.now(),
    )
    progress_refresh(people=[review.staff_member], cycle=review.cycle)
    return review


def _change(review: Review, *, actor: StaffMember, action: str, **changes: Any) -> None:
    """Change, validate and save a review, recording the change against its subject."""
    audited_change(
        review,
        actor=actor,
        action=action,
        subject=review.staff_member,
        changes=changes,
        always=True,
    )


def statement_fill(*, review: Review, choices: Mapping[str, Any]) -> tuple[str, dict]:
    """Part 1 from the cell's writing frame and the reviewer's choices (no write)."""
    if not review.cell:
        raise ValidationError("Place the person on the grid first.")
    frame = frame_for(trust=review.trust_id, part=1, cell=review.cell)
    slots = frames.parse_slots(frame.body, frame.slots)
    cleaned = frames.clean_choices(slots, choices)
    return frames.render_frame(frame.body, slots, cleaned, outcome=review.placed_outcome), cleaned


@transaction.atomic
def statement_save(
    *,
    actor: StaffMember,
    review: Review,
    part1: str,
    frame_choices: dict | None = None,
    considers_objectives: bool | None = None,
    considers_job_description: bool | None = None,
    considers_standards: bool | None = None,
    autosave: bool = False,
) -> StatementVersion | None:
    """Save the draft and keep a version when the text changed. Returns the version touched."""
    _require_reviewer(actor, review)
    _require_unlocked(review)
    # Lock the row so two autosaves cannot both take the next version number, and re-check
    # the lock against a decision made since this request loaded the review.
    status = (
        Review.objects.for_trust(review.trust_id)
        .select_for_update()
        .values_list("status", flat=True)
        .get(pk=review.pk)
    )
    if status == Review.Status.DECIDED:
        raise ReviewLocked()
    before = snapshot(review, ["part1", "frame_choices"])
    # An autosave stores what was typed, unvalidated: keep all of it that can be stored.
    review.part1 = without_nul(part1).replace("\r\n", "\n").strip()
    if frame_choices is not None:
        review.frame_choices = without_nul(frame_choices)
    for name, value in (
        ("considers_objectives", considers_objectives),
        ("considers_job_description", considers_job_description),
        ("considers_standards", considers_standards),
    ):
        if value is not None:
            setattr(review, name, value)
    review.full_clean()
    review.save()
    # Here, not at the end: an autosave folded into the last version returns early, and the
    # text it saved may have emptied or begun the statement.
    progress_refresh(people=[review.staff_member], cycle=review.cycle)
    latest = review.versions.order_by("-number").first()
    if latest is not None and latest.part1 == review.part1 and latest.cell == review.cell:
        return latest
    now = timezone.now()
    if (
        autosave
        and latest is not None
        and latest.autosaved
        and latest.saved_by_id == actor.pk
        and now - latest.updated_at < VERSION_GAP
    ):
        latest.part1 = review.part1
        latest.frame_choices = review.frame_choices
        latest.cell = review.cell
        latest.save(update_fields=["part1", "frame_choices", "cell", "updated_at"])
        return latest
    version = StatementVersion.objects.for_trust(review.trust_id).create(
        trust_id=review.trust_id,
        review=review,
        number=(latest.number + 1) if latest else 1,
        cell=review.cell,
        frame_choices=review.frame_choices,
        part1=review.part1,
        saved_by=actor,
        autosaved=autosave,
    )
    audit_record(
        trust=review.trust_id,
        actor=actor,
        action="reviews.statement.autosave" if autosave else "reviews.statement.save",
        obj=review,
        subject=review.staff_member,
        before=before,
        after=snapshot(review, ["part1", "frame_choices"]),
    )
    return version


STATEMENT_ACTIONS = ("fill", "save", "submit")


def statement_update(
    *,
    actor: StaffMember,
    review: Review,
    action: str,
    part1: str,
    frame_choices: dict,
    early_reason: str = "",
    early_reason_text: str = "",
    **considers: bool,
) -> None:
    """The statement page's three buttons: fill part 1 from the frame and save, save the
    draft, or save it and submit the review. Not one transaction: the draft is kept even when
    the submission is refused (it says what is missing)."""
    if action not in STATEMENT_ACTIONS:
        raise ValidationError("Choose fill, save or submit.")
    if action == "fill":
        part1, frame_choices = statement_fill(review=review, choices=frame_choices)
    statement_save(
        actor=actor, review=review, part1=part1, frame_choices=frame_choices, **considers
    )
    if action == "submit":
        review_submit(
            actor=actor,
            review=review,
            early_reason=early_reason,
            early_reason_text=early_reason_text,
        )


@transaction.atomic
def review_submit(
    *,
    actor: StaffMember,
    review: Review,
    early_reason: str = "",
    early_reason_text: str = "",
    today: dt.date | None = None,
) -> Review:
    """The reviewer sends the placement and statement for the final decision. Before the
    review window, or without the July reflection, that needs a reason from the fixed list;
    the evidence then missing is kept with the review for the head to see."""
    _require_reviewer(actor, review)
    _require_unlocked(review)
    errors: dict[str, str] = {}
    needs_reason, missing = review_evidence_missing(review, today)
    early_reason_text = without_nul(early_reason_text).strip()
    if needs_reason:
        if early_reason not in Review.EarlyReason.values:
            errors["early_reason"] = (
                "This review is early or has no July reflection ("
                + " ".join(missing)
                + ") Choose a reason: the person is leaving, long-term absence, or other."
            )
        elif early_reason == Review.EarlyReason.OTHER and not early_reason_text:
            errors["early_reason_text"] = "Other reason: say why the review cannot wait."
    else:
        early_reason, early_reason_text, missing = "", "", []
    if not review.cell:
        errors["cell"] = "Place the person on the grid first."
    if not review.part1.strip():
        errors["part1"] = "Write part 1 of the statement first."
    elif frames.leftovers(review.part1):
        errors["part1"] = "Part 1 still has frame text to complete: " + ", ".join(
            frames.leftovers(review.part1)
        )
    if errors:
        raise ValidationError(errors)
    _change(
        review,
        actor=actor,
        action="reviews.review.submit",
        status=Review.Status.SUBMITTED,
        submitted_at=timezone.now(),
        early_reason=early_reason,
        early_reason_text=early_reason_text if early_reason == "other" else "",
        missing_evidence=missing,
    )
    progress_refresh(people=[review.staff_member], cycle=review.cycle)
    return review


# --- Final decision and the person ---


@transaction.atomic
def review_decide(*, actor: StaffMember, review: Review, outcome: str, reason: str = "") -> Review:
    """The headteacher/manager confirms the placed outcome or amends it (with a reason). The
    decision locks the statement, releases it to the person and notifies them. Nobody decides
    their own review or one they wrote (growth/domain/duties.py): the decision then passes to the
    trust's designated decider, and the capacity of whoever decides is recorded."""
    capacity = decision_capacity(
        actor=actor, reviewee=review.staff_member, reviewer=review.reviewer
    )
    _require_unlocked(review)
    if review.status != Review.Status.SUBMITTED:
        raise ValidationError("The reviewer has not submitted this review yet.")
    if outcome not in rubric.OUTCOMES:
        raise ValidationError({"outcome": "Choose an outcome."})
    reason = reason.strip()
    amended = outcome != review.placed_outcome
    if amended and not reason:
        raise ValidationError({"reason": "Amending the outcome needs a reason."})
    decision = Review.Decision.AMENDED if amended else Review.Decision.CONFIRMED
    _change(
        review,
        actor=actor,
        action=f"reviews.review.{decision}",
        decision=decision,
        final_outcome=outcome,
        decision_reason=reason,
        decided_by=actor,
        decided_as=capacity,
        decided_at=timezone.now(),
        status=Review.Status.DECIDED,
    )
    _notify_released(review)
    statement_pdf_request(review=review)
    progress_refresh(people=[review.staff_member], cycle=review.cycle)
    return review


def _notify_released(review: Review) -> None:
    """In the app, and by email as the person chose (growth/notifications/services.py)."""
    from growth.notifications.services import notify

    person = review.staff_member
    url = settings.SITE_URL + reverse("reviews:detail", kwargs={"public_id": review.public_id})
    body = (
        f"Dear {person.user.first_name or person.full_name},\n\n"
        f"Your professional growth review statement for {review.cycle.name} has been "
        f"released. Please read it, download the PDF if you wish, and acknowledge it:\n{url}\n"
    )
    notify(
        trust_id=review.trust_id,
        to=[person.email],
        kind="statements",
        subject=f"Your review statement for {review.cycle.name}",
        body=body,
        url=url,
    )


@transaction.atomic
def review_acknowledge(*, actor: StaffMember, review: Review, comment: str = "") -> Review:
    if actor.pk != review.staff_member_id or not review.is_released:
        raise ValidationError("Only the person can acknowledge their released statement.")
    if review.acknowledged_at:
        raise ValidationError("You have already acknowledged this statement.")
    audited_change(
        review,
        actor=actor,
        action="reviews.review.acknowledge",
        subject=review.staff_member,
        changes={"acknowledged_at": timezone.now(), "staff_comment": comment.strip()},
        fields=["acknowledged_at", "staff_comment"],
        always=True,
    )
    progress_refresh(people=[review.staff_member], cycle=review.cycle)
    return review


@transaction.atomic
def review_comment_add(*, actor: StaffMember, review: Review, body: str) -> ReviewComment:
    """A comment on the review by someone who reads it in a commenting role: a headteacher's
    adviser, their reviewer or the decider. The person themselves comments when they
    acknowledge the released statement, not here."""
    if actor.pk == review.staff_member_id:
        raise DutyRefused(
            "You comment on your own statement when you acknowledge it.", code="own_review"
        )
    body = without_nul(body).strip()
    if not body:
        raise ValidationError({"body": "Write your comment first."})
    if len(body) > 4000:
        raise ValidationError({"body": "Keep the comment to 4,000 characters."})
    comment = ReviewComment(trust_id=review.trust_id, review=review, author=actor, body=body)
    comment.full_clean()
    comment.save()
    audit_record(
        trust=review.trust_id,
        actor=actor,
        action="reviews.comment.add",
        obj=comment,
        subject=review.staff_member,
        after=snapshot(comment),
    )
    return comment


# --- PDF ---


def statement_pdf_request(*, review: Review) -> StatementPdf:
    """The PDF of the statement as it stands. Unchanged content is never rendered twice; new
    content gets a new row, rendered by a task on the pdf queue after commit."""
    from reviews.tasks import render_statement_pdf

    digest = content_hash(statement_context(review))
    with transaction.atomic():
        pdf, created = StatementPdf.objects.for_trust(review.trust_id).get_or_create(
            trust_id=review.trust_id, review=review, content_hash=digest
        )
        if created or pdf.status == StatementPdf.Status.FAILED:
            if pdf.status == StatementPdf.Status.FAILED:
                pdf.status = StatementPdf.Status.PENDING
                pdf.save(update_fields=["status", "updated_at"])
            transaction.on_commit(
                lambda: render_statement_pdf.delay(trust_id=review.trust_id, pdf_id=pdf.pk)
            )
    return pdf


def _pdf_name(review: Review) -> str:
    person = slugify(review.staff_member.full_name) or "statement"
    return f"{slugify(review.cycle.name)}-{person}.pdf"


def statement_pdf_render(*, pdf: StatementPdf) -> StatementPdf:
    """Render and store one PDF (called by the task). The content it renders is the content
    it was requested for; if the statement changed since, a newer row exists for that."""
    if pdf.status == StatementPdf.Status.READY:
        return pdf
    review = (
        Review.objects.for_trust(pdf.trust_id).select_related(*REVIEW_RELATED).get(pk=pdf.review_id)
    )
    context = statement_context(review)
    if content_hash(context) != pdf.content_hash:
        # The statement moved on before this ran; the newer row renders the new content.
        pdf.status = StatementPdf.Status.FAILED
        pdf.error = "Superseded before rendering."
        pdf.save(update_fields=["status", "error", "updated_at"])
        return pdf
    started = time.perf_counter()
    data = render_pdf(context)
    elapsed = int((time.perf_counter() - started) * 1000)
    path = f"statements/{pdf.trust_id}/{pdf.content_hash}.pdf"
    if default_storage.exists(path):
        default_storage.delete(path)
    stored = default_storage.save(path, ContentFile(data))
    with transaction.atomic():
        pdf.file.name = stored
        pdf.status = StatementPdf.Status.READY
        pdf.render_ms = elapsed
        pdf.error = ""
        pdf.save(update_fields=["file", "status", "render_ms", "error", "updated_at"])
        audit_record(
            trust=pdf.trust_id,
            actor=None,
            action="reviews.pdf.render",
            obj=pdf,
            subject=review.staff_member,
            after={"content_hash": pdf.content_hash, "render_ms": elapsed},
        )
    return pdf


def statement_pdf_ensure(*, review: Review) -> StatementPdf:
    """The rendered PDF for the statement as it stands, rendered here if need be (used by the
    zip builder, which already runs on the pdf queue)."""
    digest = content_hash(statement_context(review))
    pdf, _ = StatementPdf.objects.for_trust(review.trust_id).get_or_create(
        trust_id=review.trust_id, review=review, content_hash=digest
    )
    if pdf.status != StatementPdf.Status.READY:
        pdf.status = StatementPdf.Status.PENDING
        pdf = statement_pdf_render(pdf=pdf)
    return pdf


# --- School zip ---


@transaction.atomic
def school_zip_request(*, actor: StaffMember, school: School, cycle: GrowthCycle) -> SchoolZip:
    from reviews.tasks import build_school_zip

    if school.pk not in _headed_schools(actor):
        raise ValidationError("Only the school's headteacher downloads all its statements.")
    bundle = SchoolZip.objects.for_trust(school.trust_id).create(
        trust_id=school.trust_id, school=school, cycle=cycle, requested_by=actor
    )
    audit_record(trust=school.trust_id, actor=actor, action="reviews.zip.request", obj=bundle)
    transaction.on_commit(
        lambda: build_school_zip.delay(trust_id=school.trust_id, zip_id=bundle.pk)
    )
    return bundle


def _headed_schools(staff: StaffMember) -> frozenset[int]:
    from growth.security.access import roles_of

    return roles_of(staff).headteacher_of


def school_zip_build(*, bundle: SchoolZip) -> SchoolZip:
    """Render (or reuse) every statement of the school and pack them, reporting progress."""
    from reviews.selectors import without_school_leaders

    # The school's leaders' own statements are not the school's (separation of duties).
    school_reviews = Review.objects.for_trust(bundle.trust_id).filter(
        cycle_id=bundle.cycle_id, staff_member__school_id=bundle.school_id
    )
    reviews = list(
        without_school_leaders(school_reviews)
        .exclude(staff_member_id=bundle.requested_by_id)
        .exclude(cell__isnull=True)
        .select_related(*REVIEW_RELATED)
        .order_by("staff_member__user__last_name", "staff_member__user__first_name")
    )
    bundle.status = SchoolZip.Status.RUNNING
    bundle.total = len(reviews)
    bundle.done = 0
    bundle.save(update_fields=["status", "total", "done", "updated_at"])
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for review in reviews:
                pdf = statement_pdf_ensure(review=review)
                with default_storage.open(pdf.file.name, "rb") as handle:
                    archive.writestr(_pdf_name(review), handle.read())
                bundle.done += 1
                bundle.save(update_fields=["done", "updated_at"])
    except Exception as exc:
        bundle.status = SchoolZip.Status.FAILED
        bundle.error = f"{type(exc).__name__}: {exc}"[:500]
        bundle.save(update_fields=["status", "error", "updated_at"])
        raise
    name = f"statement-zips/{bundle.trust_id}/{bundle.public_id}.zip"
    bundle.file.name = default_storage.save(name, ContentFile(buffer.getvalue()))
    bundle.status = SchoolZip.Status.READY
    bundle.save(update_fields=["file", "status", "updated_at"])
    return bundle
