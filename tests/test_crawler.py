"""Crawl the app as every role of trust A (under row-level security, as the application role),
then request every URL found as every role of trust B and anonymously: never a 200 that shows
trust A's people or records, never a 500, and every page carries the CSP header."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models

from growth.security.tenancy import TrustOwned, trust_scope
from tests.crawl import crawl, parameterless_urls
from tests.hardening_fixtures import as_app_role
from tests.records import populate_everything
from tests.test_web_security import inline_code

MIN_MARKER = 12


CODE = re.compile(r"[a-z0-9_]+")


def trust_strings(trust) -> set[str]:
    """Distinctive text stored in the trust's rows (names, titles, free text)."""
    found: set[str] = set()
    for model in apps.get_models():
        if not issubclass(model, TrustOwned):
            continue
        text_fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not text_fields:
            continue
        for row in model._base_manager.filter(trust_id=trust.pk).values_list(*text_fields):
            found |= {v.strip() for v in row if isinstance(v, str) and len(v.strip()) >= MIN_MARKER}
    # Less the machine keys some rows store (a notification's kind, "self_reviews"): the same
    # in every trust, and on pages that list the kinds, so not a sign of a leak.
    return {v for v in found if not CODE.fullmatch(v)}


def a_markers(world, other_world) -> set[str]:
    """What must never reach trust B or a visitor: A's people's emails, A's trust and school
    names, and A's record texts (less anything B also has, like a shared default)."""
    markers = {p.email for p in world.everyone.values()}
    markers |= {world.trust.name, world.school.name, world.other_school.name}
    theirs = trust_strings(other_world.trust) | {p.email for p in other_world.everyone.values()}
    markers |= {s for s in trust_strings(world.trust) if not any(s in t for t in theirs)}
    return {m for m in markers if m not in {"Central Services"}}


def test_it_never_shows_trust_a_to_trust_b_or_visitors(world, other_world, client_for):
    with trust_scope(world.trust):
        populate_everything(world)
    markers = a_markers(world, other_world)
    assert len(markers) >= 12
    starts = ["/", *parameterless_urls()]
    discovered: set[str] = set()
    with as_app_role():
        for role in ("admin", "head", "manager", "staff", "support", "other_head"):
            result = crawl(client_for(world.everyone[role]), starts, limit=120)
            assert 500 not in result.pages.values(), (role, result.pages)
            for path, response in result.responses.items():
                assert "script-src 'self'" in response.get("Content-Security-Policy", ""), path
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    assert not inline_code(response.content.decode()), path
            discovered |= set(result.pages)
        assert len(discovered) >= 10, sorted(discovered)
        # Trust A's own people do see their records somewhere (the markers are real).
        admin_pages = crawl(client_for(world.admin), starts, limit=120).responses
        seen_by_admin = "".join(
            r.content.decode(errors="replace") for r in admin_pages.values() if r.status_code == 200
        )
        assert world.staff.email in seen_by_admin or world.staff.full_name in seen_by_admin

        outsiders = {role: client_for(p) for role, p in other_world.everyone.items()}
        outsiders["anonymous"] = client_for(None)
        leaks = []
        for path in sorted(discovered):
            for role, client in outsiders.items():
                response = client.get(path)
                assert response.status_code != 500, (role, path)
                if role == "anonymous" and not path.startswith("/accounts/"):
                    # Only the sign-in pages are public.
                    assert response.status_code in (302, 404, 405), (role, path)
                if response.status_code == 200:
                    body = response.content.decode(errors="replace")
                    leaks += [(role, path, m) for m in markers if m in body]
        assert not leaks, leaks[:10]
