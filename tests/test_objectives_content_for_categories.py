"""Checklist items, bank phrases and examples shown to the staff categories they belong to:
a teacher never meets central services' "Thinking Customer First"; examples are dated within
the cycle and name no other trust."""

from __future__ import annotations

import pytest

from growth.security.tenancy import trust_scope
from objectives import services
from objectives.selectors import bank_for, checklist_questions, examples_for, sorted_objectives
from tests.factories import make_staff
from tests.objectives_fixtures import bank  # noqa: F401

pytestmark = pytest.mark.usefixtures("bank")

SERVICE_WORDS = ("Thinking Customer First", "customer")


def _builder(world, client_for, staff, area: str) -> str:
    with trust_scope(world.trust):
        plan = services.plan_start(actor=staff, staff=staff, cycle=world.cycle)
        objective = next(o for o in sorted_objectives(plan) if o.area == area)
    return client_for(staff).get(f"/objectives/objective/{objective.public_id}/").content.decode()


@pytest.mark.parametrize("area", ["self", "others", "trust"])
def test_a_teacher_never_meets_service_staffs_words(world, client_for, area):
    page = _builder(world, client_for, world.staff, area)
    assert "Improve customer experience" not in page
    for words in SERVICE_WORDS:
        assert words not in page, words


def test_central_staff_are_offered_their_own_phrases_and_checklist(world, client_for):
    central = make_staff(
        world.trust, world.central, first_name="Cy", category="central", job_title="Finance"
    )
    page = _builder(world, client_for, central, "others")
    assert "Improve customer experience in x area resulting in greater trust" in page
    assert "aligned to Thinking Customer First values" in page


def test_the_selectors_filter_by_category(world):
    with trust_scope(world.trust):
        teacher = bank_for(trust=world.trust, area="others", category="teaching")
        support = bank_for(trust=world.trust, area="others", category="support")
        asked = checklist_questions(world.trust, category="teaching")
        asked_support = checklist_questions(world.trust, category="support")
    teacher_texts = [p.text for p in teacher.how + teacher.what + teacher.impact]
    support_texts = [p.text for p in support.how + support.what + support.impact]
    assert not [t for t in teacher_texts if "ustomer" in t]
    assert "Improve customer experience in x area resulting in greater trust" in support_texts
    assert "Researching" in teacher_texts and "Researching" in support_texts
    assert "others-link" not in [q.key for q in asked]
    assert "others-link" in [q.key for q in asked_support]
    assert len(asked) == 8 and len(asked_support) == 9


@pytest.mark.parametrize("category", ["teaching", "support", "central"])
@pytest.mark.parametrize("area", ["self", "others", "trust"])
def test_examples_are_the_persons_own_dated_within_the_cycle(world, category, area):
    with trust_scope(world.trust):
        examples = examples_for(trust=world.trust, area=area, category=category, cycle=world.cycle)
    assert examples and {e.category for e in examples} == {category}
    for example in examples:
        assert example.text.rstrip(".").endswith(f"by July {world.cycle.review_deadline.year}")
        for stale in ("2021", "2022", "TSAT", "TSFE"):
            assert stale not in example.text, (stale, example.text)


def test_a_teachers_examples_page_shows_only_teaching_examples(world, client_for):
    page = _builder(world, client_for, world.staff, "others")
    assert "To improve how I engage boys in my lessons" in page
    assert "To improve the experience parents have" not in page  # a support example
    assert "help desk" not in page  # a central services example
