"""Self-review services and the selectors other apps read."""

from __future__ import annotations

import pytest

from growth.models import AuditEvent
from standards.models import Framework, Rating, SelfReview, SelfReviewRating, Standard
from standards.selectors import (
    framework_for,
    reviews_awaiting_comment,
    self_review_for,
    standards_to_develop,
)
from standards.services import (
    SelfReviewError,
    framework_publish,
    framework_save,
    self_review_comment,
    self_review_save,
    self_review_share,
    self_review_start,
    standard_save,
)
from tests.standards_fixtures import rate_everything, shipped_standards  # noqa: F401

pytestmark = pytest.mark.usefixtures("shipped_standards")


def test_it_picks_the_framework_for_the_persons_role(in_trust):
    world = in_trust
    assert framework_for(staff=world.staff).code == "teachers-standards"
    assert framework_for(staff=world.support).code == "thinking-customer-first"
    assert framework_for(staff=world.admin).code == "thinking-customer-first"


def test_a_trusts_own_framework_for_a_role_wins_over_the_shared_one(in_trust, other_world):
    world = in_trust
    own = framework_save(
        actor=world.admin, framework=None, code="ours", name="Ours", applies_to=["support"]
    )
    # A new framework is a draft: nobody's until it has standards and is published.
    assert framework_for(staff=world.support).code == "thinking-customer-first"
    standard_save(actor=world.admin, framework=own, standard=None, code="1", text="Be kind.")
    framework_publish(actor=world.admin, framework=own)
    assert framework_for(staff=world.support) == own
    assert framework_for(staff=world.admin).code == "thinking-customer-first"
    assert framework_for(staff=other_world.support).code == "thinking-customer-first"


def test_it_starts_once_per_cycle(in_trust):
    world = in_trust
    first = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    again = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    assert first == again
    assert first.state == SelfReview.State.DRAFT
    assert SelfReview.objects.filter(staff_member=world.staff).count() == 1


def test_it_saves_ratings_next_steps_and_reflections_and_audits_only_changes(in_trust):
    world = in_trust
    review = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    one = Standard.objects.get(framework=review.framework, code="1")
    one_one = Standard.objects.get(framework=review.framework, code="1.1")
    args = {
        "actor": world.staff,
        "review": review,
        "ratings": {one_one.pk: Rating.NOT_ALWAYS},
        "next_steps": {one.pk: "Visit Cal's classroom."},
        "reflections": {"strengths": "Questioning", "learning_needs": "Boys' writing"},
    }
    changed = self_review_save(**args)
    assert "strengths" in changed and "standard 1.1" in changed and "standard 1" in changed
    review.refresh_from_db()
    assert review.strengths == "Questioning"
    rows = {r.standard.code: r for r in SelfReviewRating.objects.filter(self_review=review)}
    assert rows["1.1"].rating == Rating.NOT_ALWAYS
    assert rows["1"].next_steps == "Visit Cal's classroom."
    audits = AuditEvent.objects.filter(action="self_review.save").count()
    assert self_review_save(**args) == []  # autosave of an unchanged form
    assert AuditEvent.objects.filter(action="self_review.save").count() == audits


def test_it_refuses_a_rating_off_the_scale_or_a_standard_of_another_framework(in_trust):
    world = in_trust
    review = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    one_one = Standard.objects.get(framework=review.framework, code="1.1")
    trusted = Standard.objects.get(framework__code="thinking-customer-first", code="1")
    with pytest.raises(SelfReviewError, match=r"1\.1"):
        self_review_save(
            actor=world.staff,
            review=review,
            ratings={one_one.pk: "excellent"},
            next_steps={},
            reflections={},
        )
    with pytest.raises(SelfReviewError, match="not in your framework"):
        self_review_save(
            actor=world.staff,
            review=review,
            ratings={trusted.pk: Rating.FULLY},
            next_steps={},
            reflections={},
        )
    assert not SelfReviewRating.objects.filter(self_review=review).exists()


def test_sharing_needs_every_standard_rated_then_locks_the_review(in_trust, mailoutbox):
    world = in_trust
    review = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    ratings = rate_everything(review)
    missing = Standard.objects.get(framework=review.framework, code="8.5")
    del ratings[missing.pk]
    self_review_save(
        actor=world.staff, review=review, ratings=ratings, next_steps={}, reflections={}
    )
    with pytest.raises(SelfReviewError, match=r"Still to do: 8\.5\."):
        self_review_share(actor=world.staff, review=review)
    assert SelfReview.objects.get(pk=review.pk).state == SelfReview.State.DRAFT
    self_review_save(
        actor=world.staff,
        review=review,
        ratings={missing.pk: Rating.MOSTLY},
        next_steps={},
        reflections={},
    )
    self_review_share(actor=world.staff, review=review)
    assert review.is_shared and review.shared_at is not None
    with pytest.raises(SelfReviewError, match="shared"):
        self_review_save(
            actor=world.staff,
            review=review,
            ratings={missing.pk: Rating.FULLY},
            next_steps={},
            reflections={},
        )


def test_comments_come_after_sharing_and_not_from_the_author(in_trust):
    world = in_trust
    review = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    with pytest.raises(SelfReviewError, match="once the self-review has been shared"):
        self_review_comment(actor=world.manager, review=review, text="Early")
    self_review_save(
        actor=world.staff,
        review=review,
        ratings=rate_everything(review),
        next_steps={},
        reflections={},
    )
    self_review_share(actor=world.staff, review=review)
    with pytest.raises(SelfReviewError):
        self_review_comment(actor=world.staff, review=review, text="Me")
    comment = self_review_comment(actor=world.manager, review=review, text="Lovely")
    assert comment.author == world.manager


def test_it_feeds_objective_setting_with_the_standards_not_always_met(in_trust):
    world = in_trust
    review = self_review_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    two = Standard.objects.get(framework=review.framework, code="2")
    self_review_save(
        actor=world.staff,
        review=review,
        ratings=rate_everything(review, **{"2.3": Rating.NOT_ALWAYS, "6.1": Rating.NOT_ALWAYS}),
        next_steps={two.pk: "Try exit tickets."},
        reflections={},
    )
    # A draft is private: objective setting sees it only once shared (unless asked).
    assert standards_to_develop(staff=world.staff, cycle=world.cycle) == []
    drafts = standards_to_develop(staff=world.staff, cycle=world.cycle, shared_only=False)
    assert [d.standard.code for d in drafts] == ["2", "2.3", "6.1"]
    self_review_share(actor=world.staff, review=review)
    found = standards_to_develop(staff=world.staff, cycle=world.cycle)
    assert [(d.standard.code, d.rating) for d in found] == [
        ("2", ""),
        ("2.3", Rating.NOT_ALWAYS),
        ("6.1", Rating.NOT_ALWAYS),
    ]
    assert found[0].next_steps == "Try exit tickets."
    assert self_review_for(staff=world.staff, cycle=world.cycle, shared_only=True) == review


def test_it_lists_shared_reviews_awaiting_the_managers_comment(in_trust):
    world = in_trust
    reviews = []
    for person in (world.staff, world.support):
        review = self_review_start(actor=person, staff=person, cycle=world.cycle)
        self_review_save(
            actor=person,
            review=review,
            ratings=rate_everything(review),
            next_steps={},
            reflections={},
        )
        reviews.append(review)
    assert reviews_awaiting_comment(manager=world.manager) == []
    for review in reviews:
        self_review_share(actor=review.staff_member, review=review)
    assert set(reviews_awaiting_comment(manager=world.manager)) == set(reviews)
    assert reviews_awaiting_comment(manager=world.head) == []
    self_review_comment(actor=world.manager, review=reviews[0], text="Thanks")
    assert reviews_awaiting_comment(manager=world.manager) == [reviews[1]]


def test_trust_admins_edit_only_their_own_frameworks(in_trust):
    from standards.services import FrameworkEditError, standard_delete, standard_move

    world = in_trust
    shared = Framework.objects.get(code="teachers-standards")
    with pytest.raises(FrameworkEditError):
        standard_save(actor=world.admin, framework=shared, standard=None, code="9", text="x")
    own = framework_save(actor=world.admin, framework=None, code="ours", name="Ours")
    a = standard_save(actor=world.admin, framework=own, standard=None, code="A", text="a")
    b = standard_save(actor=world.admin, framework=own, standard=None, code="B", text="b")
    a1 = standard_save(
        actor=world.admin, framework=own, standard=None, code="A1", text="a1", parent=a
    )
    order = lambda: list(  # noqa: E731
        Standard.objects.filter(framework=own).order_by("order").values_list("code", flat=True)
    )
    assert order() == ["A", "A1", "B"]
    standard_move(actor=world.admin, standard=b, direction="up")
    assert order() == ["B", "A", "A1"]
    standard_move(actor=world.admin, standard=b, direction="up")  # already first: no change
    assert order() == ["B", "A", "A1"]
    standard_delete(actor=world.admin, standard=a1)
    assert order() == ["B", "A"]
