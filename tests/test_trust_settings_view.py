"""Trust settings: trust admins change their own trust's settings, audited; others may not."""

from __future__ import annotations

import pytest

from growth.models import AuditEvent, Trust
from growth.security.tenancy import trust_scope


def form_data(**overrides):
    data = {
        "checkin_cadence_days": 21,
        "checkin_length_minutes": 10,
        "reminder_notice_days": 2,
        "observation_minutes_per_term": 30,
        "observation_terms_per_year": 6,
        "retention_months": 72,
        "require_mfa_for_leaders": "on",
        "email_domains": "alpha.example, @Alpha-Schools.org.uk",
        "microsoft_tenant_id": "",
        "google_workspace_domain": "",
        "brand_colour": "#1d3557",
    }
    data.update(overrides)
    return data


def test_it_saves_the_settings_and_audits_them(world, client_for):
    response = client_for(world.admin).post("/trust/settings/", form_data())
    assert response.status_code == 302
    trust = Trust.objects.get(pk=world.trust.pk)
    assert trust.checkin_cadence_days == 21 and trust.require_mfa_for_leaders
    assert trust.email_domain_list == ["alpha.example", "alpha-schools.org.uk"]
    with trust_scope(world.trust):
        event = AuditEvent.objects.get(action="trust.settings_update")
    assert event.before["checkin_cadence_days"] == 14
    assert event.after["checkin_cadence_days"] == 21
    assert event.actor == world.admin.user


def test_it_keeps_what_was_typed_and_names_the_bad_field(world, client_for):
    response = client_for(world.admin).post(
        "/trust/settings/", form_data(checkin_cadence_days=3, email_domains="not a domain")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 7." in page
    assert "is not an email domain" in page
    assert 'value="3"' in page
    assert Trust.objects.get(pk=world.trust.pk).checkin_cadence_days == 14


@pytest.mark.parametrize("role", ["head", "manager", "staff"])
def test_it_is_forbidden_to_other_roles(world, client_for, role):
    client = client_for(getattr(world, role))
    assert client.get("/trust/settings/").status_code == 403
    assert client.post("/trust/settings/", form_data()).status_code == 403
    assert Trust.objects.get(pk=world.trust.pk).checkin_cadence_days == 14


def test_another_trusts_admin_changes_only_their_own_trust(world, other_world, client_for):
    client_for(other_world.admin).post("/trust/settings/", form_data())
    assert Trust.objects.get(pk=world.trust.pk).checkin_cadence_days == 14
    assert Trust.objects.get(pk=other_world.trust.pk).checkin_cadence_days == 21


def test_it_paints_the_header_in_the_colour_chosen(world, client_for):
    response = client_for(world.admin).post("/trust/settings/", form_data(brand_colour="#5B2A86"))
    assert response.status_code == 302
    assert Trust.objects.get(pk=world.trust.pk).brand_colour == "#5b2a86"
    assert 'data-trust-colour="#5b2a86"' in client_for(world.staff).get("/").content.decode()


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("#ffcc00", "choose a darker colour"),
        ("red", "is not a colour"),
        ("#12345", "is not a colour"),
    ],
)
def test_it_refuses_a_colour_white_text_cannot_be_read_on(world, client_for, colour, message):
    response = client_for(world.admin).post("/trust/settings/", form_data(brand_colour=colour))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Trust.objects.get(pk=world.trust.pk).brand_colour == "#1d3557"
