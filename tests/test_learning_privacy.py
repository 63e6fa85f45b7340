"""A person's coaching notes, learning record and plan review are theirs: in their subject
access export, and erased with them at the end of retention — while a coach's erasure leaves
their coachees' records in place."""

from __future__ import annotations

from growth.privacy.services import person_erase, personal_data
from growth.security.tenancy import trust_scope
from learning.models import CoachAssignment, CoachingSession, LearningEntry, PlanReview
from tests.learning_fixtures import SECRET_NOTE, coach_with_session, log_learning, shared_review


def kinds(staff) -> dict[str, list]:
    with trust_scope(staff.trust_id):
        data = personal_data(staff)
    return {m._meta.label_lower: rows for m, rows in data.records.items()}


def test_the_coachees_export_holds_their_sessions_notes_learning_and_review(world):
    assignment, _ = coach_with_session(world)
    log_learning(world.staff, title="NPQ for Leading Teaching")
    shared_review(world, world.staff, scope="trust")
    records = kinds(world.staff)
    assert [s.notes for s in records["learning.coachingsession"]] == [SECRET_NOTE]
    assert [e.title for e in records["learning.learningentry"]] == ["NPQ for Leading Teaching"]
    assert len(records["learning.planreview"]) == 1
    # The coach's own export names the relationship but never holds the coachee's notes.
    assert "learning.coachingsession" not in kinds(assignment.coach)


def test_erasing_a_leaver_erases_their_coaching_learning_and_review(world):
    coach_with_session(world)
    log_learning(world.staff)
    shared_review(world, world.staff, scope="trust")
    with trust_scope(world.trust):
        person_erase(staff=world.staff)
        assert not CoachAssignment.objects.exists()
        assert not CoachingSession.objects.exists()
        assert not LearningEntry.objects.exists()
        assert not PlanReview.objects.exists()


def test_erasing_a_coach_keeps_their_coachees_sessions(world):
    assignment, session = coach_with_session(world)
    with trust_scope(world.trust):
        person_erase(staff=assignment.coach)
        kept = CoachingSession.objects.get(pk=session.pk)
        assert kept.notes == SECRET_NOTE
        assert CoachAssignment.objects.get(pk=assignment.pk).coach is None
