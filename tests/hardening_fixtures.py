"""Fixtures and helpers of the hardening tests (RLS, privacy, hostile input, faults)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from growth.rls import app_role


@contextmanager
def as_app_role() -> Iterator[None]:
    """Run the block as the application role (not superuser, not owner, NOBYPASSRLS), the
    way production connects. Must be inside the test's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{app_role()}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def current_role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
