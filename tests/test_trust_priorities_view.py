"""Trust priorities (pillars) and strategic goals, kept by trust admins."""

from __future__ import annotations

from growth.models import AuditEvent, StrategicGoal, TrustPriority
from growth.security.tenancy import trust_scope


def test_it_adds_and_edits_a_priority(world, client_for):
    client = client_for(world.admin)
    response = client.post("/trust/priorities/", {"name": "Trust of choice", "order": 2})
    assert response.status_code == 302
    with trust_scope(world.trust):
        priority = TrustPriority.objects.get(name="Trust of choice")
    response = client.post(
        f"/trust/priorities/{priority.public_id}/",
        {"name": "Trust of choice", "description": "Where people want to work.", "order": 3},
    )
    assert response.status_code == 302
    with trust_scope(world.trust):
        priority.refresh_from_db()
        actions = list(
            AuditEvent.objects.filter(object_id=str(priority.public_id)).values_list(
                "action", flat=True
            )
        )
    assert priority.order == 3
    assert sorted(actions) == ["priority.create", "priority.update"]


def test_a_duplicate_priority_is_a_form_error(world, client_for):
    response = client_for(world.admin).post(
        "/trust/priorities/", {"name": "Success through learning", "order": 0}
    )
    assert response.status_code == 400
    assert "already has a priority with that name" in response.content.decode()


def test_it_adds_a_goal_under_a_priority_for_a_school(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        "/trust/goals/new/",
        {
            "priority": world.priority.pk,
            "title": "Teaching to Remember",
            "school": world.school.pk,
            "cycle": world.cycle.pk,
        },
    )
    assert response.status_code == 302
    page = client.get("/trust/priorities/").content.decode()
    assert "Teaching to Remember" in page and world.school.name in page


def test_it_will_not_attach_a_goal_to_another_trusts_priority(world, other_world, client_for):
    response = client_for(world.admin).post(
        "/trust/goals/new/", {"priority": other_world.priority.pk, "title": "Sneaky"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not StrategicGoal.objects.unscoped().filter(title="Sneaky").exists()


def test_it_is_forbidden_to_other_roles(world, client_for):
    assert client_for(world.head).get("/trust/priorities/").status_code == 403
    assert client_for(world.staff).get("/trust/goals/new/").status_code == 403
