"""Queries per page do not grow with the rows shown, and stay within 15: each page is
measured on a school of 7 staff (the test world's five and two more, with plans, check-ins
and reviews), then on the same school grown to 40, and must need exactly as many queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growth.models import StaffMember
from tests.dashboards_fixtures import grow

# Every role's home page, every report and export, every list: at most this many queries.
CEILING = 15


def pages(world):
    school = reverse("reports:school", args=[world.school.public_id])
    team = reverse("reports:team")
    trust = reverse("reports:trust")
    return [
        # Every role's home page.
        ("staff", "/"),
        ("manager", "/"),
        ("head", "/"),
        ("admin", "/"),
        # The parts of every page loaded after it: the header's "Waiting for me" count and
        # the home page's lists loaded on their own.
        *((role, reverse("inbox_count")) for role in ("staff", "manager", "head", "admin")),
        *((role, reverse("inbox_panel")) for role in ("staff", "manager", "head")),
        *((role, reverse("objectives:team_panel")) for role in ("manager", "head", "admin")),
        ("admin", reverse("reports:trust_panel")),
        ("manager", reverse("checkins:growth_feedback_panel")),
        ("head", reverse("checkins:growth_feedback_panel")),
        ("staff", reverse("inbox")),
        # The reports and their exports.
        ("manager", team),
        ("manager", team + "?export=team&format=csv"),
        ("manager", team + "?export=team&format=xlsx"),
        ("head", school),
        ("head", school + "?export=people&format=csv"),
        ("head", school + "?export=people&format=xlsx"),
        ("head", school + "?export=summary&format=csv"),
        ("admin", school),
        ("admin", trust),
        ("admin", trust + "?export=schools&format=csv"),
        ("admin", trust + "?export=schools&format=xlsx"),
        # The apps' lists.
        ("manager", reverse("people")),
        ("manager", reverse("objectives:team")),
        ("head", reverse("objectives:team")),
        ("staff", reverse("objectives:my_plan")),
        ("manager", reverse("checkins:team")),
        ("staff", reverse("checkins:person", args=[world.staff.public_id])),
        ("manager", reverse("checkins:person", args=[world.staff.public_id])),
        ("manager", reverse("reviews:index")),
        ("head", reverse("reviews:moderation")),
    ]


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def school_size(world) -> int:
    return StaffMember.objects.for_trust(world.trust).filter(school=world.school).count()


def test_every_page_needs_the_same_few_queries_for_a_school_of_7_and_of_40(
    world, client_for, django_assert_max_num_queries
):
    clients = {
        role: client_for(getattr(world, role)) for role in ("staff", "manager", "head", "admin")
    }
    grow(world, 2)
    assert school_size(world) == 7
    small = {}
    for role, url in pages(world):
        count(clients[role], url)  # warm per-process caches (content types, templates)
        with django_assert_max_num_queries(CEILING, info=f"{role} {url}"):
            small[(role, url)] = count(clients[role], url)
    grow(world, 33)
    assert school_size(world) == 40
    large = {}
    for role, url in pages(world):
        with django_assert_max_num_queries(small[(role, url)], info=f"{role} {url}"):
            large[(role, url)] = count(clients[role], url)
    assert large == small
