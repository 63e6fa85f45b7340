"""The shipped objectives fixtures: complete, worded as seed 002, and idempotent."""

from __future__ import annotations

from django.core.management import call_command

from objectives.models import ChecklistQuestion, ExampleObjective, ObjectiveBankPhrase
from tests.objectives_fixtures import BANK_FIXTURES


def load() -> None:
    for path in BANK_FIXTURES:
        call_command("loaddata", path, verbosity=0)


def state() -> list:
    return [
        sorted(ObjectiveBankPhrase.objects.values_list("public_id", "key", "kind", "area", "text")),
        sorted(ExampleObjective.objects.values_list("key", "category", "area", "text")),
        sorted(ChecklistQuestion.objects.values_list("key", "area", "text", "hint")),
    ]


def test_it_ships_the_whole_bank_examples_and_checklist(db):
    load()
    phrases = ObjectiveBankPhrase.objects.unscoped()
    assert phrases.filter(kind="how").count() == 22
    assert phrases.filter(kind="what").count() == 22
    impact = {a: phrases.filter(kind="impact", area=a).count() for a in ("trust", "others", "self")}
    assert impact == {"trust": 15, "others": 12, "self": 8}
    assert phrases.filter(kind="how", text="Collaborating with").exists()
    assert phrases.filter(text="Achieve a saving of x down from x spend in 2020-21").exists()
    assert phrases.filter(area="self", text="Present research on x to x group").exists()
    examples = ExampleObjective.objects.unscoped()
    assert examples.count() == 9
    assert set(examples.values_list("category", "area")) == {
        (c, a) for c in ("teaching", "support", "central") for a in ("self", "others", "trust")
    }
    assert examples.get(category="central", area="others").text.startswith(
        "To improve customer experience through reviewing enquiries to the help desk"
    )
    questions = ChecklistQuestion.objects.unscoped()
    assert questions.count() == 9
    assert questions.get(key="trust-link").text == (
        "Demonstrate a clear link to the Trust Priorities as guided by your SMT Member?"
    )


def test_it_changes_nothing_when_loaded_twice(db):
    load()
    first = state()
    load()
    assert state() == first
