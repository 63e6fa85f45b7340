"""manage.py import_staff: the same service as the browser, line errors and a non-zero exit."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from growth.models import StaffMember
from growth.security.tenancy import trust_scope

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_staff", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text: str) -> str:
    path = tmp_path / "staff.csv"
    path.write_text(text)
    return str(path)


HEADER = "First name,Last name,Email,School,Job title,Category,Career stage,Line manager email\n"


def test_it_imports_a_file_and_is_idempotent(world, tmp_path):
    path = write(
        tmp_path, HEADER + "Nia,Hughes,nia@alpha.example,Alpha Primary,Teacher,Teaching,MPR,\n"
    )
    out, _ = run(path, "--trust", "alpha")
    assert "+ line 2: Nia Hughes <nia@alpha.example>" in out
    assert "1 created, 0 updated, 0 unchanged." in out
    out, _ = run(path, "--trust", "alpha")
    assert "Nothing to change: all 1 people already match the file." in out


def test_a_dry_run_writes_nothing(world, tmp_path):
    path = write(
        tmp_path, HEADER + "Nia,Hughes,nia@alpha.example,Alpha Primary,Teacher,Teaching,MPR,\n"
    )
    out, _ = run(path, "--trust", "alpha", "--dry-run")
    assert "Dry run, nothing written. 1 will be created" in out
    with trust_scope(world.trust):
        assert not StaffMember.objects.filter(user__email="nia@alpha.example").exists()


def test_it_prints_line_errors_and_fails(world, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "Nia,Hughes,nia@alpha.example,Alpha Primary,Teacher,Teaching,MPR,\n"
        + "Tom,Reed,tom@alpha.example,Alpha Primary,Teacher,Teaching,Wizard,\n",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 line of the file"):
        call_command("import_staff", path, "--trust", "alpha", stdout=StringIO(), stderr=err)
    assert "Line 3: Unknown career stage 'Wizard'" in err.getvalue()


def test_it_refuses_an_unknown_trust(world, tmp_path):
    with pytest.raises(CommandError, match="No trust with the slug 'nope'"):
        run(write(tmp_path, HEADER), "--trust", "nope")
