"""Tenant scope: the current trust lives in a context variable and every trust-owned
query is filtered by it. With no trust in scope a scoped query raises instead of
returning every trust's rows (fail closed). Escape hatches are explicit and greppable:
``Model.objects.for_trust(trust)`` and ``Model.objects.unscoped()``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from growth.models import Trust

_current_trust_id: ContextVar[int | None] = ContextVar("current_trust_id", default=None)


class NoTrustInScope(RuntimeError):
    """A trust-owned table was queried with no trust in scope."""


def current_trust_id() -> int | None:
    return _current_trust_id.get()


def require_trust_id() -> int:
    trust_id = _current_trust_id.get()
    if trust_id is None:
        raise NoTrustInScope(
            "No trust in scope: wrap the work in trust_scope(trust) or use .for_trust()."
        )
    return trust_id


@contextmanager
def trust_scope(trust: Trust | int | None) -> Iterator[None]:
    """Run a block with ``trust`` in scope; the previous scope is restored afterwards."""
    trust_id = trust if isinstance(trust, int) or trust is None else trust.pk
    token = _current_trust_id.set(trust_id)
    try:
        yield
    finally:
        _current_trust_id.reset(token)


_request_memo: ContextVar[dict[Any, Any] | None] = ContextVar("request_memo", default=None)


@contextmanager
def request_memo_scope() -> Iterator[None]:
    """One request's memo of read-only lookups (see ``request_memo``); gone with the request."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def request_memo(key: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered for the rest of the request under ``key`` (which must name
    the trust). Outside a request (tasks, tests, commands) nothing is remembered, so a row
    written a moment ago is always seen."""
    memo = _request_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def request_forget(key: Any) -> None:
    """Drop ``key`` from the request's memo: what it remembered has just changed."""
    memo = _request_memo.get()
    if memo is not None:
        memo.pop(key, None)


class TenantQuerySet(models.QuerySet):
    pass


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """Default manager of every trust-owned model."""

    def get_queryset(self) -> TenantQuerySet:
        return super().get_queryset().filter(trust_id=require_trust_id())

    def for_trust(self, trust: Trust | int) -> TenantQuerySet:
        trust_id = trust if isinstance(trust, int) else trust.pk
        return super().get_queryset().filter(trust_id=trust_id)

    def unscoped(self) -> TenantQuerySet:
        return super().get_queryset()


class SharedOrTenantManager(models.Manager):
    """For reference data where a null trust means "shared by every trust": a trust sees the
    shared rows plus its own; with no trust in scope only the shared rows are visible."""

    def get_queryset(self) -> models.QuerySet:
        trust_id = current_trust_id()
        qs = super().get_queryset()
        if trust_id is None:
            return qs.filter(trust__isnull=True)
        return qs.filter(models.Q(trust__isnull=True) | models.Q(trust_id=trust_id))

    def for_trust(self, trust: Trust | int) -> models.QuerySet:
        trust_id = trust if isinstance(trust, int) else trust.pk
        return (
            super()
            .get_queryset()
            .filter(models.Q(trust__isnull=True) | models.Q(trust_id=trust_id))
        )

    def unscoped(self) -> models.QuerySet:
        return super().get_queryset()


class TrustOwned(models.Model):
    """Base for every trust-owned table: a non-null trust, an opaque public id for URLs,
    and a default manager that fails closed.

    Subclasses must include ``trust`` in every unique constraint they declare.
    """

    trust = models.ForeignKey("growth.Trust", on_delete=models.CASCADE, related_name="+")
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        abstract = True
        # Subclasses with their own constraints write `class Meta(TrustOwned.Meta)` and
        # `constraints = [*TrustOwned.Meta.constraints, ...]`.
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "public_id"], name="%(app_label)s_%(class)s_trust_public_id"
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rows are born inside the trust in scope; a mismatch is a bug, never silently allowed.
        scoped = current_trust_id()
        if self.trust_id is None and scoped is not None:
            self.trust_id = scoped
        elif scoped is not None and self.trust_id != scoped:
            raise NoTrustInScope(
                f"Refusing to save a row of trust {self.trust_id} while trust {scoped} is in scope."
            )
        super().save(*args, **kwargs)
