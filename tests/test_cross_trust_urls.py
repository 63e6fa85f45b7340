"""Every URL pattern that carries an object id, requested as every role of another trust,
is a 404 — for GET and POST alike — and never shows the other trust's data."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from growth.security.tenancy import TrustOwned, trust_scope
from tests.records import populate_everything

SKIP_NAMESPACES = {"admin"}


def uuid_patterns() -> list[tuple[str, str, list[str]]]:
    """(url name with namespace, route, uuid kwarg names) for every pattern with a uuid."""
    found: list[tuple[str, str, list[str]]] = []

    def walk(resolver: URLResolver, namespace: str, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                if ns in SKIP_NAMESPACES or (entry.app_name or "") in ("account", "socialaccount"):
                    continue
                walk(entry, f"{namespace}{ns}:" if ns else namespace, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                converters = getattr(entry.pattern, "converters", {})
                uuids = [
                    k for k, c in converters.items() if c.__class__.__name__ == "UUIDConverter"
                ]
                if uuids:
                    found.append((namespace + entry.name, prefix + str(entry.pattern), uuids))

    walk(get_resolver(), "", "")
    return found


def trust_rows_by_model(trust) -> dict[type, list[uuid.UUID]]:
    from django.apps import apps

    rows: dict[type, list[uuid.UUID]] = defaultdict(list)
    for model in apps.get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        if issubclass(model, TrustOwned):
            found = model.objects.for_trust(trust)
        elif {"trust", "public_id"} <= fields:
            # A shared-or-tenant table (frameworks, bank phrases): the trust's own rows.
            found = model._base_manager.filter(trust_id=trust.pk)
        else:
            continue
        ids = list(found.order_by("pk").values_list("public_id", flat=True)[:25])
        if ids:
            rows[model] = ids
    return rows


def likely_first(rows: dict[type, list[uuid.UUID]], name: str, route: str) -> list[list]:
    """Every model's ids, those whose name the URL mentions first (an observation's URL is
    most likely about an observation), so the search for the model a URL serves is short."""
    words = f"{name} {route}".replace("_", "").replace("-", "").lower()

    def mentioned(model: type) -> bool:
        verbose = str(model._meta.verbose_name).lower()
        names = {model._meta.model_name, verbose.replace(" ", ""), verbose.split()[-1]}
        return any(n in words for n in names)

    return [rows[m] for m in sorted(rows, key=lambda m: not mentioned(m))]


def serves(client, url: str) -> bool:
    """Whether ``url`` finds its object for this person of trust A: anything but a 404 (or
    a 405) to a GET, or, for an address that only takes a POST, to an empty POST whose writes
    are rolled back (the test's own transaction keeps them from every other request)."""
    status = client.get(url).status_code
    if status == 405:
        with transaction.atomic():
            status = client.post(url, {}).status_code
            transaction.set_rollback(True)
    return status not in (404, 405)


def test_every_url_with_an_object_id_is_a_404_for_every_role_of_another_trust(
    world, other_world, client_for
):
    from django.urls import reverse

    with trust_scope(world.trust):
        populate_everything(world)
    rows = trust_rows_by_model(world.trust)
    a_clients = [client_for(p) for p in (world.admin, world.head, world.manager, world.staff)]
    b_clients = {role: client_for(p) for role, p in other_world.everyone.items()}
    b_clients["anonymous"] = client_for(None)
    patterns = uuid_patterns()
    assert patterns, "no URL carries an object id: the test would prove nothing"
    unreached: list[str] = []
    for name, route, kwargs in patterns:
        assert len(kwargs) == 1, f"{route}: one opaque id per URL"
        # Which of trust A's ids does this URL serve to somebody in trust A?
        served: list[uuid.UUID] = []
        for ids in likely_first(rows, name, route):
            # The first and the last row: an address may serve only some rows of its model
            # (revoking a duty serves the duties among the role assignments, made last).
            urls = [reverse(name, kwargs={kwargs[0]: i}) for i in dict.fromkeys([ids[0], ids[-1]])]
            if any(serves(c, url) for url in urls for c in a_clients):
                # Rows of one model take one path through the access checks: the first, a
                # middle and the last of them (often in different states) stand for them all.
                served = list(dict.fromkeys([ids[0], ids[len(ids) // 2], ids[-1]]))
                break
        # A URL nobody in trust A reaches is tried with one row of every model.
        candidates = served or [ids[0] for ids in rows.values()]
        if not served:
            unreached.append(name)
        for public_id in candidates:
            url = reverse(name, kwargs={kwargs[0]: public_id})
            for role, client in b_clients.items():
                get = client.get(url)
                post = client.post(url, {})
                if role == "anonymous":
                    assert get.status_code in (302, 404, 405), (role, url, get.status_code)
                    assert post.status_code in (302, 403, 404, 405), (role, url, post.status_code)
                    continue
                assert get.status_code in (404, 405), (role, url, get.status_code)
                assert post.status_code in (404, 405), (role, url, post.status_code)
                assert 404 in (get.status_code, post.status_code), (role, url)
    # Every address is reached by somebody in trust A with one of its own rows, so each is
    # proved to refuse trust B that very row, not only rows it would refuse anyway.
    assert not unreached, f"no row of trust A reaches {unreached}: add one to tests/records"
