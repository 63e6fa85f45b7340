"""Notifications people control (growth/notifications/services.py): every email is also an in-app
notification; each person chooses per kind email, weekly digest or the app only; the kinds
that keep an account safe are always emailed."""

from __future__ import annotations

import pytest
from django.core import mail

from growth.models import Notification
from growth.notifications.services import notification_preferences_set, notify
from growth.security.tenancy import trust_scope
from objectives import services as plan_services
from tests.objectives_fixtures import bank, ready_plan  # noqa: F401


@pytest.mark.usefixtures("bank")
def test_an_email_the_app_sends_also_appears_in_the_list(
    world, client_for, django_capture_on_commit_callbacks
):
    plan = ready_plan(world)
    with django_capture_on_commit_callbacks(execute=True), trust_scope(world.trust):
        plan_services.plan_submit(actor=world.staff, plan=plan)
    assert [m.to for m in mail.outbox] == [[world.manager.email]]
    page = client_for(world.manager).get("/notifications/").content.decode()
    assert "Unread" in page
    assert mail.outbox[0].subject in page


def test_in_app_only_sends_no_email_but_keeps_the_notification(
    world, django_capture_on_commit_callbacks
):
    with trust_scope(world.trust):
        notification_preferences_set(
            actor=world.staff, staff=world.staff, deliveries={"statements": "in_app"}
        )
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                trust_id=world.trust.pk,
                to=[world.staff.email, world.colleague.email],
                kind="statements",
                subject="Your statement",
                body="Read it",
            )
        assert Notification.objects.get(recipient=world.staff).delivery == "in_app"
        assert Notification.objects.get(recipient=world.colleague).delivery == "email"
    assert [m.to for m in mail.outbox] == [[world.colleague.email]]


def test_a_person_chooses_per_kind_and_cannot_turn_off_safety_emails(world, client_for):
    client = client_for(world.staff)
    page = client.get("/notifications/settings/").content.decode()
    assert "Password set or reset" in page  # listed as always emailed
    assert 'name="password"' not in page  # not offered as a choice
    response = client.post(
        "/notifications/settings/",
        {
            "plans": "digest",
            "self_reviews": "email",
            "statements": "in_app",
            "checkin_reminders": "email",
            "deadlines": "digest",
            "password": "in_app",  # ignored: always emailed
        },
    )
    assert response.status_code == 302
    with trust_scope(world.trust):
        pref = world.staff.notification_preference
        assert pref.deliveries["plans"] == "digest"
        assert "password" not in pref.deliveries


def test_a_bad_choice_is_refused_naming_the_kind(world, client_for):
    response = client_for(world.staff).post("/notifications/settings/", {"plans": "pigeon"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    with trust_scope(world.trust):
        assert not Notification.objects.exists()


def test_marking_read_is_for_ones_own_notifications(world, client_for):
    with trust_scope(world.trust):
        mine, theirs = notify(
            trust_id=world.trust.pk,
            to=[world.staff.email, world.colleague.email],
            kind="plans",
            subject="News",
            body="",
        )
    client = client_for(world.staff)
    client.post("/notifications/read/", {"notification": str(theirs.public_id)})
    with trust_scope(world.trust):
        theirs.refresh_from_db()
        assert theirs.read_at is None
    client.post("/notifications/read/", {"notification": str(mine.public_id)})
    with trust_scope(world.trust):
        mine.refresh_from_db()
        assert mine.read_at is not None
    assert "Unread" not in client.get("/notifications/").content.decode()


def test_a_malformed_notification_id_is_not_found_and_marks_nothing(world, client_for):
    with trust_scope(world.trust):
        (mine,) = notify(
            trust_id=world.trust.pk, to=[world.staff.email], kind="plans", subject="News", body=""
        )
    response = client_for(world.staff).post("/notifications/read/", {"notification": "not-an-id"})
    assert response.status_code == 404
    with trust_scope(world.trust):
        mine.refresh_from_db()
        assert mine.read_at is None
