"""Nothing a person typed is rendered as markup: help texts and labels built from people's
words come out as text, whichever form shows them."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.utils.html import format_html

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
