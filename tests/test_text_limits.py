"""Every text field has one maximum, enforced by its form, with a refusal that names it."""

from __future__ import annotations

import importlib
import inspect

from django import forms

from growth.domain.text import LONG_TEXT_MAX, LimitedForm, LimitedModelForm
from reviews import frames
from reviews.forms import statement_form_class

FORM_MODULES = [
    "growth.domain.forms",
    "growth.privacy.views",
    "standards.forms",
    "objectives.forms",
    "checkins.forms",
    "reviews.forms",
]


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def test_every_form_of_the_app_limits_its_text_and_names_the_field():
    classes = project_forms()
    assert len(classes) >= 30
    # allauth's sign-in and password forms are allauth's; they take no free text.
    unlimited = [
        c.__qualname__
        for c in classes
        if not issubclass(c, LimitedForm | LimitedModelForm)
        and c.__name__ not in ("SignInForm", "SetPasswordFromKeyForm")
    ]
    assert not unlimited
    assert issubclass(statement_form_class([]), LimitedForm)


def test_a_field_without_its_own_limit_gets_the_long_text_one_with_its_name():
    class Note(LimitedForm):
        note = forms.CharField(label="Line manager's comment", widget=forms.Textarea)
        title = forms.CharField(label="Title (100% yours)", max_length=20)

    form = Note({"note": "x" * (LONG_TEXT_MAX + 1), "title": "y" * 21})
    assert not form.is_valid()
    assert form.errors["note"] == [
        "Line manager's comment is too long: at most 10,000 characters (it has 10001)."
    ]
    assert form.errors["title"] == [
        "Title (100% yours) is too long: at most 20 characters (it has 21)."
    ]
    assert Note({"note": "x" * LONG_TEXT_MAX, "title": "ok"}).is_valid()


def test_the_statement_slots_keep_their_own_limit():
    slot = frames.Slot(name="good_work", kind="text", label="Examples of their good work")
    form = statement_form_class([slot])({"slot_good_work": "x" * 1001})
    assert not form.is_valid()
    assert form.errors["slot_good_work"] == [
        "Examples of their good work is too long: at most 1,000 characters (it has 1001)."
    ]
