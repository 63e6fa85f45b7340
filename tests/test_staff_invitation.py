"""A new person's invitation: the emailed link sets their password and verifies their email."""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from growth.domain.staff_import import staff_import
from growth.models import AuditEvent, StaffMember
from growth.security.tenancy import trust_scope

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


def test_an_admin_or_their_head_can_send_a_new_invitation_until_they_sign_up(
    world, client_for, django_capture_on_commit_callbacks
):
    invite(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with trust_scope(world.trust):
        nia = StaffMember.objects.select_related("user").get(user__email="nia@alpha.example")
    page = f"/people/{nia.public_id}/"
    resend = f"/people/{nia.public_id}/invite/"
    assert "Send a new invitation" in client_for(world.admin).get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client_for(world.head).post(resend, follow=True)
    assert "A new invitation is on its way to nia@alpha.example" in sent.content.decode()
    (message,) = mail.outbox
    assert message.to == ["nia@alpha.example"]
    path = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/key/\S+)", message.body)[1]
    assert not Client().get(path, follow=True).context.get("token_fail")
    resent = AuditEvent.objects.for_trust(world.trust).filter(action="staff.invitation_resent")
    assert list(resent.values_list("subject_id", "actor_id")) == [(nia.pk, world.head.user_id)]

    # Not for another school's head (not theirs: 404), nor another trust; no email either.
    assert client_for(world.other_head).post(resend).status_code == 404
    assert len(mail.outbox) == 1

    # Once they have signed up there is nothing to resend.
    nia.user.set_password("Growth-and-more-2026")
    nia.user.save()
    assert "Send a new invitation" not in client_for(world.admin).get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        refused = client_for(world.admin).post(resend, follow=True)
    assert "has already signed up" in refused.content.decode()
    assert len(mail.outbox) == 1


def test_a_colleague_cannot_resend_an_invitation(world, other_world, client_for):
    resend = f"/people/{world.staff.public_id}/invite/"
    assert client_for(world.manager).post(resend).status_code == 403  # related, wrong role
    assert client_for(world.colleague).post(resend).status_code == 404
    assert client_for(other_world.admin).post(resend).status_code == 404
    assert client_for(world.admin).get(resend).status_code == 405
