"""The shipped fixtures: complete, faithful to the seeds, and idempotent."""

from __future__ import annotations

import pytest
from django.core import serializers

from growth.models import CareerStage
from standards.models import Descriptor, Framework, Standard
from tests.standards_fixtures import load_shipped_standards, loaded_standards  # noqa: F401

pytestmark = pytest.mark.usefixtures("loaded_standards")

STAGES = ["ect1", "ect2", "mpr", "upr1", "upr23", "leading-practitioner", "assistant-deputy-head"]
SUB_STANDARDS_PER_STANDARD = {"1": 3, "2": 5, "3": 5, "4": 5, "5": 4, "6": 4, "7": 4, "8": 5}
EMPTY_IN_SEED = {
    ("1.3", "upr23"),
    ("1.3", "assistant-deputy-head"),
    ("5.3", "leading-practitioner"),
    ("7.2", "ect2"),
    ("8.2", "upr23"),
    ("8.5", "assistant-deputy-head"),
}


def teachers_standards() -> Framework:
    return Framework.objects.get(code="teachers-standards", trust__isnull=True)


def test_it_loads_the_seven_career_stages_in_order_with_their_preambles():
    stages = list(CareerStage.objects.order_by("order"))
    assert [s.code for s in stages] == STAGES
    assert [s.name for s in stages][-1] == "Assistant/Deputy Head"
    assert stages[0].preamble == "With support:"
    assert stages[1].preamble == "Independently fulfil the statements for ECT1. Additionally:"
    assert all(s.preamble.endswith(":") for s in stages)


def test_it_loads_part_one_with_both_numberings_and_part_two():
    framework = teachers_standards()
    standards = Standard.objects.filter(framework=framework)
    part_one = standards.filter(part="Part One: Teaching")
    headings = part_one.filter(parent__isnull=True)
    assert [s.code for s in headings] == [str(n) for n in range(1, 9)]
    for heading in headings:
        children = list(heading.children.order_by("order"))
        assert len(children) == SUB_STANDARDS_PER_STANDARD[heading.code]
        assert [c.code for c in children] == [
            f"{heading.code}.{i}" for i in range(1, len(children) + 1)
        ]
    assert part_one.filter(parent__isnull=False).count() == 35
    assert standards.get(code="1.1").alt_code == "1a"
    assert standards.get(code="8.4").alt_code == "8d"
    eight_five = standards.get(code="8.5")
    assert eight_five.alt_code == ""  # seed 004 leaves 8.5 out
    assert eight_five.text == (
        "Communicate effectively with parents with regard to pupils' achievements and well-being"
    )
    part_two = standards.filter(part="Part Two: Personal and professional conduct")
    assert part_two.filter(parent__isnull=True).count() == 3
    assert part_two.filter(parent__isnull=False).count() == 5
    assert part_two.get(code="P2.1.4").shown_code == "1.4"


def test_it_loads_every_descriptor_cell_with_the_empty_ones_recorded_empty():
    framework = teachers_standards()
    subs = Standard.objects.filter(framework=framework, part="Part One: Teaching").exclude(
        parent=None
    )
    cells = {
        (d.standard.code, d.career_stage.code): d.statements
        for d in Descriptor.objects.filter(standard__framework=framework).select_related(
            "standard", "career_stage"
        )
    }
    assert len(cells) == 35 * 7
    assert {code for code, _ in cells} == {s.code for s in subs}
    assert {stage for _, stage in cells} == set(STAGES)
    empty = {key for key, statements in cells.items() if statements == []}
    assert empty == EMPTY_IN_SEED
    assert cells[("1.1", "ect1")][1] == (
        "Develop and sustain relationships, which are consistently calm and based on mutual "
        "respect."
    )
    # A statement the extraction broke over two lines is whole again.
    assert cells[("1.3", "ect2")] == [
        "Demonstrate consistently the positive attitudes, vision, values and behaviours, which "
        "are expected of pupils in the class."
    ]
    assert all(s and not s.startswith("-") for v in cells.values() for s in v)


def test_it_loads_thinking_customer_first_for_central_and_support_staff():
    framework = Framework.objects.get(code="thinking-customer-first")
    assert set(framework.applies_to) == {"central", "support"}
    standards = Standard.objects.filter(framework=framework)
    assert [s.title for s in standards[:4]] == [
        "Trusted",
        "Solution focused",
        "Approachable",
        "Timely",
    ]
    assert [s.text for s in standards[4:]] == [
        "We will identify services that will make a positive impact on our schools",
        "We will provide services in an effective manner",
        "We will use economies of scale to provide financial benefit",
    ]


def test_it_changes_nothing_when_the_fixtures_are_loaded_twice():
    def dump() -> str:
        return serializers.serialize(
            "json",
            [
                *CareerStage.objects.order_by("pk"),
                *Framework.objects.order_by("pk"),
                *Standard.objects.order_by("pk"),
                *Descriptor.objects.order_by("pk"),
            ],
        )

    before = dump()
    load_shipped_standards()
    assert dump() == before


def test_the_tests_bulk_install_matches_what_loaddata_loads():
    from django.db import transaction

    from tests.standards_fixtures import install_shipped_standards

    def content() -> list[tuple]:
        return sorted(
            (
                d.standard.framework.code,
                d.standard.code,
                d.standard.parent.code if d.standard.parent else "",
                d.standard.public_id,
                d.standard.text,
                d.career_stage.code,
                tuple(d.statements),
            )
            for d in Descriptor.objects.select_related(
                "standard__framework", "standard__parent", "career_stage"
            )
        ) + sorted(
            (s.framework.code, s.code, s.alt_code, s.label, s.part, s.title, s.order)
            for s in Standard.objects.select_related("framework")
        )

    loaded = content()
    with transaction.atomic():
        Framework.objects.unscoped().all().delete()
        install_shipped_standards()
        assert content() == loaded
        transaction.set_rollback(True)
