"""Fixtures and helpers for the objectives tests."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from growth.models import GrowthCycle, StaffMember
from growth.security.tenancy import trust_scope
from objectives import services
from objectives.models import AREA_ORDER, Area, ChecklistQuestion, GrowthPlan
from objectives.selectors import sorted_objectives
from tests.factories import TrustWorld

BANK_FIXTURES = [
    "fixtures/objectives_bank.json",
    "fixtures/objectives_examples.json",
    "fixtures/objectives_checklist.json",
]


@pytest.fixture
def bank(db) -> None:
    for path in BANK_FIXTURES:
        call_command("loaddata", path, verbosity=0)


def fill_objective(staff: StaffMember, objective, *, priority=None, **overrides) -> None:
    """Write a complete objective and answer Yes to its checklist."""
    questions = [
        q
        for q in ChecklistQuestion.objects.for_trust(staff.trust_id).filter(area=objective.area)
        if q.shown_to(staff.category)
    ]
    fields = {
        "to_text": f"improve my practice ({objective.get_area_display()})",
        "through": ["Researching two pieces of theory"],
        "in_order_to": ["Become an expert in questioning"],
        "by_date": objective.plan.cycle.end_date.replace(month=7, day=1),
        "success_criteria": "Pupils answer in more depth.",
        "priority": priority if objective.area == Area.TRUST else None,
        "checklist": {q.pk: True for q in questions},
    }
    fields.update(overrides)
    services.objective_update(actor=staff, objective=objective, **fields)


def ready_plan(
    world: TrustWorld, staff: StaffMember | None = None, cycle: GrowthCycle | None = None
) -> GrowthPlan:
    """A plan with three complete objectives, ready to submit."""
    staff = staff or world.staff
    cycle = cycle or world.cycle
    with trust_scope(world.trust):
        plan = services.plan_start(actor=staff, staff=staff, cycle=cycle)
        for objective in sorted_objectives(plan):
            fill_objective(staff, objective, priority=world.priority)
        if staff.writes_leadership_goal:
            services.plan_grow_update(
                actor=staff, plan=plan, grow_notes={}, leadership_goal={"goal": "Lead reading"}
            )
        plan.refresh_from_db()
    return plan


assert [a.value for a in AREA_ORDER] == ["self", "others", "trust"]
