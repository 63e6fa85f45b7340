"""Data protection: subject access export (built, reviewed, released, downloaded, audited),
leavers, retention with a dry run first, and the whole-trust export."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from growth.domain.audit import audit_read
from growth.models import (
    AuditEvent,
    DataExport,
    Notification,
    RetentionRun,
    SchoolMove,
    StaffMember,
)
from growth.privacy.services import (
    _add_files,
    _files_of,
    personal_data,
    retention_report,
    retention_run,
    retention_sweep,
    staff_member_leave,
    trust_models,
)
from growth.security.access import Relation
from growth.security.tenancy import trust_scope
from tests.factories import PASSWORD
from tests.records import populate_everything


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _actions(world, subject=None) -> list[str]:
    qs = AuditEvent.objects.for_trust(world.trust)
    if subject is not None:
        qs = qs.filter(subject=subject)
    return list(qs.values_list("action", flat=True))


def test_it_builds_a_subject_access_export_that_a_trust_admin_must_release(
    world, client_for, django_capture_on_commit_callbacks
):
    with trust_scope(world.trust):
        populate_everything(world)
    admin = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/privacy/people/{world.staff.public_id}/export/")
    assert response.status_code == 302
    export = DataExport.objects.for_trust(world.trust).filter(subject=world.staff).latest("pk")
    assert export.status == DataExport.Status.BUILT  # built by the task (in-process here)
    page = admin.get(f"/privacy/exports/{export.public_id}/")
    assert b"Release after review" in page.content
    # Not downloadable before review.
    assert admin.get(f"/privacy/exports/{export.public_id}/download/").status_code == 404
    assert admin.post(f"/privacy/exports/{export.public_id}/release/").status_code == 302
    response = admin.get(f"/privacy/exports/{export.public_id}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = _zip(response)
    data = json.loads(archive.read("data.json"))
    # Every file of their records (statement PDFs, evidence) is in the zip.
    with trust_scope(world.trust):
        files = _files_of(personal_data(world.staff).records)
    from django.core.files.storage import default_storage

    for name in files:
        if default_storage.exists(name):
            assert f"files/{name}" in archive.namelist(), name
    assert data["person"]["name"] == world.staff.full_name
    assert data["account"]["email"] == world.staff.email
    assert "password" not in json.dumps(data["account"])
    assert [r["id"] for r in data["records"]["growth.staffmember"]] == [world.staff.pk]
    # Another person's membership is never exported as theirs. (The messages the person was
    # sent are theirs and may name who wrote to them, as their own inbox does.)
    others = {kind: rows for kind, rows in data["records"].items() if kind != "growth.notification"}
    assert world.manager.full_name not in json.dumps(others)
    assert world.manager.email not in json.dumps(data["records"])
    # Every record Django would cascade from the person is in it, kind by kind.
    with trust_scope(world.trust):
        expected = personal_data(world.staff).counts()
    assert {k: len(v) for k, v in data["records"].items()} == expected
    assert "growth.auditevent" in data["mentions"]
    actions = _actions(world, world.staff)
    for action in (
        "privacy.export_request",
        "privacy.export_built",
        "privacy.export_release",
        "privacy.export_download",
    ):
        assert action in actions


def test_it_puts_the_files_of_the_records_into_the_zip(world):
    with trust_scope(world.trust):
        export = DataExport.objects.create(
            trust=world.trust, kind="subject", subject=world.staff, status="built"
        )
        export.file.save("statement.pdf", ContentFile(b"%PDF-1.7 test statement"), save=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        added = _add_files(archive, _files_of({DataExport: [export]}))
    assert added == [export.file.name]
    assert zipfile.ZipFile(buffer).read(f"files/{export.file.name}").startswith(b"%PDF")


def test_it_keeps_exports_to_trust_admins(world, client_for):
    with trust_scope(world.trust):
        populate_everything(world)
        export = DataExport.objects.filter(subject=world.staff).first()
    # The line manager is related to the person, but not HR: 403. A stranger: 404.
    assert (
        client_for(world.manager).get(f"/privacy/people/{world.staff.public_id}/").status_code
        == 403
    )
    assert (
        client_for(world.colleague).get(f"/privacy/people/{world.staff.public_id}/").status_code
        == 404
    )
    assert client_for(world.manager).get(f"/privacy/exports/{export.public_id}/").status_code == 403
    assert client_for(world.manager).get("/privacy/exports/").status_code == 403
    assert client_for(None).get("/privacy/exports/").status_code == 302


def test_it_shows_a_trust_admin_the_audit_trail_of_a_person_including_reads(world, client_for):
    with trust_scope(world.trust):
        assert audit_read(viewer=world.staff, obj=world.staff, subject=world.staff) is None
        audit_read(viewer=world.manager, obj=world.staff, subject=world.staff)
    response = client_for(world.admin).get(f"/privacy/people/{world.staff.public_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Opened: staff member" in body and world.manager.full_name in body
    assert "Added a member of staff" in body
    assert _actions(world, world.staff).count("growth.staffmember.read") == 1


def test_it_disables_a_leaver_but_keeps_their_records(world, client_for):
    with trust_scope(world.trust):
        populate_everything(world)
        before = personal_data(world.staff).counts()
    staff_client = client_for(world.staff)
    assert staff_client.get("/").status_code == 200
    admin = client_for(world.admin)
    url = f"/privacy/people/{world.staff.public_id}/leave/"
    assert admin.get(url).status_code == 200
    bad = admin.post(url, {"leave_date": "1999-01-01"})
    assert bad.status_code == 400 and "before the person&#x27;s start date" in bad.content.decode()
    assert admin.post(url, {"leave_date": "2026-11-20"}).status_code == 302
    world.staff.refresh_from_db()
    world.staff.user.refresh_from_db()
    assert not world.staff.is_active and not world.staff.user.is_active
    assert world.staff.leave_date == dt.date(2026, 11, 20)
    # Their open session is gone and signing in again is refused.
    assert staff_client.get("/").status_code == 302
    response = client_for(None).post(
        "/accounts/login/", {"login": world.staff.email, "password": PASSWORD}
    )
    assert response.status_code in (200, 302)
    assert "inactive" in response.get("Location", "") or response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session
    with trust_scope(world.trust):
        assert personal_data(world.staff).counts() == before
    assert "staff.leave" in _actions(world, world.staff)


def _make_old_leaver(world, *, years: int = 7) -> StaffMember:
    leave = timezone.localdate() - dt.timedelta(days=365 * years)
    with trust_scope(world.trust):
        world.support.start_date = dt.date(2010, 9, 1)
        staff_member_leave(actor=world.admin, staff=world.support, leave_date=leave)
        SchoolMove.objects.create(
            trust=world.trust,
            staff_member=world.support,
            from_school=world.school,
            to_school=world.other_school,
        )
    return world.support


def test_it_reports_leavers_past_retention_before_deleting_them(world, client_for):
    with trust_scope(world.trust):
        populate_everything(world)
    leaver = _make_old_leaver(world)
    recent = world.colleague
    with trust_scope(world.trust):
        staff_member_leave(actor=world.admin, staff=recent, leave_date=timezone.localdate())
        report = retention_report(world.trust, timezone.localdate())
    assert [p["public_id"] for p in report] == [str(leaver.public_id)]
    assert report[0]["records"]["growth.schoolmove"] == 1
    page = client_for(world.admin).get("/privacy/retention/")
    assert page.status_code == 200 and leaver.full_name in page.content.decode()

    # The first real run only finds them on no earlier report: nothing is deleted.
    with trust_scope(world.trust):
        assert (
            retention_run(trust=world.trust, today=timezone.localdate(), dry_run=False).people == []
        )
        retention_run(trust=world.trust, today=timezone.localdate(), dry_run=True)
    assert StaffMember.objects.for_trust(world.trust).filter(pk=leaver.pk).exists()

    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        deleted = retention_sweep()
    assert deleted[world.trust.slug] == 1
    with trust_scope(world.trust):
        assert not StaffMember.objects.filter(pk=leaver.pk).exists()
        assert not SchoolMove.objects.filter(staff_member_id=leaver.pk).exists()
        assert not AuditEvent.objects.filter(subject_id=leaver.pk).exists()
        # Everyone else is untouched, including the recent leaver.
        assert StaffMember.objects.filter(pk=recent.pk).exists()
        assert StaffMember.objects.count() == 7
        runs = list(RetentionRun.objects.all())
    assert all(leaver.full_name not in json.dumps(run.people) for run in runs)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(pk=leaver.user_id).exists()


def test_it_prints_the_retention_dry_run_from_the_command(world, capsys):
    leaver = _make_old_leaver(world)
    call_command("retention", trust=world.trust.slug)
    out = capsys.readouterr().out
    assert leaver.full_name in out and "growth.schoolmove 1" in out
    assert StaffMember.objects.for_trust(world.trust).filter(pk=leaver.pk).exists()


def test_it_exports_a_whole_trust_for_offboarding(
    world, other_world, client_for, django_capture_on_commit_callbacks
):
    with trust_scope(world.trust):
        populate_everything(world)
    admin = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post("/privacy/exports/").status_code == 302
    export = DataExport.objects.for_trust(world.trust).filter(kind="trust").get()
    assert export.status == DataExport.Status.BUILT
    admin.post(f"/privacy/exports/{export.public_id}/release/")
    archive = _zip(admin.get(f"/privacy/exports/{export.public_id}/download/"))
    for model in trust_models():
        rows = json.loads(archive.read(f"{model._meta.label_lower}.json"))
        expected = model._base_manager.filter(trust_id=world.trust.pk).count()
        if model is AuditEvent:  # the release and download were audited after the build
            assert 0 < len(rows) < expected
            continue
        if model is Notification:  # "your export is ready" was written after the build
            expected -= 1
        assert len(rows) == expected, model
        assert all(r["trust_id"] == world.trust.pk for r in rows)
    accounts = json.loads(archive.read("accounts.json"))
    emails = {a["email"] for a in accounts}
    assert world.staff.email in emails
    assert not emails & {p.email for p in other_world.everyone.values()}


def test_it_withdraws_an_export_and_deletes_its_file(
    world, client_for, django_capture_on_commit_callbacks
):
    with trust_scope(world.trust):
        populate_everything(world)
        export = DataExport.objects.filter(subject=world.staff).get()
    from django.core.files.storage import default_storage

    name = export.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.admin).post(f"/privacy/exports/{export.public_id}/withdraw/")
    assert response.status_code == 302
    export.refresh_from_db()
    assert export.status == DataExport.Status.WITHDRAWN and not export.file
    assert not default_storage.exists(name)


def test_it_schedules_the_retention_sweep():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"growth.privacy.retention_sweep", "growth.outbox.flush"} <= tasks
    assert Relation.TRUST_ADMIN  # the pages are trust-admin pages (see test above)
