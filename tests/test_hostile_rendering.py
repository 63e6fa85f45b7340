"""Nothing a person typed is rendered as markup: help texts and labels built from people's
words come out as text, whichever form shows them, and every page shows stored hostile text
(<meta> refreshes, <svg onload>, javascript: links, right-to-left overrides) as text."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.template import Context, Template
from django.utils.html import format_html

from growth.security.tenancy import TrustOwned, trust_scope
from tests.crawl import crawl, parameterless_urls
from tests.records import populate_everything

HOSTILE = [
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "\u202eevil\u202c",
    "nul\x00byte",
]


def render_crispy(form: forms.Form) -> str:
    return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))


def test_it_renders_hostile_help_texts_and_labels_as_text():
    class Hostile(forms.Form):
        pass

    for index, payload in enumerate(HOSTILE):
        Hostile.base_fields[f"f{index}"] = forms.CharField(label=payload, help_text=payload)
    html = render_crispy(Hostile())
    for marker in ("<meta", "<svg", '<a href="javascript'):
        assert marker not in html
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in html
    assert "&lt;svg onload=alert(1)&gt;" in html


def test_it_still_renders_help_text_written_as_markup_on_purpose():
    class Deliberate(forms.Form):
        password = forms.CharField(help_text=format_html("<ul><li>{}</li></ul>", "<b>x</b>"))

    html = render_crispy(Deliberate())
    assert "<ul><li>&lt;b&gt;x&lt;/b&gt;</li></ul>" in html


# Fields that are not free text a page shows (addresses, keys, stored file names, JSON).
NOT_SHOWN_AS_TEXT = ("email", "url", "file", "token", "slug", "code", "content_type", "key")
STORED = [
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "\u202eevil<b>",
]
MARKUP = ('<meta http-equiv="refresh"', "<svg onload=", 'href="javascript:', "evil<b>")


def poison_every_text(trust) -> int:
    """Overwrite every free-text column of the trust's rows, and its people's names, with
    hostile values that fit. Returns how many rows were written."""
    written = 0
    for model in apps.get_models():
        # Audit rows cannot be edited (a trigger refuses); they hold what the services wrote.
        if not issubclass(model, TrustOwned) or model._meta.db_table == "growth_auditevent":
            continue
        columns = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and not f.unique
            and not any(part in f.name for part in NOT_SHOWN_AS_TEXT)
        ]
        rows = list(model._base_manager.filter(trust_id=trust.pk).values_list("pk", flat=True))
        for pk in rows:
            changes = {}
            for index, column in enumerate(columns):
                # The row's key keeps values unique where a constraint asks for it.
                fitting = [
                    f"{p} {pk}" for p in STORED if len(f"{p} {pk}") <= (column.max_length or 10**6)
                ]
                if fitting:
                    changes[column.name] = fitting[index % len(fitting)]
            if changes:
                written += model._base_manager.filter(pk=pk).update(**changes)
    users = get_user_model().objects.filter(staff_member__trust=trust)
    users.update(first_name=STORED[1], last_name=STORED[3])
    return written


def test_it_shows_stored_hostile_text_as_text_on_every_page(world, client_for):
    with trust_scope(world.trust):
        populate_everything(world)
    assert poison_every_text(world.trust) >= 30
    starts = ["/", *parameterless_urls()]
    pages = shown = 0
    for role in ("admin", "head", "manager", "staff"):
        result = crawl(client_for(world.everyone[role]), starts, limit=120)
        for path, response in result.responses.items():
            assert response.status_code < 500, (role, path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            body = response.content.decode()
            found = [m for m in MARKUP if m in body]
            assert not found, (role, path, found)
            pages += 1
            shown += "&lt;svg onload=alert(1)&gt;" in body  # a name, shown as text
    assert pages >= 40
    assert shown >= pages // 2, (shown, pages)  # the hostile text really is on the pages
