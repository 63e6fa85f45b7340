"""Shared makers for the learning app's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from growth.models import StaffMember
from growth.security.tenancy import trust_scope
from learning import services
from learning.models import CoachAssignment, CoachingSession, LearningEntry
from tests.factories import TrustWorld, make_staff

SECRET_NOTE = "Talked through the worry about the Year 9 parents evening"


def make_coach(world: TrustWorld, *, first_name: str = "Cora", school=None, **flags) -> StaffMember:
    """A coaching-qualified colleague in the trust's other school, outside everyone's line
    in ``world.school``."""
    return make_staff(
        world.trust,
        school or world.other_school,
        first_name=first_name,
        job_title="Lead practitioner",
        stage="upr23",
        line_manager=flags.pop("line_manager", world.other_head),
        coaching_qualified=True,
        **flags,
    )


def coach_with_session(
    world: TrustWorld, coach: StaffMember | None = None
) -> tuple[CoachAssignment, CoachingSession]:
    """``world.staff`` coached by ``coach`` (by default a new coach), with one session
    carrying SECRET_NOTE."""
    if coach is None:
        coach = make_coach(world)
    elif not coach.coaching_qualified:
        coach.coaching_qualified = True
        coach.save(update_fields=["coaching_qualified"])
    with trust_scope(world.trust):
        assignment = services.coach_assign(
            actor=world.head,
            coachee=world.staff,
            coach=coach,
            started_on=dt.date(2026, 9, 1),
        )
        session = services.coaching_session_record(
            actor=coach,
            assignment=assignment,
            held_on=dt.date(2026, 9, 20),
            minutes=45,
            focus="Confidence with difficult conversations",
            notes=SECRET_NOTE,
        )
    return assignment, session


def log_learning(person: StaffMember, **fields) -> LearningEntry:
    """Log learning as ``person`` through the service (defaults: a free two-hour course)."""
    data = {
        "kind": LearningEntry.Kind.COURSE,
        "title": "Metacognition in the classroom",
        "started_on": dt.date(2026, 10, 1),
        "hours": Decimal("2"),
        **fields,
    }
    with trust_scope(person.trust_id):
        return services.learning_entry_record(
            actor=person, staff=person, data=services.EntryData(**data)
        )


RECOMMENDATION = "Start every lesson with three retrieval questions and keep them low stakes"


def review_window_open(world: TrustWorld) -> None:
    """Move the cycle's July reflection (when plan reviews open) to yesterday."""
    from growth.models import GrowthCycle

    with trust_scope(world.trust):
        GrowthCycle.objects.filter(pk=world.cycle.pk).update(
            reflection_opens=dt.date.today() - dt.timedelta(days=1)
        )
        world.cycle.refresh_from_db()


def plan_with_standard(world: TrustWorld, person: StaffMember, standard=None):
    """``person``'s plan for the cycle, its Impact on Self objective written (on ``standard``)."""
    from objectives import services as objective_services
    from objectives.selectors import sorted_objectives

    with trust_scope(world.trust):
        plan = objective_services.plan_start(actor=person, staff=person, cycle=world.cycle)
        objective = sorted_objectives(plan)[0]
        objective_services.objective_update(
            actor=person,
            objective=objective,
            to_text="make retrieval a habit",
            through=[],
            in_order_to=[],
            by_date=None,
            success_criteria="",
            priority=None,
            standards=[standard] if standard else [],
        )
    return plan, objective


def shared_review(
    world: TrustWorld, person: StaffMember, scope: str = "trust", standard=None, **answers
):
    """``person``'s submitted plan review, shared with ``scope`` ("" keeps it private)."""
    from learning.models import PlanReview

    review_window_open(world)
    plan, _ = plan_with_standard(world, person, standard)
    texts = {
        "intended": "To make retrieval practice a habit in Year 8.",
        "did": "Read Rosenshine; tried quizzes; visited a colleague.",
        "impact": "Quiz scores rose from 54% to 71% across the term.",
        "recommendations": RECOMMENDATION,
        "other_contexts": "Works in any subject with factual recall.",
        **answers,
    }
    with trust_scope(world.trust):
        review = services.plan_review_start(actor=person, plan=plan)
        services.plan_review_save(
            actor=person,
            review=review,
            answers=texts,
            area="self",
            standards=[standard] if standard else None,
        )
        services.plan_review_submit(actor=person, review=review)
        if scope:
            services.plan_review_share(actor=person, review=review, scope=scope)
        return PlanReview.objects.get(pk=review.pk)
