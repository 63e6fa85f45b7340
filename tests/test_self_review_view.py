"""The self-review pages: who may read, write, share and comment; drafts stay private."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from growth.security.tenancy import trust_scope
from standards.forms import rating_field, steps_field
from standards.models import Rating, SelfReview, SelfReviewComment, Standard
from standards.selectors import rated_standards
from standards.services import self_review_save, self_review_share, self_review_start
from tests.standards_fixtures import rate_everything, shipped_standards  # noqa: F401

pytestmark = pytest.mark.usefixtures("shipped_standards")


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=False):
        yield


def start(world, person=None) -> SelfReview:
    person = person or world.staff
    with trust_scope(world.trust):
        return self_review_start(actor=person, staff=person, cycle=world.cycle)


def shared(world) -> SelfReview:
    review = start(world)
    with trust_scope(world.trust):
        self_review_save(
            actor=world.staff,
            review=review,
            ratings=rate_everything(review, **{"4.1": Rating.NOT_ALWAYS}),
            next_steps={},
            reflections={"strengths": "Warm relationships with my class"},
        )
        self_review_share(actor=world.staff, review=review)
    return review


def full_post(review: SelfReview, **extra: str) -> dict[str, str]:
    data = {rating_field(s): Rating.FULLY for s in rated_standards(framework=review.framework)}
    data.update(extra)
    return data


def url(review: SelfReview, action: str = "") -> str:
    return f"/standards/self-review/{review.public_id}/{action + '/' if action else ''}"


def test_it_offers_to_start_then_opens_the_current_cycles_review(world, client_for):
    client = client_for(world.staff)
    page = client.get("/standards/self-review/")
    assert page.status_code == 200
    assert "Start my self-review for 2026-27" in page.content.decode()
    response = client.post("/standards/self-review/start/")
    review = SelfReview.objects.for_trust(world.trust).get(staff_member=world.staff)
    assert response["Location"] == url(review)
    assert client.get("/standards/self-review/")["Location"] == url(review)
    body = client.get(url(review)).content.decode()
    assert "I am not always meeting this expectation" in body
    assert "1.1 (1a)" in body and "8.5" in body
    assert "When I&#x27;m at my best, what are my strengths?" in body


def test_the_owner_saves_a_draft_and_htmx_autosave_answers_with_a_status(world, client_for):
    review = start(world)
    client = client_for(world.staff)
    one = Standard.objects.get(framework=review.framework, code="1")
    one_one = Standard.objects.get(framework=review.framework, code="1.1")
    response = client.post(
        url(review, "save"),
        {rating_field(one_one): Rating.MOSTLY, steps_field(one): "Ask for a peer visit"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Draft saved at" in response.content.decode()
    with trust_scope(world.trust):
        rows = {r.standard.code: r for r in review.ratings.select_related("standard")}
    assert rows["1.1"].rating == Rating.MOSTLY
    assert rows["1"].next_steps == "Ask for a peer visit"
    page = client.get(url(review)).content.decode()
    assert "Ask for a peer visit" in page


def test_sharing_with_a_standard_unrated_is_refused_and_keeps_what_was_typed(world, client_for):
    review = start(world)
    client = client_for(world.staff)
    data = full_post(review, strengths="My questioning")
    eight_five = Standard.objects.get(framework=review.framework, code="8.5")
    del data[rating_field(eight_five)]
    response = client.post(url(review, "save"), {**data, "action": "share"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Still to do: 8.5." in body
    assert "My questioning" in body
    review.refresh_from_db()
    assert review.state == SelfReview.State.DRAFT
    assert review.strengths == "My questioning"  # the draft was kept


def test_sharing_tells_the_line_manager_who_then_comments(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    review = start(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.staff).post(
            url(review, "save"), full_post(review, action="share")
        )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.is_shared
    assert [m.to for m in mailoutbox] == [[world.manager.email]]
    manager = client_for(world.manager)
    page = manager.get(url(review)).content.decode()
    assert "I am fully meeting this expectation" in page
    assert "Add comment" in page
    one = Standard.objects.get(framework=review.framework, code="1")
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(
            url(review, "comment"), {"text": "Let's talk about 1.", "standard": one.pk}
        )
    assert response.status_code == 302
    assert "Let&#x27;s talk about 1." in client_for(world.staff).get(url(review)).content.decode()
    assert mailoutbox[-1].to == [world.staff.email]


def test_a_comment_without_text_is_refused_with_a_message(world, client_for):
    review = shared(world)
    response = client_for(world.manager).post(url(review, "comment"), {"text": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    with trust_scope(world.trust):
        assert not SelfReviewComment.objects.exists()


def test_a_draft_is_private_to_its_author(world, client_for):
    review = start(world)
    with trust_scope(world.trust):
        self_review_save(
            actor=world.staff,
            review=review,
            ratings={},
            next_steps={},
            reflections={"strengths": "A private thought"},
        )
    for leader in (world.manager, world.head, world.admin):
        response = client_for(leader).get(url(review))
        assert response.status_code == 200
        body = response.content.decode()
        assert "has not shared it yet" in body
        assert "A private thought" not in body


@pytest.mark.parametrize("viewer", ["manager", "head", "admin"])
def test_leaders_of_the_person_read_a_shared_review(world, client_for, viewer):
    review = shared(world)
    body = client_for(getattr(world, viewer)).get(url(review)).content.decode()
    assert "Warm relationships with my class" in body
    assert "I am not always meeting this expectation" in body


@pytest.mark.parametrize("viewer", ["colleague", "support", "other_head", "other_school_staff"])
def test_it_is_a_404_for_a_colleague_who_is_not_their_manager(world, client_for, viewer):
    review = shared(world)
    client = client_for(getattr(world, viewer))
    assert client.get(url(review)).status_code == 404
    assert client.post(url(review, "comment"), {"text": "x"}).status_code == 404
    assert client.post(url(review, "save"), {}).status_code == 404
    assert client.get(f"/standards/people/{world.staff.public_id}/self-reviews/").status_code == 404


def test_it_is_a_404_for_every_role_of_another_trust(world, other_world, client_for):
    review = shared(world)
    for person in other_world.everyone.values():
        client = client_for(person)
        assert client.get(url(review)).status_code == 404
        assert client.post(url(review, "comment"), {"text": "x"}).status_code == 404
        assert client.post(url(review, "save"), {"strengths": "x"}).status_code == 404


def test_roles_are_kept_apart_with_403(world, client_for):
    review = start(world)
    assert (
        client_for(world.manager).post(url(review, "save"), {"strengths": "x"}).status_code == 403
    )
    assert client_for(world.staff).post(url(review, "comment"), {"text": "x"}).status_code == 403
    review.refresh_from_db()
    assert review.strengths == ""


def test_a_shared_review_can_no_longer_be_changed(world, client_for):
    review = shared(world)
    client = client_for(world.staff)
    page = client.get(url(review)).content.decode()
    assert "Save draft" not in page
    response = client.post(url(review, "save"), full_post(review, strengths="Changed"))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.strengths == "Warm relationships with my class"


def test_previous_cycles_stay_readable(world, client_for):
    from tests.factories import make_cycle

    old_cycle = make_cycle(world.trust, start_year=2025)
    with trust_scope(world.trust):
        old = self_review_start(actor=world.staff, staff=world.staff, cycle=old_cycle)
        self_review_save(
            actor=world.staff,
            review=old,
            ratings=rate_everything(old),
            next_steps={},
            reflections={"strengths": "Last year's strength"},
        )
        self_review_share(actor=world.staff, review=old)
    current = start(world)
    client = client_for(world.staff)
    page = client.get(url(current)).content.decode()
    assert "2025-26" in page
    assert "Last year&#x27;s strength" in client.get(url(old)).content.decode()
    history = client_for(world.manager).get(
        f"/standards/people/{world.staff.public_id}/self-reviews/"
    )
    assert "2025-26" in history.content.decode() and "2026-27" in history.content.decode()


def test_the_review_page_queries_do_not_grow_with_the_framework(
    world, client_for, django_assert_max_num_queries
):
    review = shared(world)
    manager, staff = client_for(world.manager), client_for(world.staff)
    manager.get(url(review))
    staff.get("/")
    with django_assert_max_num_queries(16):
        assert manager.get(url(review)).status_code == 200
    with django_assert_max_num_queries(16):
        assert staff.get(url(review)).status_code == 200
    # The home panels this app adds (the page itself gathers every app's panels). Alone they
    # read the cycle and the manager's team themselves; on the home page those reads are
    # shared with the other panels.
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from standards.navigation import awaiting_comment_panel, my_self_review_panel

    for person in (world.staff, world.manager):
        request = RequestFactory().get("/")
        request.staff = person
        with trust_scope(world.trust), django_assert_max_num_queries(9):
            for panel, template in (
                (my_self_review_panel, "standards/panels/my_self_review.html"),
                (awaiting_comment_panel, "standards/panels/awaiting_comment.html"),
            ):
                context = panel(request)
                if context is not None:
                    render_to_string(template, {"panel": context})


def test_home_shows_my_review_state_and_the_managers_waiting_list(world, client_for):
    client = client_for(world.staff)
    assert "You have not started your self-review" in client.get("/").content.decode()
    review = shared(world)
    assert "Shared with your line manager on 23 Nov 2026" in client.get("/").content.decode()
    home = client_for(world.manager).get("/").content.decode()
    assert "Self-reviews waiting for your comment" in home
    assert url(review) in home


def test_home_counts_the_standards_a_draft_reflects_on_so_far(world, client_for):
    review = start(world)
    some = dict(list(rate_everything(review).items())[:2])
    with trust_scope(world.trust):
        self_review_save(
            actor=world.staff, review=review, ratings=some, next_steps={}, reflections={}
        )
    home = client_for(world.staff).get("/").content.decode()
    assert "Draft: 2 standards reflected on so far." in home
    assert url(review) in home


def test_the_waiting_list_names_each_colleague_and_cycle(world, client_for):
    shared(world)
    home = client_for(world.manager).get("/").content.decode()
    waiting = home.split("Self-reviews waiting for your comment", 1)[1].split("</section>")[0]
    assert world.staff.full_name in waiting
    assert world.cycle.name in waiting and "shared 23 Nov 2026" in waiting


def test_support_staff_reflect_against_thinking_customer_first(world, client_for):
    review = start(world, world.support)
    assert review.framework.code == "thinking-customer-first"
    body = client_for(world.support).get(url(review)).content.decode()
    assert "Trusted" in body and "We will use economies of scale" in body
    assert "learning needs of my class" not in body
    assert "What are my development needs?" in body


def test_an_autosave_over_a_fields_limit_names_the_field(world, client_for):
    review = start(world)
    one = Standard.objects.get(framework=review.framework, code="1")
    response = client_for(world.staff).post(
        url(review, "save"), {steps_field(one): "x" * 4001}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "is too long: at most 4,000 characters (it has 4001)." in body
    assert "Draft saved" not in body
