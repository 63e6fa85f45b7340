"""Writes for pay progression and the Upper Pay Scale (seed 004). Keyword-only, atomic,
audited, with the same separation of duties as the final decision on a review
(growth/domain/duties.py): nobody decides their own pay or application, nor the pay that follows
from a review they wrote; then the trust's designated decider does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from growth.domain.audit import audit_record, snapshot
from growth.domain.duties import DutyRefused, decision_capacity
from growth.domain.text import without_nul
from growth.models import GrowthCycle, PayRange, StaffMember, Trust
from reviews import rubric
from reviews.models import PayDecision, PayMappingEntry, Review, UpperPayApplication
from reviews.pay_rules import (
    DEFAULT_PAY_MAPPING,
    UPS_CRITERIA,
    PayOutcome,
    PayRating,
    PayRecommendation,
)
from reviews.pay_selectors import (
    ineligible_reason,
    is_eligible,
    pay_mapping,
    sustained_cycles,
    ups_evidence_choices,
)

MAX_ANSWER = 6000


@transaction.atomic
def pay_mapping_update(
    *, actor: StaffMember, trust: Trust, mapping: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """Store the trust's mapping from decided outcome to overall rating and recommendation;
    only outcomes that differ from the policy's default keep a row."""
    before = pay_mapping(trust=trust)
    for outcome in rubric.OUTCOMES:
        rating, recommendation = mapping.get(outcome, DEFAULT_PAY_MAPPING[outcome])
        if rating not in PayRating.values or recommendation not in PayRecommendation.values:
            raise ValidationError({outcome: "Choose a rating and a recommendation."})
        rows = PayMappingEntry.objects.for_trust(trust)
        if (rating, recommendation) == DEFAULT_PAY_MAPPING[outcome]:
            rows.filter(outcome=outcome).delete()
        else:
            rows.update_or_create(
                trust=trust,
                outcome=outcome,
                defaults={"rating": rating, "recommendation": recommendation},
            )
    after = pay_mapping(trust=trust)
    if after != before:
        audit_record(
            trust=trust,
            actor=actor,
            action="reviews.pay_mapping.update",
            obj=trust,
            before={k: list(v) for k, v in before.items()},
            after={k: list(v) for k, v in after.items()},
        )
    return after


def _pay_capacity(*, actor: StaffMember, person: StaffMember, reviewer: StaffMember) -> str:
    if actor.pk == person.pk:
        raise DutyRefused(
            "Nobody decides their own pay: it is decided by your headteacher, or by the "
            "trust's designated decider.",
            code="own_review",
        )
    return decision_capacity(actor=actor, reviewee=person, reviewer=reviewer)


@transaction.atomic
def pay_decide(
    *, actor: StaffMember, review: Review, outcome: str, reason: str = ""
) -> PayDecision:
    """The headteacher confirms the recommendation that follows from the decided review, or
    amends it with a reason; a teacher referred to the head is decided with a reason too."""
    person = review.staff_member
    capacity = _pay_capacity(actor=actor, person=person, reviewer=review.reviewer)
    if review.status != Review.Status.DECIDED:
        raise ValidationError(
            "The review's final decision comes first: the pay recommendation follows from it."
        )
    if not is_eligible(person):
        raise ValidationError(
            f"{person.full_name} is not eligible for pay progression "
            f"({ineligible_reason(person).lower()})."
        )
    if outcome not in PayOutcome.values:
        raise ValidationError({"outcome": "Choose whether they progress or stay on their point."})
    reason = without_nul(reason).strip()
    if len(reason) > 4000:
        raise ValidationError({"reason": "Keep the reason to 4,000 characters."})
    if (
        PayDecision.objects.for_trust(review.trust_id)
        .select_for_update()
        .filter(staff_member=person, cycle=review.cycle)
        .exists()
    ):
        raise ValidationError(
            f"The pay decision for {person.full_name} in {review.cycle.name} is already recorded."
        )
    rating, recommended = pay_mapping(trust=review.trust_id)[review.final_outcome]
    if recommended == PayRecommendation.REFER:
        decision = PayDecision.Decision.REFERRED
        if not reason:
            raise ValidationError(
                {"reason": "This teacher was referred to you: give the reason for your decision."}
            )
    elif outcome == PayOutcome.PROGRESS:
        decision = PayDecision.Decision.CONFIRMED
    else:
        decision = PayDecision.Decision.AMENDED
        if not reason:
            raise ValidationError({"reason": "Amending the recommendation needs a reason."})
    pay = PayDecision(
        trust_id=review.trust_id,
        staff_member=person,
        cycle=review.cycle,
        review=review,
        pay_range=person.pay_range,
        pay_point=person.pay_point,
        rating=rating,
        recommended=recommended,
        decision=decision,
        outcome=outcome,
        reason=reason,
        decided_by=actor,
        decided_as=capacity,
        decided_at=timezone.now(),
    )
    pay.full_clean()
    pay.save()
    audit_record(
        trust=review.trust_id,
        actor=actor,
        action=f"reviews.pay.{decision}",
        obj=pay,
        subject=person,
        after=snapshot(pay),
    )
    return pay


def _evidence(staff: StaffMember, chosen: Iterable[str]) -> list[dict[str, str]]:
    """The chosen items, each one of the applicant's own records (anything else refused)."""
    choices = dict(ups_evidence_choices(staff=staff))
    evidence = []
    for value in chosen:
        if value not in choices:
            raise ValidationError({"evidence": "Link only to your own reviews and plans."})
        kind, public_id = value.split(":", 1)
        evidence.append({"kind": kind, "public_id": public_id, "label": choices[value]})
    return evidence


@transaction.atomic
def ups_apply(
    *,
    actor: StaffMember,
    cycle: GrowthCycle,
    answers: Mapping[str, str],
    evidence: Iterable[str] = (),
) -> UpperPayApplication:
    """A main-range teacher applies in writing to move onto the Upper Pay Scale, once an
    academic year (seed 004). "Sustained" is checked against earlier cycles' decided
    outcomes and kept with the application."""
    if actor.category != StaffMember.Category.TEACHING or actor.pay_range != PayRange.MAIN:
        raise ValidationError(
            "Only teachers on the main pay range apply to move onto the Upper Pay Scale; "
            "your record shows "
            f"{actor.get_pay_range_display().lower()}. If that is wrong, ask HR to correct it."
        )
    earlier = ups_existing(staff=actor, cycle=cycle)
    if earlier is not None:
        raise ValidationError(_second_application(earlier))
    errors = {}
    cleaned = {}
    for name, (label, _) in UPS_CRITERIA.items():
        text = without_nul(answers.get(name, "")).strip()
        if not text:
            errors[name] = f"Answer “{label}”: say how you meet it."
        elif len(text) > MAX_ANSWER:
            errors[name] = f"Keep “{label}” to {MAX_ANSWER:,} characters."
        cleaned[name] = text
    if errors:
        raise ValidationError(errors)
    sustained = sustained_cycles(staff=actor, cycle=cycle)
    application = UpperPayApplication(
        trust_id=actor.trust_id,
        staff_member=actor,
        cycle=cycle,
        evidence=_evidence(actor, evidence),
        sustained_years=len(sustained),
        sustained_cycles=sustained,
        **cleaned,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a second submission racing the first
        raise ValidationError(_second_application(ups_existing(staff=actor, cycle=cycle))) from exc
    audit_record(
        trust=actor.trust_id,
        actor=actor,
        action="reviews.ups.apply",
        obj=application,
        subject=actor,
        after=snapshot(application, ["status", "sustained_years", "cycle"]),
    )
    return application


def ups_existing(*, staff: StaffMember, cycle: GrowthCycle) -> UpperPayApplication | None:
    return (
        UpperPayApplication.objects.for_trust(staff.trust_id)
        .filter(staff_member=staff, cycle=cycle)
        .first()
    )


def _second_application(earlier: UpperPayApplication | None) -> str:
    when = (
        f" on {date_format(timezone.localdate(earlier.created_at))}"
        if earlier is not None and earlier.created_at
        else ""
    )
    name = earlier.cycle.name if earlier is not None else "this year"
    return (
        f"You have already applied to move onto the Upper Pay Scale in {name}{when}. The "
        "policy allows one application each academic year: you can apply again next year."
    )


@transaction.atomic
def ups_decide(
    *, actor: StaffMember, application: UpperPayApplication, approve: bool, reason: str
) -> UpperPayApplication:
    """The headteacher approves or declines an application, always with a reason."""
    person = application.staff_member
    if actor.pk == person.pk:
        raise DutyRefused(
            "Nobody decides their own Upper Pay Scale application: your headteacher does.",
            code="own_review",
        )
    capacity = decision_capacity(actor=actor, reviewee=person, reviewer=person)
    locked = (
        UpperPayApplication.objects.for_trust(application.trust_id)
        .select_for_update()
        .get(pk=application.pk)
    )
    if locked.is_decided:
        raise ValidationError("This application has already been decided.")
    reason = without_nul(reason).strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for your decision: the teacher sees it."})
    if len(reason) > 4000:
        raise ValidationError({"reason": "Keep the reason to 4,000 characters."})
    before = snapshot(locked, ["status", "decision_reason"])
    locked.status = (
        UpperPayApplication.Status.APPROVED if approve else UpperPayApplication.Status.DECLINED
    )
    locked.decision_reason = reason
    locked.decided_by = actor
    locked.decided_as = capacity
    locked.decided_at = timezone.now()
    locked.save(
        update_fields=[
            "status",
            "decision_reason",
            "decided_by",
            "decided_as",
            "decided_at",
            "updated_at",
        ]
    )
    audit_record(
        trust=locked.trust_id,
        actor=actor,
        action=f"reviews.ups.{locked.status}",
        obj=locked,
        subject=person,
        before=before,
        after=snapshot(locked, ["status", "decision_reason", "decided_as"]),
    )
    return locked
