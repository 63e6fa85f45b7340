"""The audit trail and data exports name what happened in words, never a model's dotted
label such as ``checkins.checkinreflection``."""

from __future__ import annotations

import re
from pathlib import Path

from growth.domain.audit import audit_record
from growth.domain.audit_labels import ACTION_LABELS, action_label, record_kind
from growth.models import DataExport
from growth.security.tenancy import trust_scope

ROOT = Path(__file__).resolve().parent.parent
APPS = ("growth", "standards", "objectives", "checkins", "reviews")


def test_every_action_a_service_audits_has_words():
    written = set()
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            written |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', source.read_text()))
    written = {a for a in written if not a.endswith(".read")}
    assert written, "no audited actions found: the pattern no longer matches the services"
    assert sorted(written - set(ACTION_LABELS)) == []


def test_a_record_kind_is_its_verbose_name_as_the_app_spells_it():
    assert record_kind("checkins.checkinreflection") == "Check-in reflection"
    assert record_kind("standards.selfreview") == "Self-review"
    assert record_kind("reviews.statementpdf") == "Statement PDF"
    assert record_kind("files") == "Files"
    assert action_label("reviews.review.read", "reviews.review") == "Opened: review"


def test_the_audit_trail_page_shows_words(world, client_for):
    from checkins.models import Checkin

    with trust_scope(world.trust):
        checkin = Checkin.objects.create(
            trust=world.trust,
            staff_member=world.staff,
            cycle=world.cycle,
            due_on=world.cycle.start_date,
            held_on=world.cycle.start_date,
            status=Checkin.Status.HELD,
        )
        audit_record(
            trust=world.trust,
            actor=world.staff,
            action="checkin.record",
            obj=checkin,
            subject=world.staff,
        )
    page = client_for(world.admin).get(f"/privacy/people/{world.staff.public_id}/")
    html = page.content.decode()
    assert "Recorded a check-in" in html
    assert "<td>Check-in</td>" in html
    assert "checkins.checkin" not in html and "checkin.record" not in html


def test_an_exports_contents_are_named_in_words(world, client_for):
    with trust_scope(world.trust):
        export = DataExport.objects.create(
            trust=world.trust,
            kind=DataExport.Kind.SUBJECT,
            subject=world.staff,
            requested_by=world.admin,
            contents={"checkins.checkinreflection": 3, "files": 1},
        )
    html = client_for(world.admin).get(f"/privacy/exports/{export.public_id}/").content.decode()
    assert "<td>Check-in reflection</td><td>3</td>" in html
    assert "checkins.checkinreflection" not in html
