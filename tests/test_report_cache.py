"""School and trust figures are computed once per change of a trust's data
(growth/report_cache.py): a change made through the app shows at once, each trust and school
keeps its own figures, reads do not throw them away, and a cache outage costs speed only."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growth.audit import audit_read, audit_record
from growth.models import StaffMember
from growth.report_cache import figures_version
from growth.services import NewStaff, staff_members_create_bulk
from growth.tenancy import request_memo_scope, trust_scope
from objectives.models import GrowthPlan
from objectives.services import plan_start
from tests.dashboards_fixtures import csv_rows

TRUST_CSV = reverse("reports:trust") + "?export=schools&format=csv"


def cell(client, school, column: str) -> str:
    """A school's cell in the trust table, as exported ("2 of 5 (40%)")."""
    header, *rows = csv_rows(client.get(TRUST_CSV))
    return next(r for r in rows if r[0] == school.name)[header.index(column)]


def figure(client, school, column: str) -> int:
    return int(cell(client, school, column).split()[0])


def of_whom(client, school, column: str) -> int:
    """The N of "2 of N (40%)"."""
    text = cell(client, school, column)
    return int(text.split(" of ")[1].split()[0]) if " of " in text else 0


def test_it_shows_a_change_made_in_the_app_at_once(world, client_for):
    admin = client_for(world.admin)
    before = figure(admin, world.school, "Plans started")
    with trust_scope(world.trust):
        plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    assert figure(admin, world.school, "Plans started") == before + 1


def test_it_shows_people_added_by_an_import_at_once(world, client_for):
    admin = client_for(world.admin)
    before = of_whom(admin, world.other_school, "Plans started")
    with trust_scope(world.trust):
        staff_members_create_bulk(
            actor=world.admin,
            trust=world.trust,
            people=[
                NewStaff(
                    email=f"new{i}@alpha.example",
                    first_name="New",
                    last_name=f"Starter{i}",
                    school=world.other_school,
                    job_title="Teacher",
                    category=StaffMember.Category.SUPPORT,
                )
                for i in range(3)
            ],
            invite=False,
        )
    assert of_whom(admin, world.other_school, "Plans started") == before + 3


def test_it_computes_the_figures_once_until_the_data_changes(world, client_for):
    admin = client_for(world.admin)
    admin.get(reverse("reports:trust"))
    with trust_scope(world.trust):
        plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    with CaptureQueriesContext(connection) as cold:
        admin.get(reverse("reports:trust"))
    with CaptureQueriesContext(connection) as warm:
        admin.get(reverse("reports:trust"))
    # The aggregates over every school (one or more queries per measure and chart) are not run
    # again: only the request's own (session, user, membership, cycle, schools) remain.
    assert len(warm) <= 8 < len(cold)


def test_it_keeps_each_trusts_and_each_schools_figures_apart(world, other_world, client_for):
    alpha = client_for(world.admin)
    beta = client_for(other_world.admin)
    with trust_scope(world.trust):
        plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    started_alpha = figure(alpha, world.school, "Plans started")
    started_beta = figure(beta, other_world.school, "Plans started")
    assert started_alpha == started_beta + 1
    # The headteacher's school panel and the school report are cached per school.
    head = client_for(world.head).get(reverse("reports:school", args=[world.school.public_id]))
    other = client_for(world.other_head).get(reverse("home"))
    assert world.school.name in head.content.decode()
    assert world.school.name not in other.content.decode()


def test_it_keeps_the_figures_when_someone_only_reads(world):
    version = figures_version(world.trust.pk)
    with trust_scope(world.trust):
        audit_read(viewer=world.manager, obj=world.staff, subject=world.staff)
    assert figures_version(world.trust.pk) == version


def test_a_request_that_writes_reads_the_new_version_after_its_write(world):
    """The version is read once per request, and a write in the request forgets that copy:
    a page drawn after the request's own change never shows figures from before it."""
    with request_memo_scope(), trust_scope(world.trust):
        before = figures_version(world.trust.pk)
        assert figures_version(world.trust.pk) == before
        audit_record(trust=world.trust, actor=world.admin, action="test", obj=world.staff)
        assert figures_version(world.trust.pk) != before


@pytest.mark.django_db(transaction=True)
def test_it_moves_on_again_when_the_change_commits(world):
    """Someone reading between the change and its commit caches figures of the old data
    under the new version: the commit moves the version on again (once, however many rows
    the transaction audits)."""
    first = figures_version(world.trust.pk)
    with transaction.atomic(), trust_scope(world.trust):
        for _ in range(3):
            audit_record(trust=world.trust, actor=world.admin, action="test", obj=world.staff)
        during = figures_version(world.trust.pk)
        pending = [f for _, f, _ in connection.run_on_commit if hasattr(f, "figures_trust_id")]
        assert len(pending) == 1
    after = figures_version(world.trust.pk)
    assert first != during != after


def test_it_serves_the_reports_when_the_cache_is_down(world, client_for, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
        }
    }
    admin = client_for(world.admin)
    before = figure(admin, world.school, "Plans started")
    with trust_scope(world.trust):
        plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    response = admin.get(reverse("reports:trust"))
    assert response.status_code == 200
    assert world.school.name in response.content.decode()
    assert figure(admin, world.school, "Plans started") == before + 1


def test_it_computes_every_time_when_caching_is_off(world, client_for, settings):
    settings.REPORT_FIGURES_CACHE_SECONDS = 0
    admin = client_for(world.admin)
    before = figure(admin, world.school, "Plans started")
    # Written behind the app's back (no service, no audit): only an uncached page sees it.
    with trust_scope(world.trust):
        GrowthPlan.objects.create(trust=world.trust, staff_member=world.staff, cycle=world.cycle)
    assert figure(admin, world.school, "Plans started") == before + 1


def test_it_shows_a_change_another_worker_made_although_this_one_kept_the_figures(
    world, client_for
):
    """Each process keeps its own copy of the figures it read; a change made in another
    process (which moves the version in the shared cache only) must still show at once."""
    from django.core.cache import cache

    from growth.report_cache import _version_key

    admin = client_for(world.admin)
    before = figure(admin, world.school, "Plans started")
    assert figure(admin, world.school, "Plans started") == before  # now kept in this process
    # Another worker's write: the row, and the version moved in the shared cache alone.
    with trust_scope(world.trust):
        GrowthPlan.objects.create(trust=world.trust, staff_member=world.staff, cycle=world.cycle)
    cache.set(_version_key(world.trust.pk), "moved-by-another-worker", timeout=None)
    assert figure(admin, world.school, "Plans started") == before + 1
