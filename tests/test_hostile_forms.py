"""Property-based hostile input over every form the app serves: each form found by crawling
as each role of trust A is posted with hypothesis-generated values — any Unicode, a megabyte
of text, HTML and script, SQL-looking text, wrong types, missing fields, another trust's ids.
Never a 500; a refusal is a clear 4xx or the form again, with nothing written; script is
always shown escaped, and so are <meta> refreshes, <svg onload>, javascript: links, RTL
overrides and NUL characters."""

from __future__ import annotations

import os
import uuid

from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from growth.security.tenancy import TrustOwned, trust_scope
from tests.crawl import Form, crawl, local_path, parameterless_urls
from tests.records import populate_everything

EXAMPLES = int(os.environ.get("HOSTILE_FORM_EXAMPLES", "4"))
SCRIPT = '<script>alert("pwned")</script>'
HOSTILE_TEXT = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE growth_staffmember; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM growth_auditevent WHERE ('1'='1",
    "{{ request.user }}{% debug %}",
    "\u202e\u0000\u200b\ufeff",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">open</a>',
    "Name\u202egnp.exe",  # right-to-left override
    "before\x00after",  # NUL, which PostgreSQL cannot store
    "\U0001d573\U0001d58a\U0001d591\U0001d591\U0001d594 \U0001f469\u200d\U0001f3eb "
    "\u05e2\u05d1\u05e8\u05d9\u05ea \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "-1",
    "99999999999999999999999",
    "2026-02-30",
    "NaN",
    " ",
]
# Markup that must never reach a page as markup (a refusal or a page may show it as text).
MARKUP = (
    SCRIPT,
    '<meta http-equiv="refresh"',
    "<svg onload=",
    "<img src=x onerror=",
    'href="javascript:',
)
MEGABYTE = "x" * (1024 * 1024)
SKIP_ACTIONS = ("/accounts/logout/",)


def state_fingerprint() -> tuple:
    """Row counts and the latest change of every table the app writes (audit rows of reads
    and sessions excepted), in one query."""
    parts = []
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed or opts.db_table in ("growth_auditevent",):
            continue
        if opts.app_label in ("sessions", "contenttypes", "auth") and opts.model_name != "user":
            continue
        changed = (
            "max(updated_at)::text"
            if any(f.name == "updated_at" for f in opts.concrete_fields)
            else "''"
        )
        parts.append(
            f"SELECT '{opts.db_table}', count(*)::text, {changed} FROM \"{opts.db_table}\""
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(sorted(cursor.fetchall()))


def foreign_ids(other_world) -> list[str]:
    ids: list[str] = []
    for model in apps.get_models():
        if issubclass(model, TrustOwned):
            row = model._base_manager.filter(trust_id=other_world.trust.pk).first()
            if row is not None:
                ids += [str(row.pk), str(row.public_id)]
    return ids or [str(uuid.uuid4())]


def field_values(form: Form, foreign: list[str]) -> st.SearchStrategy[dict]:
    def one(field) -> st.SearchStrategy:
        choices = [o for o in field.options if o] or [field.value or "x"]
        return st.one_of(
            st.sampled_from(choices),  # a legitimate value now and then
            st.sampled_from(HOSTILE_TEXT),
            st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300),
            st.sampled_from(foreign),
            st.just(["a", "b"]),  # several values where one is expected
            st.none(),  # missing
        )

    names = [n for n, f in form.fields.items() if f.kind not in ("submit", "file")]
    return st.fixed_dictionaries({n: one(form.fields[n]) for n in names}).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


def collect_forms(world, client_for) -> list[tuple[object, Form]]:
    starts = ["/", *parameterless_urls()]
    seen: dict[tuple, tuple[object, Form]] = {}
    for role in ("admin", "head", "manager", "staff"):
        client = client_for(world.everyone[role])
        for form in crawl(client, starts, limit=100).forms:
            action = local_path(form.action)
            if form.method != "post" or action is None or action.startswith(SKIP_ACTIONS):
                continue
            # One form per view and set of fields: the same form on every object is one form.
            from django.urls import Resolver404, resolve

            try:
                view = resolve(action.split("?")[0]).view_name
            except Resolver404:
                continue
            seen.setdefault((view, tuple(sorted(form.fields))), (client, form))
    return list(seen.values())


ERROR_MARKERS = ("invalid-feedback", "is-invalid", "errorlist", "alert-danger")


def is_refusal(response) -> bool:
    """A 4xx, or the form shown again with an error (an htmx autosave that succeeds also
    answers 200, so a 200 counts only when it shows an error)."""
    if 400 <= response.status_code < 500:
        return True
    body = response.content.decode(errors="replace") if response.status_code == 200 else ""
    return any(marker in body for marker in ERROR_MARKERS)


def check_response(client, form: Form, data: dict, response) -> None:
    status = response.status_code
    assert status < 500, (form.action, status)
    assert status in (200, 204, 302, 303, 400, 403, 404, 405, 409, 413, 422), (
        form.action,
        status,
    )
    bodies = [response.content.decode(errors="replace")]
    if status in (302, 303):
        target = local_path(response["Location"])
        if target:
            follow = client.get(target)
            assert follow.status_code < 500
            bodies.append(follow.content.decode(errors="replace"))
    for body in bodies:
        for markup in MARKUP:
            assert markup not in body, f"unescaped {markup!r} on {form.action}"


def test_it_survives_hostile_values_in_every_form(world, other_world, client_for):
    with trust_scope(world.trust):
        populate_everything(world)
    forms = collect_forms(world, client_for)
    assert len(forms) >= 6, [f.action for _, f in forms]
    foreign = foreign_ids(other_world)

    for client, form in forms:
        hostile_poster(client, form, foreign)()


def hostile_poster(client, form: Form, foreign: list[str]):
    action = local_path(form.action)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        # No shrinking: a megabyte example shrinks slowly and the failure report is enough.
        phases=[Phase.explicit, Phase.generate],
    )
    @given(data=field_values(form, foreign))
    def post_hostile(data: dict) -> None:
        with transaction.atomic():
            before = state_fingerprint()
            response = client.post(action, data)
            check_response(client, form, data, response)
            if is_refusal(response):
                assert state_fingerprint() == before, f"{action} wrote on a refusal"
            transaction.set_rollback(True)

    # Every form also gets a megabyte in each text field (once: it is slow to render back).
    texts = [n for n, f in form.fields.items() if f.kind in ("text", "textarea", "search")]
    if texts:
        megabytes = {n: MEGABYTE for n in texts[:4]}
        post_hostile = example(data=megabytes)(post_hostile)
    return post_hostile
