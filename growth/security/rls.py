"""PostgreSQL row-level security: defence in depth under the fail-closed managers.

Even if a query escapes ``growth.security.tenancy`` (a raw SQL string, an ``.unscoped()`` left in by
mistake, an admin filter gone wrong), PostgreSQL itself returns only the rows of the trust in
scope. How it fits together:

* **Which tables.** Every table of a model with a ``trust`` foreign key to ``growth.Trust``
  (every ``TrustOwned`` model, and shared-or-tenant reference tables whose null trust means
  "shared"), plus auto-created many-to-many tables hanging off such a model (their rows are
  visible only when the parent row is). Found generically from the app registry, so every app
  is covered once its migrations run. ``auth_user`` and ``account_emailaddress`` are left
  out on purpose: sign-in must find an account by email before any trust is known; they
  hold identity only (name, email, password hash), never growth records.
* **The policy.** ``trust_id = current_setting('app.trust_id')`` (or ``trust_id IS NULL`` for
  shared reference rows), plus two narrow escapes: ``app.user_id`` lets a signed-in user see
  their own membership row (needed to find which trust they belong to), and
  ``app.rls_bypass = 'on'`` is the explicit maintenance escape (platform admins, the
  cross-trust sweeps, offboarding) set only inside ``all_trusts()``. RLS is ENABLEd and
  FORCEd, so even the table owner is subject to it unless the role has BYPASSRLS.
* **Roles.** Migrations and ``setup_rls`` run as the owner (a superuser or a role with
  BYPASSRLS). The web app and workers connect as ``growth_app`` (``GROWTH_DB_APP_ROLE``):
  no superuser, not the owner, NOBYPASSRLS; ``setup_rls`` grants it DML on every table.
* **Setting the trust.** An execute wrapper installed on every PostgreSQL connection sends
  the current scope (``growth.security.tenancy.current_trust_id()``, which the middleware and every
  task set) ahead of any statement it is not already in effect for: a session-level value in
  autocommit mode, re-sent whenever it changes; inside a transaction, ``set_config(..., true)``
  — transaction-local — whenever the scope differs from the one in effect (the session's at
  the transaction's start, then the last one sent), and again after any rollback to a
  savepoint, which may have undone it. So no statement can ever run with a previous
  request's trust, and nothing in views, services or tasks has to remember to do it.
* **Audit rows.** ``growth_auditevent`` has SELECT and INSERT policies only, and a trigger
  refuses UPDATE (other than Django nulling a deleted person's or user's link) and DELETE
  (unless ``app.audit_maintenance = 'on'``, set only by retention and trust deletion).

On SQLite (the embedded default) none of this runs; the managers still fail closed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

from growth.security.tenancy import current_trust_id

log = logging.getLogger(__name__)

_user_id: ContextVar[int | None] = ContextVar("rls_user_id", default=None)
_bypass: ContextVar[bool] = ContextVar("rls_bypass", default=False)
_audit_maintenance: ContextVar[bool] = ContextVar("rls_audit_maintenance", default=False)

POLICY = "growth_trust_isolation"
AUDIT_TABLE = "growth_auditevent"


def app_role() -> str:
    role = getattr(settings, "GROWTH_DB_APP_ROLE", "growth_app")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise ValueError(f"GROWTH_DB_APP_ROLE must be a plain lower-case identifier, not {role!r}")
    return role


# --- Scope ---------------------------------------------------------------------------------


@contextmanager
def all_trusts() -> Iterator[None]:
    """The explicit maintenance escape: the block may read every trust's rows (platform
    admin, cross-trust sweeps, offboarding). Greppable; use as narrowly as possible."""
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


@contextmanager
def as_user(user_id: int | None) -> Iterator[None]:
    token = _user_id.set(user_id)
    try:
        yield
    finally:
        _user_id.reset(token)


@contextmanager
def audit_maintenance() -> Iterator[None]:
    """Allows deleting audit rows (retention of a leaver, deleting an offboarded trust)."""
    token = _audit_maintenance.set(True)
    try:
        yield
    finally:
        _audit_maintenance.reset(token)


def _desired() -> tuple[str, str, str, str]:
    trust_id = current_trust_id()
    user_id = _user_id.get()
    return (
        "" if trust_id is None else str(trust_id),
        "" if user_id is None else str(user_id),
        "on" if _bypass.get() else "",
        "on" if _audit_maintenance.get() else "",
    )


try:
    from psycopg.pq import TransactionStatus

    _INERROR: object = TransactionStatus.INERROR
    _IDLE: object = TransactionStatus.IDLE
except ImportError:  # pragma: no cover - psycopg is installed wherever PostgreSQL is used
    _INERROR = _IDLE = object()

SET_SQL = (
    "SELECT set_config('app.trust_id', %s, {local}), set_config('app.user_id', %s, {local}),"
    " set_config('app.rls_bypass', %s, {local}), set_config('app.audit_maintenance', %s, {local})"
)


# A savepoint rolled back undoes whatever ``set_config`` ran since it was made, so after one
# the value in effect is not known until it is sent again.
_ROLLBACK_TO_SAVEPOINT = re.compile(r"\s*ROLLBACK\s+TO\s", re.IGNORECASE)
_UNKNOWN = ("?",)


def rls_execute_wrapper(
    execute: Callable, sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """Make sure the current scope is in effect before each statement (see the module
    docstring)."""
    conn = context["connection"]
    raw = conn.connection
    status = raw.info.transaction_status
    if status == _INERROR:
        # Only ROLLBACK (TO SAVEPOINT) can run now; it needs no scope.
        conn._rls_local = _UNKNOWN
        return execute(sql, params, many, context)
    if isinstance(sql, str) and _ROLLBACK_TO_SAVEPOINT.match(sql):
        conn._rls_local = _UNKNOWN
        return execute(sql, params, many, context)
    desired = _desired()
    if conn.get_autocommit():
        # Each statement is its own transaction: a session value, re-sent when it changes.
        # It is committed at once, so it cannot be rolled back behind our cache.
        if getattr(conn, "_rls_session", None) != desired:
            # Django's error wrapping: a dead server shows as Django's OperationalError and
            # marks the connection for closing, so the next request reconnects.
            with conn.wrap_database_errors, raw.cursor() as cur:
                cur.execute(SET_SQL.format(local="false"), list(desired))
            conn._rls_session = desired
        return execute(sql, params, many, context)
    if status == _IDLE:
        # This statement begins a transaction, which starts from the session's values.
        conn._rls_local = None
    local = getattr(conn, "_rls_local", _UNKNOWN)
    in_effect = getattr(conn, "_rls_session", None) if local is None else local
    if in_effect != desired:
        # Inside a transaction: transaction-local, so it ends with the transaction. Sent
        # whenever the scope differs from the one in effect, and after any savepoint rollback
        # (above), so a scope changed mid-transaction can never leave a stale trust behind.
        with conn.wrap_database_errors, raw.cursor() as cur:
            cur.execute(SET_SQL.format(local="true"), list(desired))
        conn._rls_local = desired
    return execute(sql, params, many, context)


def install_wrapper(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "postgresql" or not getattr(settings, "GROWTH_RLS", True):
        return
    connection._rls_session = None  # a new server session starts with nothing set
    connection._rls_local = None
    if rls_execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, rls_execute_wrapper)


def connect_signals() -> None:
    connection_created.connect(install_wrapper, dispatch_uid="growth_rls_wrapper")


# --- Middleware ----------------------------------------------------------------------------


class RLSUserMiddleware:
    """Before ``TrustScopeMiddleware``: lets the membership lookup see the signed-in user's own
    membership row (and nothing else) while no trust is in scope yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        with as_user(user_id):
            return self.get_response(request)


class RLSPlatformAdminMiddleware:
    """After ``TrustScopeMiddleware``: a platform admin (a superuser with no trust membership)
    administers every trust, so their requests run in ``all_trusts()``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_superuser
            and getattr(request, "staff", None) is None
        ):
            with all_trusts():
                return self.get_response(request)
        return self.get_response(request)


# --- Which tables --------------------------------------------------------------------------


def _trust_field(model: type[models.Model]) -> models.ForeignKey | None:
    from growth.models import Trust

    try:
        field = model._meta.get_field("trust")
    except Exception:
        return None
    if isinstance(field, models.ForeignKey) and field.related_model is Trust:
        return field
    return None


def protected_tables() -> list[dict[str, Any]]:
    """Every table RLS protects, with how: ``{"table", "kind", ...}`` where kind is
    ``tenant`` (non-null trust), ``shared`` (null trust = shared) or ``child`` (an auto-created
    many-to-many table visible through its parent ``parent_table``/``parent_column``)."""
    found: dict[str, dict[str, Any]] = {}
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        field = _trust_field(model)
        if field is not None:
            found[opts.db_table] = {
                "table": opts.db_table,
                "kind": "shared" if field.null else "tenant",
            }
    from growth.models import StaffMember

    for fk in StaffMember._meta.concrete_fields:
        target = getattr(fk, "related_model", None)
        if fk.many_to_one and target is not None and target is not StaffMember:
            entry = found.get(target._meta.db_table)
            if entry is not None and entry["kind"] == "tenant":
                entry.setdefault("membership_columns", []).append(fk.column)
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if not opts.auto_created or opts.db_table in found:
            continue
        for fk in opts.local_fields:
            target = getattr(fk, "related_model", None)
            if target is not None and target._meta.db_table in found:
                found[opts.db_table] = {
                    "table": opts.db_table,
                    "kind": "child",
                    "parent_table": target._meta.db_table,
                    "parent_column": fk.column,
                    "parent_pk": target._meta.pk.column,
                }
                break
    return sorted(found.values(), key=lambda t: t["table"])


# --- Setting it up -------------------------------------------------------------------------

TRUST_MATCH = "trust_id = NULLIF(current_setting('app.trust_id', true), '')::bigint"
BYPASS = "current_setting('app.rls_bypass', true) = 'on'"
OWN_MEMBERSHIP = "user_id = NULLIF(current_setting('app.user_id', true), '')::bigint"

AUDIT_GUARD = f"""
CREATE OR REPLACE FUNCTION growth_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF current_setting('app.audit_maintenance', true) = 'on' THEN
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit rows cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- The only change allowed: Django unlinking a deleted person or user (SET_NULL).
  IF (to_jsonb(NEW) - 'subject_id' - 'actor_id') = (to_jsonb(OLD) - 'subject_id' - 'actor_id')
     AND (NEW.subject_id IS NULL OR NEW.subject_id = OLD.subject_id)
     AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit rows cannot be edited' USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS growth_audit_guard ON {AUDIT_TABLE};
CREATE TRIGGER growth_audit_guard BEFORE UPDATE OR DELETE ON {AUDIT_TABLE}
  FOR EACH ROW EXECUTE FUNCTION growth_audit_guard();
"""


def _policy_condition(entry: dict[str, Any]) -> str:
    if entry["kind"] == "tenant":
        condition = f"{TRUST_MATCH} OR {BYPASS}"
        if entry["table"] == "growth_staffmember":
            condition += f" OR {OWN_MEMBERSHIP}"
        for column in entry.get("membership_columns", []):
            # Rows the signed-in user's own membership points at (their school), which the
            # membership lookup joins before the trust is known.
            condition += (
                f" OR id IN (SELECT {column} FROM growth_staffmember WHERE {OWN_MEMBERSHIP})"
            )
        return condition
    if entry["kind"] == "shared":
        return f"trust_id IS NULL OR {TRUST_MATCH} OR {BYPASS}"
    # A child table: visible when its parent row is (the parent's own policy applies inside).
    # Identifiers come from model metadata, never from input.
    return (
        f'{BYPASS} OR EXISTS (SELECT 1 FROM "{entry["parent_table"]}" p '
        f'WHERE p."{entry["parent_pk"]}" = "{entry["table"]}"."{entry["parent_column"]}")'
    )


def setup_statements() -> list[str]:
    """The idempotent SQL that (re)applies row-level security to every protected table."""
    role = app_role()
    statements = [
        f"""DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE "{role}" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
              END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$""",
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
    ]
    for entry in protected_tables():
        table = entry["table"]
        condition = _policy_condition(entry)
        statements += [
            f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
            f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
            f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
            f'DROP POLICY IF EXISTS {POLICY}_read ON "{table}"',
            f'DROP POLICY IF EXISTS {POLICY}_insert ON "{table}"',
        ]
        if table == AUDIT_TABLE:
            # Read and append only; the trigger below refuses edits even by the owner.
            statements += [
                f'CREATE POLICY {POLICY}_read ON "{table}" FOR SELECT USING ({condition})',
                f'CREATE POLICY {POLICY}_insert ON "{table}" FOR INSERT WITH CHECK ({condition})',
                # Django's SET_NULL when a person is deleted, and retention's deletes, must
                # still find the rows; the trigger decides what may change.
                f'CREATE POLICY {POLICY} ON "{table}" FOR UPDATE USING ({condition})',
                f'DROP POLICY IF EXISTS {POLICY}_delete ON "{table}"',
                f'CREATE POLICY {POLICY}_delete ON "{table}" FOR DELETE USING ({condition})',
            ]
        else:
            statements.append(
                f'CREATE POLICY {POLICY} ON "{table}" USING ({condition}) WITH CHECK ({condition})'
            )
    statements.append(AUDIT_GUARD)
    return statements


def setup_rls(using: str = "default", verbosity: int = 1) -> int:
    """Apply row-level security on ``using``. Returns the number of protected tables (0 when
    the database is not PostgreSQL or GROWTH_RLS is off)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql" or not getattr(settings, "GROWTH_RLS", True):
        return 0
    tables = protected_tables()
    existing = set(conn.introspection.table_names())
    missing = [t["table"] for t in tables if t["table"] not in existing]
    if missing:
        # Migrations of some app have not run yet; the last post_migrate will cover them.
        tables = [t for t in tables if t["table"] in existing]
    with conn.cursor() as cursor:
        # Serialise concurrent runs (several databases of one cluster share the role).
        cursor.execute("SELECT pg_advisory_xact_lock(7249001)")
        for statement in setup_statements():
            if any(f'"{m}"' in statement for m in missing):
                continue
            cursor.execute(statement)
    if verbosity:
        log.info("Row-level security applied to %d tables.", len(tables))
    return len(tables)


def post_migrate_setup(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if sender.label != "growth":
        return
    setup_rls(using=using, verbosity=kwargs.get("verbosity", 1))


def rls_enabled_tables(using: str = "default") -> set[str]:
    """Tables that currently have RLS enabled and forced (for checks and tests)."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity "
            "AND relkind = 'r'"
        )
        return {row[0] for row in cursor.fetchall()}


__all__ = [
    "RLSPlatformAdminMiddleware",
    "RLSUserMiddleware",
    "all_trusts",
    "as_user",
    "audit_maintenance",
    "protected_tables",
    "setup_rls",
]
