"""The learning record's pages: logging, the impact prompt, and the team, school and trust
views with their exports."""

from __future__ import annotations

import datetime as dt
import io
from csv import reader
from decimal import Decimal

import pytest
from django.urls import reverse

from growth.security.tenancy import trust_scope
from learning.models import LearningBudget, LearningEntry
from tests.learning_fixtures import log_learning
from tests.test_learning_record import hand_computed_world


def test_a_teacher_logs_a_course_and_sees_it_in_their_record(world, client_for):
    client = client_for(world.staff)
    response = client.post(
        reverse("learning:entry_new"),
        {
            "kind": "course",
            "title": "Questioning for deeper thinking",
            "provider": "Teach First",
            "started_on": "2026-10-05",
            "hours": "6",
            "cost": "150",
            "paid_by": "school",
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("learning:record")).content.decode()
    assert "Questioning for deeper thinking" in body and "Teach First" in body


def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(world, client_for):
    response = client_for(world.staff).post(
        reverse("learning:entry_new"),
        {
            "kind": "course",
            "title": "X",
            "started_on": "2026-10-05",
            "hours": "0",
            "cost": "10",
            "paid_by": "nobody",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "hours" in body.lower()
    with trust_scope(world.trust):
        assert not LearningEntry.objects.exists()


@pytest.mark.parametrize("role", ["manager", "head", "admin", "colleague", "other_head"])
def test_nobody_else_edits_a_persons_record(world, client_for, role):
    entry = log_learning(world.staff)
    client = client_for(world.everyone[role])
    for name in ("learning:entry_edit", "learning:entry_impact"):
        assert client.get(reverse(name, args=[entry.public_id])).status_code in (403, 404)


def test_waiting_for_me_asks_for_the_impact_once_three_months_have_passed(world, client_for):
    entry = log_learning(world.staff, started_on=dt.date.today() - dt.timedelta(days=100))
    question = f"What difference did {entry.title} make?"
    client = client_for(world.staff)
    assert question in client.get(reverse("inbox_panel")).content.decode()  # on the home page
    client.post(reverse("learning:entry_impact", args=[entry.public_id]), {"impact": "Calmer"})
    assert question not in client.get(reverse("inbox")).content.decode()


def test_a_recent_course_is_not_asked_about_yet(world, client_for):
    entry = log_learning(world.staff, started_on=dt.date.today())
    body = client_for(world.staff).get(reverse("inbox")).content.decode()
    assert f"What difference did {entry.title} make?" not in body


def test_the_line_manager_sees_their_team_and_exports_it(world, client_for):
    log_learning(world.staff, title="Sams adaptive teaching course")
    log_learning(world.colleague, title="Cals maths mastery course")
    client = client_for(world.manager)
    body = client.get(reverse("learning:team_record")).content.decode()
    assert "Sams adaptive teaching course" in body
    assert "Cals maths mastery course" not in body
    csv = client.get(reverse("learning:team_record"), {"export": "team-entries", "format": "csv"})
    assert csv.status_code == 200
    assert "Sams adaptive teaching course" in csv.content.decode("utf-8-sig")


def test_the_head_sees_spend_against_the_budget_they_set(world, client_for):
    hand_computed_world(world)
    client = client_for(world.head)
    page = client.get(reverse("learning:my_school_record"), follow=True)
    body = page.content.decode()
    assert '<dd class="col-sm-8" id="school-spend">£100.00</dd>' in body
    assert '<dd class="col-sm-8" id="school-budget">£1000.00</dd>' in body
    assert '<dd class="col-sm-8" id="school-left">£900.00</dd>' in body
    url = reverse("learning:school_record", args=[world.school.public_id])
    assert client.post(url, {"amount": "1200"}).status_code == 302
    with trust_scope(world.trust):
        assert LearningBudget.objects.get(school=world.school).amount == Decimal("1200")
    assert client.post(url, {"amount": "-3"}).status_code == 400


@pytest.mark.parametrize("role, status", [("staff", 403), ("manager", 403), ("other_head", 403)])
def test_a_school_page_is_its_heads_and_hrs(world, client_for, role, status):
    url = reverse("learning:school_record", args=[world.school.public_id])
    assert client_for(world.everyone[role]).get(url).status_code == status


def test_the_trust_admin_exports_every_school_side_by_side(world, client_for):
    hand_computed_world(world)
    client = client_for(world.admin)
    assert client.get(reverse("learning:trust_record")).status_code == 200
    csv = client.get(
        reverse("learning:trust_record"), {"export": "trust-schools", "format": "csv"}
    ).content.decode("utf-8-sig")
    lines = {row[0]: row[1:] for row in reader(io.StringIO(csv))}
    assert lines[world.school.name] == [
        "2",
        "3",
        "11",
        "£100.00",
        "£1,000.00",
        "£900.00",
    ]
    assert lines[world.other_school.name][:4] == ["1", "1", "1", "£25.00"]


def test_another_trust_gets_404(world, other_world, client_for):
    entry = log_learning(world.staff)
    client = client_for(other_world.admin)
    for url in (
        reverse("learning:entry_edit", args=[entry.public_id]),
        reverse("learning:school_record", args=[world.school.public_id]),
    ):
        assert client.get(url).status_code == 404
