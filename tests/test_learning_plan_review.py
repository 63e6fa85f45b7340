"""The end-of-cycle "Professional Growth Plan: Review": written by the person once the cycle's
end approaches, a draft until submitted; then shared (opt-in) with their school or the trust
as part of the library of what colleagues learned, and withdrawable at any time."""

from __future__ import annotations

from django.urls import reverse

from growth.security.tenancy import trust_scope
from learning import selectors
from learning.models import PlanReview
from learning.selectors import LibraryFilters
from standards.models import Standard
from tests.learning_fixtures import (
    RECOMMENDATION,
    plan_with_standard,
    review_window_open,
    shared_review,
)
from tests.standards_fixtures import install_shipped_standards

URL = "learning:plan_review"
ANSWERS = {
    "intended": "To improve questioning.",
    "did": "Tried cold calling with think time.",
    "impact": "More pupils answered; measured by tallying responses.",
    "recommendations": "Give think time before naming anyone.",
    "other_contexts": "Any subject.",
}


def test_it_opens_only_as_the_cycles_end_approaches(world, client_for):
    plan_with_standard(world, world.staff)
    body = client_for(world.staff).get(reverse(URL)).content.decode()
    assert "The review of your plan opens on" in body
    assert "Save draft" not in body


def test_a_draft_is_the_writers_alone_until_submitted(world, client_for):
    plan_with_standard(world, world.staff)
    review_window_open(world)
    client = client_for(world.staff)
    assert client.post(reverse(URL), {**ANSWERS, "save": ""}).status_code == 302
    with trust_scope(world.trust):
        review = PlanReview.objects.get(staff_member=world.staff)
    assert review.state == "draft" and review.did == ANSWERS["did"]
    detail = reverse("learning:plan_review_detail", args=[review.public_id])
    for role in ("manager", "head", "admin"):
        assert client_for(world.everyone[role]).get(detail).status_code == 403
    assert client_for(world.colleague).get(detail).status_code == 404


def test_submitting_needs_the_four_answers_and_names_the_missing_one(world, client_for):
    plan_with_standard(world, world.staff)
    review_window_open(world)
    client = client_for(world.staff)
    client.post(reverse(URL), {**ANSWERS, "impact": "", "save": ""})
    response = client.post(reverse(URL), {**ANSWERS, "impact": "", "did": "Changed", "submit": ""})
    assert response.status_code == 400
    assert "What has the impact been of this work" in response.content.decode()
    with trust_scope(world.trust):
        review = PlanReview.objects.get(staff_member=world.staff)
    # Nothing half-written: the refused submission changed nothing of the draft.
    assert (review.state, review.did) == ("draft", ANSWERS["did"])


def test_once_submitted_the_line_manager_reads_it(world, client_for):
    plan_with_standard(world, world.staff)
    review_window_open(world)
    client_for(world.staff).post(reverse(URL), {**ANSWERS, "submit": ""})
    with trust_scope(world.trust):
        review = PlanReview.objects.get(staff_member=world.staff)
    assert review.state == "submitted"
    detail = reverse("learning:plan_review_detail", args=[review.public_id])
    assert ANSWERS["did"] in client_for(world.manager).get(detail).content.decode()
    # Submitted is final: no more changes.
    assert client_for(world.staff).post(reverse(URL), {**ANSWERS, "save": ""}).status_code == 403


def library_titles(world, viewer):
    with trust_scope(world.trust):
        return [r.staff_member for r in selectors.library_for(viewer)]


def test_shared_with_the_school_only_its_staff_see_it(world, client_for):
    review = shared_review(world, world.staff, scope="school")
    assert library_titles(world, world.colleague) == [world.staff]
    assert library_titles(world, world.other_school_staff) == []
    entry = reverse("learning:library_entry", args=[review.public_id])
    assert RECOMMENDATION in client_for(world.colleague).get(entry).content.decode()
    assert client_for(world.other_school_staff).get(entry).status_code == 404


def test_shared_with_the_trust_everyone_in_it_sees_it_and_no_other_trust(
    world, other_world, client_for
):
    review = shared_review(world, world.staff, scope="trust")
    assert library_titles(world, world.other_school_staff) == [world.staff]
    entry = reverse("learning:library_entry", args=[review.public_id])
    assert client_for(other_world.staff).get(entry).status_code == 404
    body = client_for(world.other_school_staff).get(reverse("learning:library")).content.decode()
    assert world.staff.full_name in body


def test_withdrawing_takes_it_out_of_the_library_at_once(world, client_for):
    review = shared_review(world, world.staff, scope="trust")
    response = client_for(world.staff).post(
        reverse("learning:plan_review_withdraw", args=[review.public_id])
    )
    assert response.status_code == 302
    assert library_titles(world, world.colleague) == []
    entry = reverse("learning:library_entry", args=[review.public_id])
    assert client_for(world.colleague).get(entry).status_code == 404
    # And it can be shared again.
    client_for(world.staff).post(
        reverse("learning:plan_review_share", args=[review.public_id]), {"scope": "school"}
    )
    assert library_titles(world, world.colleague) == [world.staff]


def test_nobody_else_shares_or_withdraws_it(world, client_for):
    review = shared_review(world, world.staff, scope="")
    for role in ("manager", "head", "admin"):
        client = client_for(world.everyone[role])
        share = reverse("learning:plan_review_share", args=[review.public_id])
        assert client.post(share, {"scope": "trust"}).status_code == 403
    assert library_titles(world, world.colleague) == []


def test_sharing_never_shows_check_ins_or_the_review_outcome(world, client_for):
    from checkins import services as checkin_services
    from checkins.selectors import expected_dates
    from objectives.models import Area

    marker = "Private check-in reflection about a tricky Year 9 group"
    with trust_scope(world.trust):
        date = expected_dates(staff=world.staff, cycle=world.cycle)[0]
        checkin_services.checkin_record(
            actor=world.staff,
            staff=world.staff,
            cycle=world.cycle,
            due_on=date,
            data=checkin_services.CheckinData(held_on=date, reflections={Area.SELF: marker}),
        )
    review = shared_review(world, world.staff, scope="trust")
    for url in (
        reverse("learning:library"),
        reverse("learning:library_entry", args=[review.public_id]),
    ):
        body = client_for(world.colleague).get(url).content.decode()
        assert marker not in body
        assert "Met professional growth" not in body and "Exceeded" not in body


def test_library_search_on_postgres_and_the_sqlite_fallback(world):
    shared_review(world, world.staff, scope="trust")
    shared_review(
        world,
        world.colleague,
        scope="trust",
        recommendations="Use mini whiteboards so every pupil answers",
        intended="To check understanding of the whole class.",
        impact="Fewer misconceptions went unnoticed.",
        did="Bought whiteboards.",
        other_contexts="Maths and science.",
    )
    with trust_scope(world.trust):

        def found(vendor=None, **filters):
            rows = selectors.library_search(
                viewer=world.support, filters=LibraryFilters(**filters), vendor=vendor
            )
            return [r.staff_member for r in rows]

        assert found(query="whiteboard") == [world.colleague]
        assert found(query="retrieving questions") == [world.staff]
        assert found(vendor="sqlite", query="WHITEBOARDS every") == [world.colleague]
        assert found(vendor="sqlite", query="whiteboards retrieval") == []
        assert set(found(area="self")) == {world.staff, world.colleague}


def test_someone_writing_an_objective_on_a_standard_sees_what_colleagues_recommend(
    world, client_for
):
    install_shipped_standards()
    standard = Standard.objects.unscoped().get(framework__code="teachers-standards", code="2")
    shared_review(world, world.colleague, scope="school", standard=standard)
    _, objective = plan_with_standard(world, world.staff, standard)
    body = (
        client_for(world.staff)
        .get(reverse("objectives:objective", args=[objective.public_id]))
        .content.decode()
    )
    assert "What colleagues who worked on this recommend" in body
    assert RECOMMENDATION in body
