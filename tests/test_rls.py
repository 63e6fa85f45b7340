"""PostgreSQL row-level security: as the application role, raw SQL sees only the trust in
scope, on every protected table, whatever the query asks for."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from growth.domain.audit import audit_record
from growth.models import AuditEvent, StaffMember
from growth.security.rls import all_trusts, app_role, protected_tables, rls_enabled_tables
from growth.security.tenancy import TrustOwned, trust_scope
from tests.hardening_fixtures import ROOT, as_app_role, current_role
from tests.records import populate_everything


def _count(sql: str, params: list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def _rows_of(entry: dict, trust_id: int) -> str:
    """SQL counting a protected table's rows that belong to ``trust_id``."""
    if entry["kind"] == "child":
        parent = entry["parent_table"]
        return (
            f'SELECT count(*) FROM "{entry["table"]}" c WHERE c."{entry["parent_column"]}" IN '
            f'(SELECT "{entry["parent_pk"]}" FROM "{parent}" WHERE trust_id = {int(trust_id)})'
        )
    return f'SELECT count(*) FROM "{entry["table"]}" WHERE trust_id = {int(trust_id)}'


@pytest.fixture
def two_full_trusts(world, other_world):
    with trust_scope(world.trust):
        populate_everything(world)
    with trust_scope(other_world.trust):
        populate_everything(other_world)
    return world, other_world


def test_it_protects_every_trust_owned_table(db):
    from django.apps import apps

    tables = {t["table"] for t in protected_tables()}
    owned = {
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, TrustOwned) and not m._meta.proxy
    }
    assert owned <= tables
    assert "growth_staffmember" in tables and "growth_auditevent" in tables
    assert tables <= rls_enabled_tables(), "setup_rls ran after migrate on every table"


def test_it_uses_an_application_role_that_cannot_bypass_rls(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [app_role()]
        )
        assert cursor.fetchone() == (False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
            [app_role()],
        )
        assert cursor.fetchone()[0] == 0, "the application role owns no table"


def test_it_shows_the_application_role_no_row_of_another_trust_on_any_table(two_full_trusts):
    world, other = two_full_trusts
    entries = protected_tables()
    # As the owner (superuser, RLS bypassed): both trusts have rows to hide.
    theirs = {e["table"]: _count(_rows_of(e, other.trust.pk)) for e in entries}
    ours = {e["table"]: _count(_rows_of(e, world.trust.pk)) for e in entries}
    assert sum(1 for n in theirs.values() if n) >= 7, theirs
    with as_app_role():
        assert current_role() == app_role()
        with trust_scope(world.trust):
            for entry in entries:
                table = entry["table"]
                assert _count(_rows_of(entry, other.trust.pk)) == 0, table
                assert _count(_rows_of(entry, world.trust.pk)) == ours[table], table
                if entry["kind"] == "tenant":
                    # Not even a query that names no trust sees more than trust A.
                    assert _count(f'SELECT count(*) FROM "{table}"') == ours[table], table
        # With no trust in scope nothing trust-owned is visible at all.
        for entry in entries:
            if entry["kind"] == "tenant" and entry["table"] != "growth_staffmember":
                assert _count(f'SELECT count(*) FROM "{entry["table"]}"') == 0, entry["table"]
        # The explicit maintenance escape sees both.
        with all_trusts():
            assert _count(_rows_of(entries[0], other.trust.pk)) == theirs[entries[0]["table"]]


def test_it_refuses_to_write_a_row_into_another_trust(two_full_trusts):
    world, other = two_full_trusts
    with (
        as_app_role(),
        trust_scope(world.trust),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE growth_school SET name = name || ' (hijacked)' WHERE trust_id = %s",
            [other.trust.pk],
        )
        assert cursor.rowcount == 0
        cursor.execute(
            "INSERT INTO growth_school (trust_id, public_id, created_at, updated_at, "
            "name, kind) VALUES (%s, gen_random_uuid(), now(), now(), 'X', 'school')",
            [other.trust.pk],
        )


def test_it_lets_a_signed_in_user_find_only_their_own_membership(two_full_trusts):
    from growth.security.rls import as_user

    world, _ = two_full_trusts
    with as_app_role(), as_user(world.staff.user_id):
        rows = list(StaffMember.objects.unscoped().values_list("pk", flat=True))
    assert rows == [world.staff.pk]


def test_it_serves_pages_as_the_application_role(two_full_trusts, client_for):
    world, _ = two_full_trusts
    client = client_for(world.admin)
    with as_app_role():
        assert client.get("/").status_code == 200
        response = client.get(f"/people/{world.staff.public_id}/")
        assert response.status_code == 200
        assert world.staff.full_name in response.content.decode()
        response = client.get(f"/privacy/people/{world.staff.public_id}/")
        assert response.status_code == 200


def test_it_keeps_the_setting_transaction_local_and_current(world, other_world):
    with as_app_role():
        with trust_scope(world.trust):
            assert _count("SELECT current_setting('app.trust_id')::bigint") == world.trust.pk
            with trust_scope(other_world.trust):
                assert (
                    _count("SELECT current_setting('app.trust_id')::bigint") == other_world.trust.pk
                )
            assert _count("SELECT current_setting('app.trust_id')::bigint") == world.trust.pk
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.trust_id', true)")
            assert cursor.fetchone()[0] in ("", None)


def _trust_in_effect() -> int | None:
    return _count("SELECT NULLIF(current_setting('app.trust_id', true), '')::bigint")


def test_a_savepoint_rolled_back_never_leaves_the_scope_in_effect_behind_the_code(
    world, other_world
):
    """A savepoint's rollback also undoes the scope set inside it. Code still in that scope
    afterwards (entered inside the block, left after it) runs its next statement under that
    scope again, never under the one the rollback restored."""
    with as_app_role(), trust_scope(world.trust):
        assert _trust_in_effect() == world.trust.pk
        with ExitStack() as inner_scope:
            with pytest.raises(ZeroDivisionError), transaction.atomic():
                inner_scope.enter_context(trust_scope(other_world.trust))
                assert _trust_in_effect() == other_world.trust.pk
                raise ZeroDivisionError
            assert _trust_in_effect() == other_world.trust.pk
            assert StaffMember.objects.for_trust(other_world.trust).exists()
            assert not StaffMember.objects.unscoped().filter(trust=world.trust).exists()
        assert _trust_in_effect() == world.trust.pk


@pytest.mark.django_db(transaction=True)
def test_each_transaction_runs_under_the_scope_in_force_whatever_the_one_before_used(
    world, other_world
):
    """A transaction starts from the connection's session value (set outside transactions):
    one under another trust sends its own, and the next is back on the session's; with no
    scope at all, nothing is in effect."""
    with trust_scope(world.trust):
        assert _trust_in_effect() == world.trust.pk  # autocommit: the session's value
        with trust_scope(other_world.trust), transaction.atomic():
            assert _trust_in_effect() == other_world.trust.pk
        with transaction.atomic():
            assert _trust_in_effect() == world.trust.pk
        with transaction.atomic(), trust_scope(other_world.trust):
            assert _trust_in_effect() == other_world.trust.pk
            with pytest.raises(ZeroDivisionError), transaction.atomic():
                raise ZeroDivisionError
            assert _trust_in_effect() == other_world.trust.pk
        assert _trust_in_effect() == world.trust.pk
    with transaction.atomic():
        assert _trust_in_effect() is None


def test_it_refuses_to_edit_or_delete_audit_rows_even_as_the_owner(world):
    with trust_scope(world.trust):
        event = audit_record(
            trust=world.trust, actor=world.admin, action="test.thing", obj=world.staff
        )
    for sql in (
        "UPDATE growth_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM growth_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="audit rows cannot be"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    with as_app_role(), trust_scope(world.trust):
        # The application role may append and read, nothing else.
        with pytest.raises(DatabaseError, match="audit rows cannot be"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(action="forged")
        audit_record(trust=world.trust, actor=world.admin, action="test.more", obj=world.staff)
        assert AuditEvent.objects.filter(action__startswith="test.").count() == 2
    event.refresh_from_db()
    assert event.action == "test.thing"


def test_it_keeps_sqlite_working_without_rls(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "growth.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "REDIS_URL": "",
    }
    for command in (["migrate", "--noinput"], ["setup_rls"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    assert "Not PostgreSQL" in done.stdout
