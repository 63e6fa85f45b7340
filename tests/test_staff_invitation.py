"""A new person's invitation: the emailed link sets their password and verifies their email."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from growth.models import AuditEvent, StaffMember
from growth.staff_import import staff_import
from growth.tenancy import trust_scope

CSV = (
    "First name,Last name,Email,School,Job title,Category,Career stage,Line manager email\n"
    "Nia,Hughes,nia@alpha.example,Alpha Primary,Teacher,Teaching,MPR,\n"
)


def invite(world, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True), trust_scope(world.trust):
        staff_import(actor=world.admin, trust=world.trust, csv_text=CSV)
    (message,) = mail.outbox
    return re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/key/\S+)", message.body)[1]


def test_accepting_the_invitation_sets_the_password_and_verifies_the_email(
    world, django_capture_on_commit_callbacks
):
    path = invite(world, django_capture_on_commit_callbacks)
    client = Client()
    before = client.post("/accounts/login/", {"login": "nia@alpha.example", "password": "x"})
    assert before.status_code == 200  # no usable password yet
    form = client.get(path, follow=True)
    assert form.status_code == 200 and not form.context.get("token_fail")
    done = client.post(
        form.request["PATH_INFO"],
        {"password1": "Growth-and-more-2026", "password2": "Growth-and-more-2026"},
    )
    assert done.status_code == 302
    assert EmailAddress.objects.get(email="nia@alpha.example").verified
    signed_in = Client()
    response = signed_in.post(
        "/accounts/login/", {"login": "nia@alpha.example", "password": "Growth-and-more-2026"}
    )
    assert response["Location"] == "/"
    with trust_scope(world.trust):
        nia = StaffMember.objects.get(user__email="nia@alpha.example")
        assert AuditEvent.objects.filter(subject=nia, action="staff.invitation_accepted").exists()


def test_the_link_works_only_once(world, django_capture_on_commit_callbacks):
    path = invite(world, django_capture_on_commit_callbacks)
    client = Client()
    form = client.get(path, follow=True)
    client.post(
        form.request["PATH_INFO"],
        {"password1": "Growth-and-more-2026", "password2": "Growth-and-more-2026"},
    )
    again = Client().get(path, follow=True)
    assert again.context["token_fail"]
    assert "invalid" in again.content.decode().lower()


def test_no_invitation_is_sent_to_someone_who_already_has_a_password(
    world, django_capture_on_commit_callbacks
):
    from growth.tasks import send_staff_invitation

    assert send_staff_invitation(trust_id=world.trust.pk, staff_id=world.staff.pk) == 0
    assert mail.outbox == []
