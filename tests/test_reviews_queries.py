"""Pages issue a number of queries that does not grow with the rows they show."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_staff
from tests.reviews_fixtures import placed_review


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_lists_reviews_to_write_in_constant_queries(world, client_for):
    client = client_for(world.manager)
    placed_review(world)
    few = _count(client, "/reviews/")
    for n in range(4):
        person = make_staff(
            world.trust, world.school, first_name=f"Extra{n}", line_manager=world.manager
        )
        placed_review(world, person=person, cell=9, write=False)
    assert _count(client, "/reviews/") == few


def test_it_shows_moderation_and_home_in_constant_queries(world, client_for):
    placed_review(world, submit=True)
    client = client_for(world.head)
    few_moderation = _count(client, "/reviews/moderation/")
    few_home = _count(client, "/")
    for n in range(4):
        person = make_staff(
            world.trust, world.school, first_name=f"More{n}", line_manager=world.manager
        )
        placed_review(world, person=person, cell=2, submit=True)
    assert _count(client, "/reviews/moderation/") == few_moderation
    assert _count(client, "/") <= few_home  # does not grow with the rows shown


def test_it_shows_placement_and_statement_pages_in_bounded_queries(
    world, client_for, django_assert_max_num_queries
):
    review = placed_review(world)
    client = client_for(world.manager)
    # Placement gathers the check-in summary (a fixed handful of aggregate queries), the
    # objectives, the July reflection and the key, besides the session and the navigation;
    # and the header's "Waiting for me" count (a fixed handful more, growth/navigation/inbox.py).
    with django_assert_max_num_queries(35):
        client.get(f"/reviews/{review.public_id}/placement/")
    with django_assert_max_num_queries(25):
        client.get(f"/reviews/{review.public_id}/statement/")
    with django_assert_max_num_queries(25):
        client.get(f"/reviews/{review.public_id}/")


def test_it_shows_calibration_in_constant_queries_however_many_reviewers(world, client_for):
    placed_review(world, submit=True)
    client = client_for(world.admin)
    few = _count(client, "/reviews/calibration/")
    for n in range(4):
        reviewer = make_staff(world.trust, world.school, first_name=f"Reviewer{n}")
        person = make_staff(
            world.trust, world.school, first_name=f"Reviewed{n}", line_manager=reviewer
        )
        placed_review(world, person=person, cell=2, submit=True)
    html = client.get("/reviews/calibration/").content.decode()
    assert "Reviewer3" in html  # the new reviewers are on the page
    assert _count(client, "/reviews/calibration/") == few
