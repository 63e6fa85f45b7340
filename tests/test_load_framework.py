"""``manage.py load_framework``: a trust's own framework from YAML or JSON; bad files refused
with the place named and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from growth.models import AuditEvent
from growth.security.tenancy import trust_scope
from standards.models import Descriptor, Framework, Rating, Standard
from standards.services import self_review_save, self_review_start
from tests.standards_fixtures import FIXTURES, shipped_standards  # noqa: F401

EXAMPLE = FIXTURES / "example_framework.yaml"


def good() -> dict:
    return {
        "code": "our-standards",
        "name": "Our standards",
        "applies_to": ["support"],
        "standards": [
            {
                "code": "1",
                "text": "Put customers first.",
                "standards": [
                    {"code": "1a", "text": "Answer queries promptly."},
                    {"code": "1b", "text": "Seek feedback.", "descriptors": {"mpr": ["Share it."]}},
                ],
            },
            {"code": "2", "text": "Work well with others.", "descriptors": {"ect1": []}},
        ],
    }


def write(tmp_path: Path, data: object, name: str = "framework.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data))
    elif isinstance(data, str):
        path.write_text(data)
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def counts() -> tuple[int, int, int]:
    return (
        Framework.objects.unscoped().count(),
        Standard.objects.unscoped().count(),
        Descriptor.objects.unscoped().count(),
    )


def test_it_loads_the_documented_example_for_one_trust_only(world, other_world):
    call_command("load_framework", str(EXAMPLE), "--trust", world.trust.slug, verbosity=0)
    framework = Framework.objects.unscoped().get(code="support-staff-standards")
    assert framework.trust == world.trust
    assert [s.code for s in Standard.objects.unscoped().filter(framework=framework)] == [
        "1",
        "1.1",
        "1.2",
        "2",
        "3",
    ]
    assert Standard.objects.unscoped().get(framework=framework, code="1.1").parent.code == "1"
    assert Standard.objects.unscoped().get(framework=framework, code="1.1").trust == world.trust
    with trust_scope(world.trust):
        assert Framework.objects.filter(pk=framework.pk).exists()
    with trust_scope(other_world.trust):
        assert not Framework.objects.filter(pk=framework.pk).exists()
        assert not Standard.objects.filter(framework=framework).exists()
    assert AuditEvent.objects.for_trust(world.trust).filter(action="framework.load").count() == 1


def test_it_loads_json_and_yaml_alike_and_twice_changes_nothing(world, tmp_path):
    call_command("load_framework", str(write(tmp_path, good(), "f.json")), verbosity=0)
    shared = Framework.objects.unscoped().get(code="our-standards")
    assert shared.trust is None
    before = (
        counts(),
        list(Standard.objects.unscoped().values_list("public_id", "code", "order", "parent__code")),
        list(Descriptor.objects.unscoped().values_list("pk", "statements")),
    )
    call_command("load_framework", str(write(tmp_path, good())), verbosity=0)
    after = (
        counts(),
        list(Standard.objects.unscoped().values_list("public_id", "code", "order", "parent__code")),
        list(Descriptor.objects.unscoped().values_list("pk", "statements")),
    )
    assert after == before
    empty = Descriptor.objects.unscoped().get(standard__code="2", career_stage__code="ect1")
    assert empty.statements == []


def test_it_makes_the_framework_match_an_edited_file(world, tmp_path):
    call_command("load_framework", str(write(tmp_path, good())), "--trust", world.trust.slug)
    edited = good()
    edited["standards"] = [edited["standards"][1], edited["standards"][0]]
    del edited["standards"][1]["standards"][1]
    call_command("load_framework", str(write(tmp_path, edited)), "--trust", world.trust.slug)
    codes = list(
        Standard.objects.unscoped().filter(framework__code="our-standards").values_list("code")
    )
    assert codes == [("2",), ("1",), ("1a",)]
    assert not Descriptor.objects.unscoped().filter(standard__code="1b").exists()


BAD_FILES = [
    ("not a mapping", ["a", "list"], "file: expected a mapping"),
    ("no name", {**good(), "name": ""}, "name: missing text"),
    ("bad code", {**good(), "code": "Our Standards!"}, "code: 'Our Standards!' must be"),
    ("unknown key", {**good(), "colour": "red"}, "colour: unknown key"),
    ("no standards", {**good(), "standards": []}, "standards: expected a list"),
    ("standards not a list", {**good(), "standards": {"1": "x"}}, "standards: expected a list"),
    ("unknown category", {**good(), "applies_to": ["cleaners"]}, "applies_to[0]: unknown staff"),
    (
        "missing text",
        {**good(), "standards": [{"code": "1"}]},
        "standards[0].text: missing text",
    ),
    (
        "missing code",
        {**good(), "standards": [{"text": "x"}]},
        "standards[0].code: missing text",
    ),
    (
        "duplicate code",
        {
            **good(),
            "standards": [
                {"code": "1", "text": "a"},
                {"code": "2", "text": "b", "standards": [{"code": "2a", "text": "c"}]},
                {"code": "3", "text": "d"},
                {"code": "2a", "text": "e"},
            ],
        },
        "standards[3].code: duplicate code '2a' (first at standards[1].standards[0])",
    ),
    (
        "unknown career stage",
        {**good(), "standards": [{"code": "1", "text": "a", "descriptors": {"mpr9": ["x"]}}]},
        "standards[0].descriptors.mpr9: unknown career stage 'mpr9'",
    ),
    (
        "blank statement",
        {**good(), "standards": [{"code": "1", "text": "a", "descriptors": {"mpr": ["", "x"]}}]},
        "standards[0].descriptors.mpr[0]: missing text",
    ),
    (
        "too deep",
        {
            **good(),
            "standards": [
                {
                    "code": "1",
                    "text": "a",
                    "standards": [
                        {"code": "1a", "text": "b", "standards": [{"code": "x", "text": "c"}]}
                    ],
                }
            ],
        },
        "standards[0].standards[0].standards: sub-standards cannot have sub-standards",
    ),
    ("broken yaml", "code: [unclosed\nname: x\n", "not valid YAML"),
]


@pytest.mark.parametrize(
    ("data", "message"), [(d, m) for _, d, m in BAD_FILES], ids=[i for i, _, _ in BAD_FILES]
)
def test_it_refuses_a_bad_file_naming_the_place_and_writes_nothing(world, tmp_path, data, message):
    before = counts()
    audit = AuditEvent.objects.for_trust(world.trust).count()
    with pytest.raises(CommandError) as refused:
        call_command(
            "load_framework", str(write(tmp_path, data)), "--trust", world.trust.slug, verbosity=0
        )
    assert message in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert counts() == before
    assert AuditEvent.objects.for_trust(world.trust).count() == audit


def test_it_reports_every_problem_at_once(world, tmp_path):
    data = {"code": "x", "standards": [{"code": "1"}, {"code": "1", "text": "y"}]}
    with pytest.raises(CommandError) as refused:
        call_command("load_framework", str(write(tmp_path, data)), verbosity=0)
    text = str(refused.value)
    assert "name: missing text" in text
    assert "standards[0].text: missing text" in text
    assert "standards[1].code: duplicate code '1'" in text


def test_it_refuses_an_unknown_trust(world, tmp_path):
    with pytest.raises(CommandError, match="no trust with the slug 'nope'"):
        call_command("load_framework", str(write(tmp_path, good())), "--trust", "nope")
    assert counts()[0] == 0


@pytest.mark.usefixtures("shipped_standards")
def test_it_refuses_a_file_that_would_remove_a_standard_someone_reflected_on(world, tmp_path):
    call_command("load_framework", str(write(tmp_path, good())), "--trust", world.trust.slug)
    with trust_scope(world.trust):
        review = self_review_start(actor=world.support, staff=world.support, cycle=world.cycle)
        assert review.framework.code == "our-standards"
        standard = Standard.objects.get(framework=review.framework, code="1b")
        self_review_save(
            actor=world.support,
            review=review,
            ratings={standard.pk: Rating.FULLY},
            next_steps={},
            reflections={},
        )
    edited = good()
    del edited["standards"][0]["standards"][1]
    before = counts()
    with pytest.raises(CommandError, match="'1b' is missing from the file"):
        call_command("load_framework", str(write(tmp_path, edited)), "--trust", world.trust.slug)
    assert counts() == before
