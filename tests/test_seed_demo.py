"""seed_demo builds the two demo trusts in the middle of their year and, run again, duplicates
nothing; what it made is what each role sees on their pages."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from growth.models import AuditEvent, GrowthProgress, RoleAssignment, School, StaffMember, Trust
from growth.reporting.progress import progress_rows
from growth.security.tenancy import TrustOwned, trust_scope


def counts() -> dict[str, int]:
    found = {"users": get_user_model().objects.count(), "trusts": Trust.objects.count()}
    for model in apps.get_models():
        if issubclass(model, TrustOwned):
            found[model._meta.label] = model.objects.unscoped().count()
    return found


def signed_in(email: str) -> Client:
    """A client signed in with the printed demo password, as a person would."""
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": email, "password": "growth-demo-2026"}
    )
    assert response.status_code == 302, email
    return client


def column(table, key: str) -> list:
    index = [c.key for c in table.columns].index(key)
    return [row[index] for row in table.rows]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The demo, built once for the module (a minute's work) in a transaction rolled back at
    the end, so no other test module sees it; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", port="8123", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(built, db):
    return built


def test_it_builds_the_demo_and_running_it_again_duplicates_nothing(demo):
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    big = Trust.objects.get(slug="northbridge")
    staff = StaffMember.objects.for_trust(big)
    assert 55 <= staff.count() <= 70
    assert {s.category for s in staff} == {"teaching", "support", "central"}
    assert staff.exclude(career_stage=None).values("career_stage").distinct().count() == 7
    assert School.objects.for_trust(big).filter(kind="central").count() == 1
    assert School.objects.for_trust(big).filter(kind="school").count() == 3
    roles = RoleAssignment.objects.for_trust(big)
    assert roles.filter(role="headteacher").count() == 4
    assert roles.filter(role="trust_admin").count() == 1
    assert Trust.objects.filter(slug="fenmoor").exists()
    assert "growth-demo-2026" in demo and "Trust admin (HR)" in demo


def test_it_prints_the_port_it_will_serve_on(demo):
    assert "http://127.0.0.1:8123/" in demo
    assert ":8000" not in demo


def test_every_printed_account_signs_in_with_the_printed_password(demo):
    emails = [word for line in demo.splitlines() for word in line.split() if "@" in word]
    assert len(emails) == 14
    for email in emails:
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": email, "password": "growth-demo-2026"}
        )
        assert response.status_code == 302, email
        assert client.get(reverse("home")).status_code == 200, email


def test_the_year_so_far_shows_in_everyones_figures(demo):
    big = Trust.objects.get(slug="northbridge")
    with trust_scope(big):
        rows = GrowthProgress.objects.for_trust(big).select_related("cycle")
        current = max({r.cycle for r in rows}, key=lambda c: c.start_date)
        now = rows.filter(cycle=current)
        totals = now.aggregate(held=Sum("checkins_held"), overdue=Sum("checkins_overdue"))
        assert totals["held"] > 100
        assert totals["overdue"] > 0
        states = set(now.values_list("plan_state", flat=True))
        assert {"agreed", "submitted", "changes_requested", "draft", ""} <= states
        assert now.filter(plan_state="agreed").count() > now.count() // 2
        assert now.filter(self_review_state="shared").count() > 10
        assert (
            now.filter(observations_this_term__gt=0).exists()
            or now.filter(checkins_held__gt=0).exists()
        )
        # Reviews at each step, in this cycle or the one before.
        statuses = set(rows.exclude(review_status="").values_list("review_status", flat=True))
        assert {"draft", "submitted", "decided"} <= statuses
        assert rows.exclude(reflection_submitted_at=None).count() >= 6
        # Made through the services: the kept rows are what a rebuild from the records gives.
        people = list(StaffMember.objects.for_trust(big).order_by("pk"))
        rebuilt = {r.staff_member_id: r for r in progress_rows(cycle=current, people=people)}
        for row in now:
            assert row.checkins_held == rebuilt[row.staff_member_id].checkins_held
            assert row.plan_state == rebuilt[row.staff_member_id].plan_state
        actions = set(AuditEvent.objects.for_trust(big).values_list("action", flat=True))
    assert {"plan.agree", "checkin.record", "observation.complete", "self_review.share"} <= (
        actions
    )


def test_the_line_manager_sees_their_team_with_plans_agreed_and_check_ins_held(demo):
    client = signed_in("tomasz.jones.s1-english@northbridge.example")
    table = client.get(reverse("reports:team")).context["table"]
    assert sum(cell.value for cell in column(table, "checkins_held")) > 5
    assert "Agreed" in [cell.text for cell in column(table, "objectives_plan")]
    assert "Submitted" in " ".join(cell.text for cell in column(table, "objectives_plan"))


def _table_figures(html: str) -> dict[str, list[str]]:
    """Each column of the page's first table (the school's figures at a glance, or every
    school's), by heading, as the text a reader sees."""
    columns: dict[str, list[str]] = {}
    for table in re.findall(r"<table.*?</table>", html, re.S)[:1]:
        rows = [
            [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        ]
        if not rows:
            continue
        if rows[0] == ["Measure", "Value"]:  # a school at a glance: one measure a row
            for row in rows[1:]:
                columns.setdefault(row[0], []).append(row[1])
            continue
        for row in rows[1:]:
            for heading, value in zip(rows[0], row, strict=False):
                columns.setdefault(heading, []).append(value)
    return columns


def test_the_headteacher_and_hr_see_non_zero_school_figures(demo):
    for email, url in (
        ("oscar.johnson.s1-head@northbridge.example", reverse("reports:my_school")),
        ("priya.wilson.c-hr@northbridge.example", reverse("reports:trust")),
    ):
        response = signed_in(email).get(url, follow=True)
        assert response.status_code == 200
        columns = _table_figures(response.content.decode())
        agreed = [v for k, vs in columns.items() if "agreed" in k.lower() for v in vs]
        held = [v for k, vs in columns.items() if "check-ins held" in k.lower() for v in vs]
        assert agreed and held, sorted(columns)
        # In the autumn only the July reflections and reviews (next summer) read 0%.
        for value in agreed + held:
            assert value and not value.startswith("0 "), (url, columns)


def test_the_readme_teacher_can_write_and_submit_their_plan(demo):
    from growth.models import GrowthCycle
    from objectives.models import GrowthPlan
    from objectives.selectors import plan_page

    client = signed_in("leo.edwards.s1-t1@northbridge.example")
    assert client.get(reverse("objectives:my_plan"), follow=True).status_code == 200
    leo = StaffMember.objects.unscoped().get(user__email="leo.edwards.s1-t1@northbridge.example")
    with trust_scope(leo.trust):
        cycle = max(GrowthCycle.objects.for_trust(leo.trust), key=lambda c: c.start_date)
        plan = GrowthPlan.objects.for_trust(leo.trust).get(staff_member=leo, cycle=cycle)
        assert plan.state == "draft" and not plan_page(plan).failing
    url = reverse("objectives:plan_submit", args=[plan.public_id])
    assert client.post(url).status_code == 302
    plan.refresh_from_db()
    assert plan.state == "submitted"


def test_the_demo_has_learning_logged_a_coach_at_work_and_resources(demo):
    big = Trust.objects.get(slug="northbridge")
    with trust_scope(big):
        ect = StaffMember.objects.for_trust(big).get(user__email__contains=".s1-t1@")
        head = StaffMember.objects.for_trust(big).get(user__email__contains=".s1-head@")
        npq = StaffMember.objects.for_trust(big).get(user__email__contains=".s1-t5@")
    record = signed_in(ect.email).get("/learning/record/").content.decode()
    assert "Behaviour for learning: routines that stick" in record
    coaching = signed_in(ect.email).get("/learning/coaching/").content.decode()
    assert "Questioning in Year 8" in coaching or "Settling a class after lunch" in coaching
    # Learning from last term has its impact written; the school's record totals its spend.
    assert "end-of-unit scores" in signed_in(npq.email).get("/learning/record/").content.decode()
    school = signed_in(head.email).get("/learning/record/school/", follow=True).content.decode()
    assert 'id="school-spend">£120.00' in school  # the reading fluency course
    assert 'id="school-budget">£4000.00' in school
    hub = signed_in(ect.email).get("/learning/resources/").content.decode()
    assert "Retrieval practice: a one-page guide" in hub


def test_the_demo_pay_table_has_ranges_a_confirmed_decision_and_an_upper_pay_scale_applicant(
    demo,
):
    from reviews.models import PayDecision

    big = Trust.objects.get(slug="northbridge")
    with trust_scope(big):
        head = StaffMember.objects.for_trust(big).get(user__email__contains=".s1-head@")
        top_of_main = StaffMember.objects.for_trust(big).get(user__email__contains=".s1-t4@")
        decided = PayDecision.objects.for_trust(big).select_related("staff_member__user").get()
    assert decided.decision == PayDecision.Decision.CONFIRMED
    table = signed_in(head.email).get("/reviews/pay/").content.decode()
    assert decided.staff_member.full_name in table
    assert "Main pay range" in table or "Main" in table
    mine = signed_in(top_of_main.email).get("/reviews/upper-pay-scale/")
    assert mine.status_code == 200
    assert "Apply" in mine.content.decode()


# --- The demo with the other commands ------------------------------------------------------
# Here rather than beside each command's own tests, so that they share this module's build.


def test_it_rolls_the_demo_trust_over_and_changes_nothing_of_last_year(demo):
    from growth.models import GrowthCycle
    from objectives.models import SchoolFocus
    from tests.test_year_rollover import _last_year, roll_over

    trust = Trust.objects.get(slug="northbridge")
    with trust_scope(trust):
        cycle = GrowthCycle.objects.for_trust(trust).order_by("-start_date").first()
        closures = cycle.closures.count()
        focuses = SchoolFocus.objects.filter(cycle=cycle).count()
        people = StaffMember.objects.count()
    before = _last_year(trust, cycle)
    new = roll_over(trust, cycle)
    assert _last_year(trust, cycle) == before
    with trust_scope(trust):
        assert new.start_date == dt.date(cycle.start_date.year + 1, 9, 1)
        assert new.terms.count() == len(before["terms"])
        assert new.closures.count() == closures
        for old, moved in zip(cycle.closures.all(), new.closures.all(), strict=True):
            assert moved.start_date.weekday() == old.start_date.weekday()
        assert SchoolFocus.objects.filter(cycle=new).count() == focuses
        # The summary rows of the new cycle are built, one per person.
        assert GrowthProgress.objects.filter(cycle=new).count() == people


def test_the_shipped_example_file_imports_into_the_demo_trust(demo):
    from tests.test_import_staff_command import ROOT, run

    out, _ = run(str(ROOT / "fixtures" / "example_staff_import.csv"), "--trust", "northbridge")
    assert "5 created" in out


def test_the_demo_seeded_again_a_year_later_has_rows_for_its_new_cycle(demo):
    from growth.models import GrowthCycle
    from tests.test_progress import assert_same, kept, rebuilt_as_kept

    a_year_later = dt.datetime.now(dt.UTC) + dt.timedelta(days=366)
    with time_machine.travel(a_year_later, tick=False):
        call_command("seed_demo", stdout=StringIO())
    for trust in Trust.objects.filter(slug__in=["northbridge", "fenmoor"]):
        assert GrowthCycle.objects.for_trust(trust).count() == 3
        assert_same(kept(trust), rebuilt_as_kept(trust))
