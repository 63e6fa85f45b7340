"""The grid, the outcome key (default and trust-edited) and the suggested engagement level."""

from __future__ import annotations

import pytest

from reviews import rubric, services
from reviews.selectors import outcome_key
from tests.reviews_fixtures import FakeSummary

DEFAULT = {
    1: "not_met",
    2: "met",
    3: "met",
    4: "partially_met",
    5: "met",
    6: "met",
    7: "partially_met",
    8: "met",
    9: "met",
    10: "exceeded",
}


@pytest.mark.parametrize("cell", range(1, 11))
def test_it_maps_every_cell_with_the_default_key(cell):
    assert rubric.outcome_for_cell(cell) == DEFAULT[cell]


def test_it_numbers_the_grid_as_the_guide_does():
    assert [rubric.cell_for(e, 1) for e in (1, 2, 3)] == [1, 2, 3]
    assert [rubric.cell_for(e, 2) for e in (1, 2, 3)] == [4, 5, 6]
    assert [rubric.cell_for(e, 3) for e in (1, 2, 3)] == [7, 8, 9]
    for cell in range(1, 10):
        assert rubric.cell_for(rubric.engagement_of(cell), rubric.impact_of(cell)) == cell
    with pytest.raises(ValueError):
        rubric.cell_for(4, 1)


def test_it_maps_every_cell_with_a_trust_edited_key(in_trust):
    world = in_trust
    edited = {**DEFAULT, 2: "partially_met", 4: "not_met", 7: "met", 10: "met"}
    services.outcome_key_update(actor=world.admin, trust=world.trust, key=edited)
    key = outcome_key(trust=world.trust)
    for cell in range(1, 11):
        assert key[cell] == edited[cell], cell
        assert rubric.outcome_for_cell(cell, key) == edited[cell]
    # Only the differences are stored; going back to the default removes them.
    services.outcome_key_update(actor=world.admin, trust=world.trust, key=DEFAULT)
    assert outcome_key(trust=world.trust) == DEFAULT


def test_it_keeps_one_trusts_key_from_another(in_trust, other_world):
    world = in_trust
    services.outcome_key_update(
        actor=world.admin, trust=world.trust, key={**DEFAULT, 5: "partially_met"}
    )
    assert outcome_key(trust=other_world.trust)[5] == "met"


@pytest.mark.parametrize(
    ("summary", "level"),
    [
        # 12 of 12 held, 11 on objectives, even across the areas -> high
        (FakeSummary(12, 12, 0, 11, {"self": 4, "others": 4, "trust": 3}), 3),
        # 13 expected, 1 excused, 11 held (92%), all on objectives, balanced -> high
        (FakeSummary(13, 11, 1, 11, {"self": 4, "others": 4, "trust": 3}), 3),
        # 9 of 12 (75%) -> most, however reflective
        (FakeSummary(12, 9, 0, 9, {"self": 3, "others": 3, "trust": 3}), 2),
        # all held but lopsided across areas -> most
        (FakeSummary(12, 12, 0, 12, {"self": 8, "others": 3, "trust": 1}), 2),
        # all held, balanced, but only 5 of 12 on objectives -> low
        (FakeSummary(12, 12, 0, 5, {"self": 2, "others": 2, "trust": 1}), 1),
        # 6 of 12 held -> low
        (FakeSummary(12, 6, 0, 6, {"self": 2, "others": 2, "trust": 2}), 1),
        # two areas, none on Trust -> some -> most
        (FakeSummary(12, 12, 0, 12, {"self": 6, "others": 6, "trust": 0}), 2),
        # only one area ever reflected on -> limited -> low
        (FakeSummary(12, 12, 0, 12, {"self": 12, "others": 0, "trust": 0}), 1),
    ],
)
def test_it_suggests_the_engagement_level_from_a_known_record(summary, level):
    suggestion = rubric.suggest_engagement(summary)
    assert suggestion.level == level
    assert any("expected check-ins" in r for r in suggestion.reasons)


def test_it_makes_no_suggestion_without_expected_checkins():
    assert rubric.suggest_engagement(None).level is None
    assert rubric.suggest_engagement(FakeSummary(2, 0, 2, 0)).level is None


def test_it_shows_the_exceptional_descriptors_for_the_role():
    heading, items = rubric.exceptional_descriptors("teaching")
    assert heading.startswith("Teachers")
    assert "Quality of teaching is regularly outstanding." in items
    heading, items = rubric.exceptional_descriptors("support")
    assert heading.startswith("Support staff")
    assert any("Customers' expectations frequently exceeded" in i for i in items)
