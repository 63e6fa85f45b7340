"""The small reads every page makes, sent as plain SQL and returned as model instances.

Django compiles a queryset anew each time it runs: about 2,500 Python calls for a filtered
read of one table, several times that with joins or subqueries, against about 400 for the
same statement sent through a cursor. A home page or report makes a dozen such reads, so their
compilation cost more than the database took to answer them (issue #7's profile). These reads
are built here from the model's own metadata — table, columns, the backend's converters — and
come back as the instances the ORM would have made (``Model.from_db``), so callers and
templates do not change; fields not asked for are deferred, as with ``.only()``.

Tenancy fails closed as everywhere else: a read of a trust-owned table takes ``trust_id`` and
filters by it first (and row-level security still applies, as the cursor is Django's). The
statements are standard SQL, for PostgreSQL and the embedded SQLite alike."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)

Converter = Callable[[Any, Any, Any], Any]


@cache
def _columns(
    model: type[models.Model], fields: tuple[str, ...], as_instances: bool, vendor: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, Converter], ...]]:
    """(attnames, quoted columns, converters by position): what the ORM's compiler works out
    per query, worked out once per model and field list. For instances the fields go in the
    model's order with the primary key (as ``Model.from_db`` wants them), else as given."""
    del vendor  # part of the cache key: converters differ by backend
    if not fields:
        chosen = list(model._meta.concrete_fields)
    elif as_instances:
        wanted = {model._meta.get_field(name).attname for name in fields}
        chosen = [f for f in model._meta.concrete_fields if f.attname in wanted or f.primary_key]
    else:
        chosen = [model._meta.get_field(name) for name in fields]
    table = model._meta.db_table
    quote = connection.ops.quote_name
    converters = []
    for i, field in enumerate(chosen):
        col = field.get_col(table)
        found = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        converters.extend((i, _bound(converter, col)) for converter in found)
    return (
        tuple(f.attname for f in chosen),
        tuple(f"{quote(table)}.{quote(f.column)}" for f in chosen),
        tuple(converters),
    )


def _bound(converter: Callable[..., Any], col: Any) -> Converter:
    return lambda value, _col=col: converter(value, _col, connection)  # type: ignore[misc]


def _where(model: type[models.Model], filters: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """``field=value``, ``field__in=values`` and ``field__isnull=bool``, joined with AND."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    clauses, params = [], []
    for key, value in filters.items():
        name, _, lookup = key.partition("__")
        column = f"{table}.{quote(model._meta.get_field(name).column)}"
        if lookup == "in":
            values = list(value)
            clauses.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
        elif lookup == "isnull":
            clauses.append(f"{column} IS {'' if value else 'NOT '}NULL")
        elif lookup == "":
            if isinstance(value, models.Model):
                value = value.pk
            clauses.append(f"{column} = %s")
            params.append(value)
        else:
            raise ValueError(f"Unsupported lookup {key!r}.")
    return clauses, params


def instances(
    model: type[M],
    fields: Sequence[str],
    *,
    trust_id: int | None,
    order_by: Sequence[str] = (),
    limit: int | None = None,
    **filters: Any,
) -> list[M]:
    """``model.objects.for_trust(trust_id).filter(**filters).only(*fields)`` (every field
    when ``fields`` is empty), in the given order and up to ``limit``. ``trust_id=None`` is
    allowed only for a model without a trust."""
    attnames, found = _select(model, fields, True, trust_id, order_by, limit, filters)
    from_db = model.from_db
    alias = connection.alias
    return [from_db(alias, attnames, row) for row in found]


def rows(
    model: type[models.Model],
    fields: Sequence[str],
    *,
    trust_id: int | None,
    order_by: Sequence[str] = (),
    limit: int | None = None,
    **filters: Any,
) -> list[Sequence[Any]]:
    """``….values_list(*fields)`` of the same read: one tuple of the fields per row."""
    return _select(model, fields, False, trust_id, order_by, limit, filters)[1]


def _select(
    model: type[models.Model],
    fields: Sequence[str],
    as_instances: bool,
    trust_id: int | None,
    order_by: Sequence[str],
    limit: int | None,
    filters: dict[str, Any],
) -> tuple[tuple[str, ...], list[Sequence[Any]]]:
    has_trust = any(f.name == "trust" for f in model._meta.concrete_fields)
    if has_trust:
        if trust_id is None:
            raise ValueError(f"A read of {model.__name__} needs the trust.")
        filters = {"trust": trust_id, **filters}
    attnames, columns, converters = _columns(model, tuple(fields), as_instances, connection.vendor)
    if any(key.endswith("__in") and not value for key, value in filters.items()):
        return attnames, []
    quote = connection.ops.quote_name
    clauses, params = _where(model, filters)
    statement = f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)}"
    if clauses:
        statement += " WHERE " + " AND ".join(clauses)
    if order_by:
        statement += " ORDER BY " + ", ".join(
            f"{quote(model._meta.get_field(name.lstrip('-')).column)}"
            f"{' DESC' if name.startswith('-') else ''}"
            for name in order_by
        )
    if limit is not None:
        statement += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        # Names come from the model's metadata, every value is a bound parameter.
        cursor.execute(statement, params)
        found: list[Sequence[Any]] = cursor.fetchall()
    if converters:
        found = [_converted(row, converters) for row in found]
    return attnames, found


def _converted(row: Sequence[Any], converters: tuple[tuple[int, Converter], ...]) -> list[Any]:
    values = list(row)
    for i, convert in converters:
        values[i] = convert(values[i])
    return values
