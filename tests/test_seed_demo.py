"""seed_demo builds the two demo trusts and, run again, duplicates nothing."""

from __future__ import annotations

from io import StringIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from growth.models import RoleAssignment, School, StaffMember, Trust
from growth.security.tenancy import TrustOwned


def counts() -> dict[str, int]:
    found = {"users": get_user_model().objects.count(), "trusts": Trust.objects.count()}
    for model in apps.get_models():
        if issubclass(model, TrustOwned):
            found[model._meta.label] = model.objects.unscoped().count()
    return found


def test_it_builds_the_demo_and_running_it_again_duplicates_nothing(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    big = Trust.objects.get(slug="northbridge")
    staff = StaffMember.objects.for_trust(big)
    assert 55 <= staff.count() <= 70
    assert {s.category for s in staff} == {"teaching", "support", "central"}
    assert staff.exclude(career_stage=None).values("career_stage").distinct().count() == 7
    assert School.objects.for_trust(big).filter(kind="central").count() == 1
    assert School.objects.for_trust(big).filter(kind="school").count() == 3
    roles = RoleAssignment.objects.for_trust(big)
    assert roles.filter(role="headteacher").count() == 4
    assert roles.filter(role="trust_admin").count() == 1
    assert Trust.objects.filter(slug="fenmoor").exists()
    assert "growth-demo-2026" in out.getvalue() and "Trust admin (HR)" in out.getvalue()
