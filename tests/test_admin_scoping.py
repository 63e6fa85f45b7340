"""The Django admin, scoped: a trust admin sees and picks only their own trust's rows; a
platform admin (a superuser with no staff membership) sees every trust and creates trusts."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from growth.models import School, Trust
from tests.factories import PASSWORD
from tests.mfa_helpers import give_totp


@pytest.fixture
def trust_admin_client(world, other_world) -> Client:
    """The trust admin of trust A, made admin staff with the growth app's permissions (how
    a platform admin lets HR use the admin) and with TOTP set up, as the admin requires."""
    user = world.admin.user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="growth"))
    give_totp(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def platform_client(world, other_world) -> Client:
    root = get_user_model().objects.create_superuser(
        "root@platform.example", "root@platform.example", PASSWORD
    )
    give_totp(root)
    client = Client()
    client.force_login(root)
    return client


def test_a_trust_admin_sees_only_their_trusts_staff(world, other_world, trust_admin_client):
    page = trust_admin_client.get("/admin/growth/staffmember/")
    assert page.status_code == 200
    html = page.content.decode()
    assert world.staff.full_name in html and world.other_school_staff.full_name in html
    assert "8 staff members" in html
    assert other_world.staff.user.email not in html


@pytest.mark.parametrize(
    "model", ["school", "growthcycle", "trustpriority", "roleassignment", "auditevent"]
)
def test_every_changelist_is_scoped_to_the_trust(world, other_world, trust_admin_client, model):
    page = trust_admin_client.get(f"/admin/growth/{model}/")
    assert page.status_code == 200
    assert "Trust beta" not in page.content.decode() and "Beta " not in page.content.decode()


def test_another_trusts_row_is_not_reachable_by_id(world, other_world, trust_admin_client):
    response = trust_admin_client.get(f"/admin/growth/school/{other_world.school.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert trust_admin_client.get("/admin/growth/trust/").content.decode().count("Trust beta") == 0


def test_the_school_choices_are_only_the_trusts_own(world, other_world, trust_admin_client):
    form = trust_admin_client.get("/admin/growth/staffmember/add/").content.decode()
    assert world.school.name in form and other_world.school.name not in form
    response = trust_admin_client.post(
        f"/admin/growth/staffmember/{world.staff.pk}/change/",
        {
            "school": other_world.school.pk,
            "job_title": "Teacher",
            "category": "teaching",
            "career_stage": world.staff.career_stage_id,
            "start_date": "2020-09-01",
            "fte": "1.000",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    world.staff.refresh_from_db()
    assert world.staff.school_id == world.school.pk


def test_a_trust_admin_cannot_create_or_delete_trusts(world, trust_admin_client):
    assert trust_admin_client.get("/admin/growth/trust/add/").status_code == 403
    assert (
        trust_admin_client.get(f"/admin/growth/trust/{world.trust.pk}/delete/").status_code == 403
    )


def test_a_platform_admin_sees_every_trust_and_creates_trusts(world, other_world, platform_client):
    html = platform_client.get("/admin/growth/staffmember/").content.decode()
    assert world.staff.full_name in html and other_world.staff.full_name in html
    assert "16 staff members" in html
    response = platform_client.post(
        "/admin/growth/trust/add/",
        {
            "name": "Gamma Trust",
            "slug": "gamma",
            "email_domains": "gamma.example",
            "checkin_cadence_days": 14,
            "checkin_length_minutes": 10,
            "reminder_notice_days": 2,
            "observation_minutes_per_term": 30,
            "observation_terms_per_year": 6,
            "retention_months": 72,
            # The add form pre-fills the trust's colour; a person keeps it.
            "brand_colour": Trust._meta.get_field("brand_colour").default,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Trust.objects.filter(slug="gamma").exists()


def test_a_platform_admin_adds_a_trust_owned_row_inside_one_chosen_trust(
    world, other_world, platform_client
):
    chooser = platform_client.get("/admin/growth/school/add/").content.decode()
    assert f'href="?trust={world.trust.pk}"' in chooser
    form = platform_client.get(f"/admin/growth/staffmember/add/?trust={world.trust.pk}")
    html = form.content.decode()
    assert world.school.name in html and other_world.school.name not in html
    response = platform_client.post(
        f"/admin/growth/school/add/?trust={world.trust.pk}",
        {"name": "Alpha Juniors", "kind": "school"},
    )
    assert response.status_code == 302
    assert School.objects.for_trust(world.trust).filter(name="Alpha Juniors").exists()


def test_a_platform_admin_edits_a_row_inside_its_trust(world, other_world, platform_client):
    page = platform_client.get(f"/admin/growth/growthcycle/{world.cycle.pk}/change/")
    assert page.status_code == 200
    assert "Autumn 1" in page.content.decode()


def test_a_member_of_staff_without_admin_status_is_refused(world, client_for):
    assert client_for(world.staff).get("/admin/").status_code == 302
    assert client_for(world.staff).get("/admin/login/").status_code == 403
