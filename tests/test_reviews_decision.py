"""The headteacher's final decision, the moderation table, calibration across schools, and
the person's release, acknowledgement and comment."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from growth.security.tenancy import trust_scope
from reviews import services
from reviews.models import Review
from tests.factories import make_staff
from tests.reviews_fixtures import placed_review


def test_it_confirms_the_outcome_and_releases_it(
    world, client_for, django_capture_on_commit_callbacks
):
    review = placed_review(world, submit=True)
    client = client_for(world.head)
    page = client.get(f"/reviews/{review.public_id}/decide/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reviews/{review.public_id}/decide/", {"outcome": "met"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.DECIDED
    assert (review.decision, review.final_outcome, review.decided_by) == (
        "confirmed",
        "met",
        world.head,
    )
    assert [m.to for m in mail.outbox] == [[world.staff.email]]
    assert f"/reviews/{review.public_id}/" in mail.outbox[0].body


def test_it_needs_a_reason_to_amend_and_records_it(world, client_for):
    review = placed_review(world, submit=True)
    client = client_for(world.head)
    url = f"/reviews/{review.public_id}/decide/"
    response = client.post(url, {"outcome": "partially_met", "reason": "  "})
    assert response.status_code == 400
    assert b"Amending the outcome needs a reason." in response.content
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    response = client.post(url, {"outcome": "partially_met", "reason": "Impact evidence is thin."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.decision, review.final_outcome) == ("amended", "partially_met")
    assert review.outcome == "partially_met" and review.placed_outcome == "met"
    assert review.outcome_sentence == "Partially met professional growth expectations for 2026-27"
    with trust_scope(world.trust):
        from growth.models import AuditEvent

        event = AuditEvent.objects.get(action="reviews.review.amended")
    assert event.after["decision_reason"] == "Impact evidence is thin."
    assert event.before["final_outcome"] == ""


def test_it_decides_only_once_and_only_by_the_headteacher(world, client_for):
    review = placed_review(world, submit=True)
    url = f"/reviews/{review.public_id}/decide/"
    assert client_for(world.manager).get(url).status_code == 403
    assert client_for(world.admin).get(url).status_code == 403
    assert client_for(world.other_head).get(url).status_code == 404
    with trust_scope(world.trust):
        services.review_decide(actor=world.head, review=review, outcome="met")
        with pytest.raises(ValidationError):
            services.review_decide(actor=world.head, review=review, outcome="exceeded", reason="x")


def test_it_cannot_decide_before_the_reviewer_submits(in_trust):
    world = in_trust
    review = placed_review(world)
    with pytest.raises(ValidationError):
        services.review_decide(actor=world.head, review=review, outcome="met")


def test_it_hides_the_draft_from_the_person_until_released(world, client_for):
    review = placed_review(world, submit=True)
    client = client_for(world.staff)
    url = f"/reviews/{review.public_id}/"
    assert client.get(url).status_code == 404
    assert review.part1.encode() not in client.get("/reviews/").content
    with trust_scope(world.trust):
        services.review_decide(actor=world.head, review=review, outcome="met")
    page = client.get(url)
    assert page.status_code == 200
    assert b"You have met your Professional Growth objectives." in page.content
    assert b"I have read my statement" in page.content


def test_it_records_the_persons_acknowledgement_and_comment(world, client_for):
    review = placed_review(world, submit=True)
    with trust_scope(world.trust):
        services.review_decide(actor=world.head, review=review, outcome="met")
    client = client_for(world.staff)
    response = client.post(
        f"/reviews/{review.public_id}/acknowledge/", {"comment": "Thank you, a fair summary."}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.acknowledged_at is not None
    assert review.staff_comment == "Thank you, a fair summary."
    # Only the person acknowledges; the head sees it.
    assert (
        client_for(world.manager).post(f"/reviews/{review.public_id}/acknowledge/").status_code
        == 403
    )
    assert b"a fair summary" in client_for(world.head).get(f"/reviews/{review.public_id}/").content
    home = client.get("/")
    assert b"You acknowledged your 2026-27 statement" in home.content


def _school_with_outcomes(world):
    """Five reviews in world.school under two reviewers: met x3, partially met, exceeded."""
    third = make_staff(world.trust, world.school, first_name="Tia", line_manager=world.manager)
    fourth = make_staff(world.trust, world.school, first_name="Ray", line_manager=world.head)
    placed_review(world, person=world.staff, cell=5, submit=True)  # met
    placed_review(world, person=world.support, cell=4, submit=True)  # partially met
    placed_review(world, person=third, cell=10, submit=True)  # exceeded
    placed_review(world, person=world.colleague, cell=9, submit=True)  # met (head reviews)
    placed_review(world, person=fourth, cell=8)  # met, draft
    placed_review(world, person=world.other_school_staff, cell=1, submit=True)  # other school


def test_it_shows_the_moderation_table_with_distributions_and_filters(
    world, client_for, django_assert_max_num_queries
):
    _school_with_outcomes(world)
    client = client_for(world.head)
    with django_assert_max_num_queries(15):
        page = client.get("/reviews/moderation/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Distribution of outcomes, overall" in html
    assert "Distribution of outcomes per reviewer" in html
    assert world.other_school_staff.full_name not in html
    # The head wrote the colleague's review: that decision is someone else's (issue 17).
    assert "3 awaiting your decision" in html
    assert "1 that you wrote as the reviewer goes to another decider" in html
    moderation = client.get("/reviews/moderation/?outcome=partially_met").content.decode()
    assert world.support.full_name in moderation
    assert ">" + world.staff.full_name + "<" not in moderation


def test_it_computes_the_distribution_overall_and_per_reviewer(in_trust):
    world = in_trust
    _school_with_outcomes(world)
    from reviews.selectors import moderation_for

    data = moderation_for(schools=[world.school], cycle=world.cycle)
    assert dict(data.overall.counts) == {"met": 3, "partially_met": 1, "exceeded": 1}
    per = {reviewer.pk: dict(d.counts) for reviewer, d in data.by_reviewer}
    assert per[world.manager.pk] == {"met": 1, "partially_met": 1, "exceeded": 1}
    assert per[world.head.pk] == {"met": 2}
    filtered = moderation_for(schools=[world.school], cycle=world.cycle, outcome="met")
    assert len(filtered.reviews) == 3
    assert filtered.overall.total == 5  # the filter narrows the table, not the distribution


def test_it_shows_every_schools_distribution_to_the_trust_admin(
    world, other_world, client_for, django_assert_max_num_queries
):
    _school_with_outcomes(world)
    placed_review(other_world, cell=9)
    client = client_for(world.admin)
    # 12, and the header's "Waiting for me" count (a fixed handful, growth/navigation/inbox.py).
    with django_assert_max_num_queries(17):
        page = client.get("/reviews/calibration/")
    html = page.content.decode()
    assert page.status_code == 200
    assert world.school.name in html and world.other_school.name in html
    assert other_world.school.name not in html
    from reviews.selectors import calibration_for

    with trust_scope(world.trust):
        rows = {school.pk: dict(d.counts) for school, d in calibration_for(cycle=world.cycle)}
    assert rows[world.school.pk] == {"met": 3, "partially_met": 1, "exceeded": 1}
    assert rows[world.other_school.pk] == {"not_met": 1}
    with trust_scope(world.trust):
        from reviews.selectors import calibration_by_reviewer

        _, reviewers = calibration_by_reviewer(cycle=world.cycle)
    per = {r.pk: dict(d.counts) for r, d in reviewers}
    assert per[world.manager.pk] == {"met": 1, "partially_met": 1, "exceeded": 1}
    assert per[world.other_head.pk] == {"not_met": 1}
    assert "Outcomes per reviewer across the trust" in html
    assert client_for(world.head).get("/reviews/calibration/").status_code == 403
    assert client_for(world.staff).get("/reviews/moderation/").status_code == 403


def test_it_shows_the_trust_admin_the_reviewers_a_page_at_a_time(world, client_for, monkeypatch):
    """A trust of 5,000 staff has about 560 reviewers: calibration lists them a page at a
    time, by school and name, rather than all of them on one page."""
    from reviews import selectors

    _school_with_outcomes(world)  # three reviewers: world.head and world.manager, other_head
    monkeypatch.setattr(selectors, "CALIBRATION_REVIEWERS_PER_PAGE", 2)
    with trust_scope(world.trust):
        order = list(selectors.calibration_reviewers(cycle=world.cycle))
    assert len(order) == 3
    assert [p.school.name for p in order] == sorted(p.school.name for p in order)
    client = client_for(world.admin)
    first = client.get("/reviews/calibration/").content.decode()
    last = client.get("/reviews/calibration/?page=2").content.decode()
    assert "reviewers 1 to 2 of 3, by school and name" in first
    assert "reviewers 3 to 3 of 3, by school and name" in last
    assert "Page 1 of 2" in first and "Page 2 of 2" in last
    for person in order[:2]:
        assert f'<th scope="row">{person.full_name}</th>' in first
        assert f'<th scope="row">{person.full_name}</th>' not in last
    assert f'<th scope="row">{order[2].full_name}</th>' in last
    # Every school stays on every page: the schools' table is not paged.
    assert world.school.name in last and world.other_school.name in last
    # A page past the end shows the last one; a page that is not a number, the first.
    assert "Page 2 of 2" in client.get("/reviews/calibration/?page=9").content.decode()
    assert "Page 1 of 2" in client.get("/reviews/calibration/?page=x").content.decode()


def test_it_lets_the_trust_admin_edit_the_key_and_frames(world, client_for):
    client = client_for(world.admin)
    data = {f"cell_{c}": o for c, o in services.rubric.DEFAULT_OUTCOME_KEY.items()}
    data["cell_4"] = "not_met"
    assert client.post("/reviews/settings/key/", data).status_code == 302
    review = placed_review(world, cell=4, write=False)
    assert review.placed_outcome == "not_met"
    bad = client.post(
        "/reviews/settings/frames/1/9/", {"body": "Well done on [[focus]].", "slots": "{oops"}
    )
    assert bad.status_code == 400
    assert b"not valid JSON" in bad.content
    good = client.post(
        "/reviews/settings/frames/1/9/",
        {
            "body": "Well done on [[focus]].",
            "slots": '{"focus": {"kind": "text", "label": "Focus"}}',
        },
    )
    assert good.status_code == 302
    assert b"Your trust" in client.get("/reviews/settings/frames/").content
    assert client_for(world.head).get("/reviews/settings/key/").status_code == 403
    assert client.get("/reviews/settings/frames/1/11/").status_code == 404
