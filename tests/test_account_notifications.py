"""The emails that keep an account safe (sign-in, password, a data export ready) are always
emailed and also listed in the person's notifications, without the link or code they carry."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from growth.models import DataExport, Notification
from growth.notifications.services import notification_preferences_set
from growth.security.tenancy import trust_scope
from tests.factories import PASSWORD


def notes_of(staff) -> list[Notification]:
    with trust_scope(staff.trust):
        return list(Notification.objects.filter(recipient=staff).order_by("pk"))


def test_a_reset_asked_for_signed_out_is_listed_without_its_link(world, client_for):
    response = Client().post("/accounts/password/reset/", {"email": world.staff.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    key = re.search(r"/accounts/password/reset/key/(\S+)", mail.outbox[0].body).group(1)
    (note,) = notes_of(world.staff)
    assert (note.kind, note.delivery) == ("password", "email")
    assert note.subject == "A password reset link was sent to you"
    page = client_for(world.staff).get("/notifications/").content.decode()
    assert "A password reset link was sent to you" in page
    assert key not in page and key not in note.body
    assert not notes_of(world.colleague)


def test_a_password_change_is_emailed_and_listed_even_for_someone_who_chose_the_app_only(
    world, client_for
):
    with trust_scope(world.trust):
        notification_preferences_set(
            actor=world.staff, staff=world.staff, deliveries={"password": "in_app"}
        )
    client = client_for(world.staff)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-Secret-2026",
            "password2": "a-new-Secret-2026",
        },
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[world.staff.email]]
    assert [(n.subject, n.delivery) for n in notes_of(world.staff)] == [
        ("Your password was changed", "email")
    ]


def test_the_admin_who_asked_for_an_export_is_told_it_is_ready(
    world, client_for, django_capture_on_commit_callbacks
):
    admin = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/privacy/people/{world.staff.public_id}/export/")
    with trust_scope(world.trust):
        export = DataExport.objects.get(subject=world.staff)
    assert export.status == DataExport.Status.BUILT
    (note,) = notes_of(world.admin)
    assert note.kind == "data_export"
    assert (
        note.subject == f"{world.staff.full_name}'s subject access export is ready for your review"
    )
    assert note.url.endswith(f"/privacy/exports/{export.public_id}/")
    assert [m.to for m in mail.outbox] == [[world.admin.email]]
    assert not notes_of(world.staff)  # the person exported is not told by this
