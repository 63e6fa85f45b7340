"""The trust admin's import page: upload → preview → confirm. Nobody else may use it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from growth.models import StaffMember
from growth.security.tenancy import trust_scope

HEADER = "First name,Last name,Email,School,Job title,Category,Career stage,Line manager email\n"


def upload(client, text: str, name: str = "staff.csv"):
    return client.post(
        "/trust/import-staff/", {"file": SimpleUploadedFile(name, text.encode(), "text/csv")}
    )


def test_it_previews_then_applies_on_confirmation(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.admin)
    body = (
        HEADER
        + f"Nia,Hughes,nia@alpha.example,Alpha Primary,Teacher,Teaching,MPR,{world.head.email}\n"
        + f"Sam,Tester,{world.staff.email},Alpha Academy,Teacher of English,Teaching,MPR,"
        f"{world.manager.email}\n"
    )
    preview = upload(client, body)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Nothing has been saved yet" in page
    assert "To be created (1)" in page and "nia@alpha.example" in page
    assert "To be updated (1)" in page and "Alpha Primary → Alpha Academy" in page
    with trust_scope(world.trust):
        assert not StaffMember.objects.filter(user__email="nia@alpha.example").exists()
    digest = preview.context["confirm_form"].initial["digest"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/trust/import-staff/", {"digest": digest})
    assert done.status_code == 200
    assert "Import complete." in done.content.decode()
    with trust_scope(world.trust):
        assert StaffMember.objects.filter(user__email="nia@alpha.example").exists()
        world.staff.refresh_from_db()
    assert world.staff.school == world.other_school
    assert [m.to for m in mail.outbox] == [["nia@alpha.example"]]


def test_it_lists_every_bad_line_and_offers_no_confirmation(world, client_for):
    body = (
        HEADER
        + "Nia,Hughes,nia@alpha.example,Nowhere,Teacher,Teaching,MPR,\n"
        + "Tom,Reed,bad-email,Alpha Primary,Teacher,Teaching,MPR,\n"
    )
    response = upload(client_for(world.admin), body)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Lines to correct" in page
    assert "Unknown school &#x27;Nowhere&#x27;" in page
    assert "Email &#x27;bad-email&#x27; cannot be used here" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "Apply these changes" not in page


def test_a_stale_or_forged_confirmation_applies_nothing(world, client_for):
    client = client_for(world.admin)
    response = client.post("/trust/import-staff/", {"digest": "0" * 64}, follow=True)
    assert "That preview has expired" in response.content.decode()
    with trust_scope(world.trust):
        assert StaffMember.objects.count() == 8


def test_it_says_so_when_the_file_changes_nothing(world, client_for):
    body = HEADER + (
        f"Sam,Tester,{world.staff.email},Alpha Primary,Teacher of English,Teaching,MPR,"
        f"{world.manager.email}\n"
    )
    page = upload(client_for(world.admin), body).content.decode()
    assert "Nothing to change: all 1 people already match the file." in page
    assert "Apply these changes" not in page


def test_it_refuses_an_empty_upload(world, client_for):
    response = upload(client_for(world.admin), "", name="staff.csv")
    assert response.status_code == 400
    assert "The submitted file is empty" in response.content.decode()


@pytest.mark.parametrize("role", ["head", "manager", "staff", "other_head"])
def test_it_is_forbidden_to_everyone_else_in_the_trust(world, client_for, role):
    client = client_for(getattr(world, role))
    assert client.get("/trust/import-staff/").status_code == 403
    assert upload(client, HEADER).status_code == 403


def test_only_trust_admins_see_the_nav_item(world, client_for):
    assert "Import staff" in client_for(world.admin).get("/").content.decode()
    assert "Import staff" not in client_for(world.head).get("/").content.decode()


def test_it_refuses_a_workbook_with_a_clear_message(world, client_for):
    workbook = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 64
    response = client_for(world.admin).post(
        "/trust/import-staff/",
        {"file": SimpleUploadedFile("staff.xlsx", workbook, "application/octet-stream")},
    )
    assert response.status_code == 400
    assert "save it from your spreadsheet as CSV" in response.content.decode()


def test_it_reads_a_windows_1252_file_from_excel(world, client_for):
    body = HEADER + "Zoë,Brontë,zoe@alpha.example,Alpha Primary,Teacher,Teaching,MPR,\n"
    response = client_for(world.admin).post(
        "/trust/import-staff/",
        {"file": SimpleUploadedFile("staff.csv", body.encode("cp1252"), "text/csv")},
    )
    assert response.status_code == 200
    assert "Zoë Brontë" in response.content.decode()


def test_it_refuses_a_200000_character_field_with_its_line_number(world, client_for):
    body = (
        HEADER
        + "Nia,Hughes,nia@alpha.example,Alpha Primary,Teacher,Teaching,MPR,\n"
        + f"Sam,{'x' * 200_000},sam@alpha.example,Alpha Primary,Teacher,Teaching,MPR,\n"
    )
    response = upload(client_for(world.admin), body)
    page = response.content.decode()
    assert response.status_code == 400
    assert '<th scope="row">3</th><td>A field is longer than 131,072 characters' in page
    assert "x" * 1000 not in page  # the field is not echoed back
    with trust_scope(world.trust):
        assert not StaffMember.objects.filter(user__email="nia@alpha.example").exists()


def test_it_refuses_a_long_field_under_the_csv_limit_by_column_and_line(world, client_for):
    body = HEADER + f"Nia,Hughes,nia@alpha.example,{'Alpha ' * 5000},Teacher,Teaching,MPR,\n"
    page = upload(client_for(world.admin), body).content.decode()
    assert '<th scope="row">2</th><td>School is longer than 200 characters.' in page
    assert "Alpha " * 100 not in page


def test_it_refuses_a_file_over_the_upload_limit(world, client_for, settings):
    settings.GROWTH_UPLOAD_MAX_BYTES = 1024
    body = HEADER + "Nia,Hughes,nia@alpha.example,Alpha Primary,Teacher,Teaching,MPR,\n" * 40
    response = upload(client_for(world.admin), body)
    assert response.status_code == 400
    assert "The file is too large" in response.content.decode()
