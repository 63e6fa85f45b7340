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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

M = TypeVar("M", bound=models.Model)

Converter = Callable[[Any, Any, Any], Any]


@cache
def _columns(
    model: type[models.Model], fields: tuple[str, ...], as_instances: bool, vendor: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, Converter], ...]]:
    """(attnames, quoted column names, converters by position): what the ORM's compiler works out
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
        tuple(quote(f.column) for f in chosen),
        tuple(converters),
    )


def _bound(converter: Callable[..., Any], col: Any) -> Converter:
    return lambda value, _col=col: converter(value, _col, connection)  # type: ignore[misc]


_LOOKUPS = ("in", "isnull")

# How one filter's value becomes the statement's parameters: (key, lookup, preparer).
_Binder = tuple[str, str, Callable[[Any], Any] | None]


def _filter_key(key: str, value: Any, vendor: str) -> tuple[str, Any]:
    """What of a filter shapes the statement's text besides its key: ``__isnull``'s value,
    and on SQLite the length of an ``__in`` list (one placeholder per value)."""
    if key.endswith("__isnull"):
        return key, bool(value)
    if key.endswith("__in") and vendor != "postgresql":
        return key, len(value)
    return key, None


def _where(
    model: type[models.Model], joins: Sequence[_Join], filters: Sequence[tuple[str, Any]]
) -> tuple[list[str], list[_Binder]]:
    """``field=value``, ``field__in=values`` and ``field__isnull=bool``, joined with AND; a
    field may be one of a joined relation's (``plan__staff_member`` with ``plan`` in
    ``related``). ``filters`` are ``_filter_key``s; what binds each one's value is returned
    with the clauses, in their order."""
    clauses, binders = [], []
    for key, shaping in filters:
        parts = key.split("__")
        lookup = parts.pop() if len(parts) > 1 and parts[-1] in _LOOKUPS else ""
        path, _, name = "__".join(parts).rpartition("__")
        found = _on(model, joins, path)
        if found is None:
            raise ValueError(
                f"Unsupported filter {key!r}: only =, __in and __isnull, on the model's "
                "fields or those of a relation named in related."
            )
        on_model, alias = found
        column = f"{alias}.{connection.ops.quote_name(on_model._meta.get_field(name).column)}"
        prepare = _preparer(on_model, name, connection.vendor)
        if lookup == "isnull":
            clauses.append(f"{column} IS {'' if shaping else 'NOT '}NULL")
            continue
        if lookup == "in" and connection.vendor == "postgresql":
            # One array parameter, not one per value: the statement's text is the same for
            # a team of 3 or a page of 50, so it is prepared once, and psycopg caches its
            # parsing (it parses anew any statement of more than 50 parameters).
            clauses.append(f"{column} = ANY(%s)")
        elif lookup == "in":
            clauses.append(f"{column} IN ({', '.join(['%s'] * shaping)})")
        else:
            clauses.append(f"{column} = %s")
        binders.append((key, lookup, prepare))
    return clauses, binders


def _bind(binders: Sequence[_Binder], filters: Mapping[str, Any], params: list[Any]) -> None:
    """Append the parameters of ``filters`` (prepared as the ORM prepares them) to
    ``params``, in the order of the clauses ``_where`` wrote for them."""
    for key, lookup, prepare in binders:
        value = filters[key]
        if lookup == "in":
            values = [v.pk if isinstance(v, models.Model) else v for v in value]
            if prepare is not None:
                values = [prepare(v) for v in values]
            if connection.vendor == "postgresql":
                params.append(values)
            else:
                params.extend(values)
        else:
            if isinstance(value, models.Model):
                value = value.pk
            params.append(value if prepare is None else prepare(value))


# Values the database driver takes as they are: keys and the plain types.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "CharField",
    "SlugField",
    "TextField",
}


@cache
def _preparer(model: type[models.Model], name: str, vendor: str) -> Callable[[Any], Any] | None:
    """How the ORM turns a filter's value into what the backend stores (a UUID is text on
    SQLite, for example), or None where it is the value itself."""
    del vendor  # part of the cache key: the preparation differs by backend
    field = model._meta.get_field(name)
    target = field.target_field if field.is_relation else field
    if target.get_internal_type() in _AS_IS:
        return None
    return lambda value: target.get_db_prep_value(value, connection, prepared=False)


# Compared and hashed by identity: each is made once per model and relation paths (``_joins``
# is cached), and it is part of the key of every cached statement shape, which is hashed on
# every read (a field's own hash is worked out each time).
@dataclass(frozen=True, eq=False)
class _Join:
    path: str  # "line_manager__user"
    parent: str  # "line_manager" ("" for the model read)
    field: Any  # the forward relation on the parent's model
    model: type[models.Model]
    alias: str


# A joined relation's place in a row: (join, its attnames, first column, end column, where
# its primary key is among its columns).
_Slice = tuple[_Join, tuple[str, ...], int, int, int]


@cache
def _joins(model: type[models.Model], paths: tuple[str, ...]) -> tuple[_Join, ...]:
    """Each relation path (parents before children) with its model and table alias."""
    models_by_path: dict[str, type[models.Model]] = {"": model}
    joins = []
    for n, path in enumerate(sorted(paths, key=lambda p: p.count("__")), start=1):
        parent, _, name = path.rpartition("__")
        if parent not in models_by_path:
            raise ValueError(f"Read {parent!r} to read {path!r}.")
        field = models_by_path[parent]._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            raise ValueError(f"{path!r} is not a forward relation.")
        models_by_path[path] = field.related_model
        joins.append(_Join(path, parent, field, field.related_model, f"t{n}"))
    return tuple(joins)


def instances(
    model: type[M],
    fields: Sequence[str],
    *,
    trust_id: int | None,
    related: Mapping[str, Sequence[str]] | None = None,
    either: Sequence[Mapping[str, Any]] = (),
    order_by: Sequence[str] = (),
    limit: int | None = None,
    offset: int = 0,
    **filters: Any,
) -> list[M]:
    """``model.objects.for_trust(trust_id).filter(**filters).only(*fields)`` (every field
    when ``fields`` is empty), in the given order and from ``offset`` up to ``limit`` rows.

    ``related`` is ``select_related`` with the fields to read of each relation
    (``{"user": ("first_name",), "line_manager__user": ()}``); ``either`` adds one condition
    met by any of its groups (``Q(a) | Q(b)``); ``order_by`` may name a related field
    (``"user__last_name"``). A related row met again is the same instance. ``trust_id=None``
    is allowed only for a model without a trust."""
    related = related or {}
    joins = _joins(model, tuple(related))
    attnames, slices, found = _select(
        model,
        fields,
        True,
        trust_id,
        joins,
        related,
        either,
        order_by,
        limit,
        offset,
        filters,
    )
    alias = connection.alias
    from_db = _maker(model)
    if not joins:
        return [from_db(alias, attnames, row) for row in found]
    makers = {join.path: _maker(join.model) for join in joins}
    result = []
    # A related row that recurs (the school of everyone in a school) is built once and shared
    # by the rows that point to it: these are reads for display, never edited in place.
    seen: dict[str, dict[Any, models.Model]] = {join.path: {} for join in joins}
    for row in found:
        made: dict[str, models.Model | None] = {"": from_db(alias, attnames, row[: len(attnames)])}
        for join, names, begin, end, pk_at in slices:
            parent = made.get(join.parent)
            values = row[begin:end]
            pk = values[pk_at]
            obj = None
            if pk is not None:
                obj = seen[join.path].get(pk)
                if obj is None:
                    obj = seen[join.path][pk] = makers[join.path](alias, names, values)
            made[join.path] = obj
            if parent is not None:
                join.field.set_cached_value(parent, obj)
        result.append(made[""])
    return result  # type: ignore[return-value]


Maker = Callable[[str, Sequence[str], Sequence[Any]], Any]

# What a plain field's class attribute is: setting it on an instance only stores the value in
# the instance's __dict__ (a foreign key's also forgets a cached related object, which a new
# instance has none of).
_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@cache
def _maker(model: type[models.Model]) -> Maker:
    """``model.from_db`` — or, where it comes to the same, the instance made directly: its
    values put in its ``__dict__`` and its state marked as loaded from ``db``.

    ``Model.__init__`` is written for every way of making an instance (keyword arguments,
    properties, signals); for a row read from the database it only stores each value under
    the field's attname, and by 50 people with their accounts and line managers it cost a
    school's report about a millisecond. The direct way is taken only for a model that
    does not change how it is made (no ``__init__`` or ``from_db`` of its own, no
    ``pre_init`` or ``post_init`` receivers when first asked) and whose fields are stored
    plainly; any other falls back to ``from_db``. A field not read is absent from
    ``__dict__``, so it is deferred, as with ``from_db``."""
    plain = (
        model.__init__ is models.Model.__init__
        and model.from_db.__func__ is models.Model.from_db.__func__  # type: ignore[attr-defined]
        and not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(
            type(getattr(model, f.attname, None)) in _PLAIN_DESCRIPTORS
            for f in model._meta.concrete_fields
        )
    )
    if not plain:
        return model.from_db
    new = object.__new__

    def make(db: str, names: Sequence[str], values: Sequence[Any]) -> Any:
        obj = new(model)
        obj.__dict__.update(zip(names, values, strict=True))
        state = obj._state = ModelState()
        state.adding = False
        state.db = db
        return obj

    return make


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
    return _select(model, fields, False, trust_id, (), {}, (), order_by, limit, 0, filters)[2]


def count(
    model: type[models.Model],
    *,
    trust_id: int | None,
    either: Sequence[Mapping[str, Any]] = (),
    **filters: Any,
) -> int:
    """``….count()`` of the same read."""
    statement, params = _read(model, "COUNT(*)", (), trust_id, either, filters)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


_BASE = "t0"


@cache
def _has_trust(model: type[models.Model]) -> bool:
    return any(f.name == "trust" for f in model._meta.concrete_fields)


def _keys(filters: Mapping[str, Any], vendor: str) -> tuple[tuple[str, Any], ...]:
    return tuple(_filter_key(key, value, vendor) for key, value in filters.items())


@cache
def _statement(
    model: type[models.Model],
    select: str,
    has_trust: bool,
    joins: tuple[_Join, ...],
    either: tuple[tuple[tuple[str, Any], ...], ...],
    filters: tuple[tuple[str, Any], ...],
    vendor: str,
) -> tuple[str, tuple[tuple[_Binder, ...], ...]]:
    """The statement's text for this shape of read, and what binds its parameters: the
    filters' binders, then each ``either`` group's. Worked out once per shape (the text of a
    read does not change with its values), not on every read."""
    del vendor  # part of the cache key: quoting and list matching differ by backend
    quote = connection.ops.quote_name
    statement = f"SELECT {select} FROM {quote(model._meta.db_table)} {_BASE}"
    aliases = {"": _BASE}
    # As select_related does: an inner join along relations that cannot be empty (it lets
    # PostgreSQL plan the join either way round), an outer one from the first that can.
    inner = {"": True}
    for join in joins:
        aliases[join.path] = join.alias
        inner[join.path] = inner[join.parent] and not join.field.null
        kind = "INNER" if inner[join.path] else "LEFT"
        target = join.model._meta.get_field(join.field.target_field.name).column
        statement += (
            f" {kind} JOIN {quote(join.model._meta.db_table)} {join.alias}"
            f" ON {join.alias}.{quote(target)} = {aliases[join.parent]}.{quote(join.field.column)}"
        )
    # The trust is always the first condition of a trust-owned table's read.
    trust = (("trust", None),) if has_trust else ()
    clauses, binders = _where(model, joins, trust + filters)
    all_binders = [tuple(binders)]
    if either:
        groups = []
        for group in either:
            group_clauses, group_binders = _where(model, joins, group)
            groups.append("(" + " AND ".join(group_clauses) + ")")
            all_binders.append(tuple(group_binders))
        clauses.append("(" + " OR ".join(groups) + ")")
    if clauses:
        statement += " WHERE " + " AND ".join(clauses)
    return statement, tuple(all_binders)


def _read(
    model: type[models.Model],
    select: str,
    joins: tuple[_Join, ...],
    trust_id: int | None,
    either: Sequence[Mapping[str, Any]],
    filters: Mapping[str, Any],
) -> tuple[str, list[Any]]:
    """The statement (its text worked out once per shape) and this read's parameters."""
    vendor = connection.vendor
    statement, binders = _statement(
        model,
        select,
        _has_trust(model),
        joins,
        tuple(_keys(group, vendor) for group in either),
        _keys(filters, vendor),
        vendor,
    )
    return statement, _params(model, trust_id, binders, filters, either)


def _params(
    model: type[models.Model],
    trust_id: int | None,
    binders: tuple[tuple[_Binder, ...], ...],
    filters: Mapping[str, Any],
    either: Sequence[Mapping[str, Any]],
) -> list[Any]:
    """The read's parameters, for the binders ``_statement`` returned: the trust (required
    for a trust-owned table: reads fail closed), the filters', then each group's."""
    params: list[Any] = []
    if _has_trust(model):
        if trust_id is None:
            raise ValueError(f"A read of {model.__name__} needs the trust.")
        filters = {"trust": trust_id, **filters}
    _bind(binders[0], filters, params)
    for group_binders, group in zip(binders[1:], either, strict=True):
        _bind(group_binders, group, params)
    return params


@cache
def _selected(
    model: type[models.Model],
    fields: tuple[str, ...],
    as_instances: bool,
    joins: tuple[_Join, ...],
    related_fields: tuple[tuple[str, ...], ...],
    vendor: str,
) -> tuple[str, tuple[str, ...], tuple[_Slice, ...], tuple[tuple[int, Converter], ...]]:
    """(the select list, the model's attnames, where each joined relation's columns sit in a
    row, the converters by position) for reading ``fields`` and each join's."""
    attnames, columns, converters = _columns(model, fields, as_instances, vendor)
    selected = [f"{_BASE}.{c}" for c in columns]
    all_converters = list(converters)
    slices: list[_Slice] = []
    for join, join_fields in zip(joins, related_fields, strict=True):
        names, join_columns, join_converters = _columns(join.model, join_fields, True, vendor)
        start = len(selected)
        selected.extend(f"{join.alias}.{c}" for c in join_columns)
        all_converters.extend((start + i, convert) for i, convert in join_converters)
        pk_at = names.index(join.model._meta.pk.attname)
        slices.append((join, names, start, len(selected), pk_at))
    return ", ".join(selected), attnames, tuple(slices), tuple(all_converters)


def _select(
    model: type[models.Model],
    fields: Sequence[str],
    as_instances: bool,
    trust_id: int | None,
    joins: tuple[_Join, ...],
    related: Mapping[str, Sequence[str]],
    either: Sequence[Mapping[str, Any]],
    order_by: Sequence[str],
    limit: int | None,
    offset: int,
    filters: Mapping[str, Any],
) -> tuple[tuple[str, ...], tuple[_Slice, ...], list[Sequence[Any]]]:
    """(the model's attnames, where each joined relation's columns sit in a row, the rows)."""
    vendor = connection.vendor
    select, attnames, slices, converters = _selected(
        model,
        tuple(fields),
        as_instances,
        joins,
        tuple(tuple(related[join.path]) for join in joins),
        vendor,
    )
    if any(key.endswith("__in") and not value for key, value in filters.items()):
        return attnames, slices, []
    statement, params = _read(model, select, joins, trust_id, either, filters)
    statement += _ordered(model, joins, tuple(order_by))
    # LIMIT and OFFSET are parameters, so that every page of a list is one statement.
    if limit is not None:
        statement += " LIMIT %s OFFSET %s"
        params += [int(limit), int(offset)]
    elif offset:
        statement += " OFFSET %s"
        params.append(int(offset))
    with connection.cursor() as cursor:
        # Names come from the models' metadata, every value is a bound parameter.
        cursor.execute(statement, params)
        found: list[Sequence[Any]] = cursor.fetchall()
    if converters:
        found = [_converted(row, converters) for row in found]
    return attnames, slices, found


@cache
def _ordered(model: type[models.Model], joins: tuple[_Join, ...], order_by: tuple[str, ...]) -> str:
    if not order_by:
        return ""
    return " ORDER BY " + ", ".join(_order(model, joins, name) for name in order_by)


def _order(model: type[models.Model], joins: Sequence[_Join], name: str) -> str:
    descending = name.startswith("-")
    path, _, field_name = name.lstrip("-").rpartition("__")
    found = _on(model, joins, path)
    if found is None:
        raise ValueError(f"Order by {name!r} needs {path!r} in related.")
    on_model, alias = found
    column = connection.ops.quote_name(on_model._meta.get_field(field_name).column)
    return f"{alias}.{column}{' DESC' if descending else ''}"


def _on(
    model: type[models.Model], joins: Sequence[_Join], path: str
) -> tuple[type[models.Model], str] | None:
    """The model and table alias a field named after ``path`` (``""``: the model read, else a
    relation named in related) belongs to; None for a relation that is not joined."""
    if not path:
        return model, _BASE
    join = next((j for j in joins if j.path == path), None)
    return None if join is None else (join.model, join.alias)


def _converted(row: Sequence[Any], converters: tuple[tuple[int, Converter], ...]) -> list[Any]:
    values = list(row)
    for i, convert in converters:
        values[i] = convert(values[i])
    return values
