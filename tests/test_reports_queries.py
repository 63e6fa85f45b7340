"""Queries per page do not grow with the rows shown: each page is measured on a small trust,
then grown, and must not need one query more (django_assert_max_num_queries)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboards_fixtures import grow

# A hard ceiling too, so a page cannot drift unnoticed. The home page is the sum of every
# app's panels, hence the headroom; what matters here is that no page grows with its rows.
CEILING = 80


def pages(world):
    school = reverse("reports:school", args=[world.school.public_id])
    return [
        ("staff", "/"),
        ("manager", "/"),
        ("head", "/"),
        ("admin", "/"),
        ("manager", reverse("reports:team")),
        ("manager", reverse("reports:team") + "?export=team&format=csv"),
        ("head", school),
        ("head", school + "?export=people&format=xlsx"),
        ("admin", reverse("reports:trust")),
        ("admin", reverse("reports:trust") + "?export=schools&format=csv"),
        # The lists of the apps already on main.
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


def test_it_keeps_queries_flat_as_the_trust_grows(
    world, client_for, django_assert_max_num_queries, settings
):
    clients = {
        role: client_for(getattr(world, role)) for role in ("staff", "manager", "head", "admin")
    }
    grow(world, 2)
    small = {}
    for role, url in pages(world):
        count(clients[role], url)  # warm per-process caches (content types, templates)
        small[(role, url)] = count(clients[role], url)
        assert small[(role, url)] <= CEILING, (role, url, small[(role, url)])
    grow(world, 12)
    for role, url in pages(world):
        with django_assert_max_num_queries(small[(role, url)], info=f"{role} {url}"):
            clients[role].get(url)
