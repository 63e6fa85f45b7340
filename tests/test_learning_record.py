"""The learning record: people log their own learning; the three-month impact date; the
hours and spend per school against hand-computed figures and the head's budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from growth.security.tenancy import trust_scope
from learning import selectors, services
from learning.models import LearningEntry, months_after
from tests.learning_fixtures import log_learning

SCHOOL = LearningEntry.PaidBy.SCHOOL
TRUST = LearningEntry.PaidBy.TRUST


def test_the_impact_is_asked_three_calendar_months_later():
    assert months_after(dt.date(2026, 10, 1), 3) == dt.date(2027, 1, 1)
    assert months_after(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_a_person_logs_their_own_learning_with_its_impact_date(world):
    entry = log_learning(world.staff, started_on=dt.date(2026, 10, 1))
    assert entry.impact_due_on == dt.date(2027, 1, 1)
    assert entry.school == world.staff.school


def test_nobody_logs_learning_for_someone_else(world):
    with trust_scope(world.trust), pytest.raises(PermissionDenied):
        services.learning_entry_record(
            actor=world.manager,
            staff=world.staff,
            data=services.EntryData(
                kind="course", title="X", started_on=dt.date(2026, 10, 1), hours=Decimal(1)
            ),
        )


def test_a_cost_needs_someone_who_paid_it(world):
    with pytest.raises(ValidationError) as error:
        log_learning(world.staff, cost=Decimal("90"))
    assert "paid_by" in error.value.message_dict
    with trust_scope(world.trust):
        assert not LearningEntry.objects.exists()


def test_only_the_person_writes_the_impact(world):
    entry = log_learning(world.staff)
    with trust_scope(world.trust):
        with pytest.raises(PermissionDenied):
            services.learning_impact_record(actor=world.manager, entry=entry, impact="Great")
        services.learning_impact_record(actor=world.staff, entry=entry, impact="Pupils explain")
        entry.refresh_from_db()
    assert entry.impact == "Pupils explain" and entry.impact_written_on is not None


def hand_computed_world(world) -> None:
    """In the 2026-27 year: school A — Sam 3 h paid by the school (£100) and 1.5 h free, Cal
    6.5 h paid by the trust (£200); Sam's 2 h (£50, school) in July 2026 is last year.
    Other school — Oli 1 h paid by the school (£25). School A's budget: £1,000."""
    log_learning(world.staff, hours=Decimal("3"), cost=Decimal("100"), paid_by=SCHOOL)
    log_learning(world.staff, hours=Decimal("1.5"), started_on=dt.date(2026, 11, 2))
    log_learning(world.colleague, hours=Decimal("6.5"), cost=Decimal("200"), paid_by=TRUST)
    log_learning(
        world.staff,
        hours=Decimal("2"),
        cost=Decimal("50"),
        paid_by=SCHOOL,
        started_on=dt.date(2026, 7, 1),
    )
    log_learning(world.other_school_staff, hours=Decimal("1"), cost=Decimal("25"), paid_by=SCHOOL)
    with trust_scope(world.trust):
        services.learning_budget_set(
            actor=world.head, school=world.school, cycle=world.cycle, amount=Decimal("1000")
        )


def test_school_figures_match_the_hand_computed_ones(world):
    hand_computed_world(world)
    with trust_scope(world.trust):
        figures = selectors.school_totals(
            trust_id=world.trust.pk,
            cycle=world.cycle,
            schools=[world.school, world.other_school, world.central],
        )
    a, b, central = (figures[s.pk] for s in (world.school, world.other_school, world.central))
    assert (a["people"], a["entries"], a["hours"], a["spend"]) == (2, 3, Decimal("11"), 100)
    assert (a["budget"], a["left"]) == (Decimal("1000"), Decimal("900"))
    assert (b["people"], b["entries"], b["hours"], b["spend"]) == (1, 1, Decimal("1"), 25)
    assert b["budget"] is None and b["left"] is None
    assert (central["entries"], central["hours"], central["spend"]) == (0, 0, 0)


def test_person_figures_match_the_hand_computed_ones(world):
    hand_computed_world(world)
    with trust_scope(world.trust):
        totals = selectors.person_totals(
            trust_id=world.trust.pk, people=[world.staff, world.colleague], cycle=world.cycle
        )
    assert totals[world.staff.pk]["hours"] == Decimal("4.5")
    assert totals[world.staff.pk]["spend"] == Decimal("100")
    assert totals[world.colleague.pk]["spend"] == 0
    assert totals[world.colleague.pk]["cost"] == Decimal("200")


def test_only_the_schools_head_or_hr_sets_its_budget(world):
    with trust_scope(world.trust):
        for actor in (world.other_head, world.manager, world.staff):
            with pytest.raises(PermissionDenied):
                services.learning_budget_set(
                    actor=actor, school=world.school, cycle=world.cycle, amount=Decimal("5")
                )
        assert services.learning_budget_set(
            actor=world.admin, school=world.school, cycle=world.cycle, amount=Decimal("5")
        )
