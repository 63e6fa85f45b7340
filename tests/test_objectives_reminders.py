"""Plans not agreed by the deadline: the line manager and head are emailed exactly once, by a
real worker through Redis."""

from __future__ import annotations

import pytest

from growth.security.tenancy import trust_scope
from objectives import services
from objectives.models import DeadlineReminder
from objectives.tasks import remind_plans_not_agreed_in_trust
from tests.checkins_fixtures import on_worker
from tests.objectives_fixtures import bank, ready_plan  # noqa: F401

pytestmark = pytest.mark.usefixtures("bank")


@pytest.mark.celery_worker
def test_it_reminds_once_through_a_real_worker(celery_worker, world):
    plan = ready_plan(world)
    with trust_scope(world.trust):
        services.plan_submit(actor=world.staff, plan=plan)
        services.plan_agree(actor=world.manager, plan=plan)
    kwargs = {"trust_id": world.trust.pk, "cycle_id": world.cycle.pk, "on": "2026-11-23"}
    sent = remind_plans_not_agreed_in_trust.apply_async(kwargs=kwargs, ignore_result=False).get(
        timeout=60
    )
    rows = set(
        DeadlineReminder.objects.for_trust(world.trust).values_list(
            "staff_member__user__first_name", "recipient__user__first_name"
        )
    )
    assert sent == len(rows) > 0
    assert ("Sue", "Mo") in rows and ("Sue", "Hana") in rows  # support: not started
    assert ("Cal", "Hana") in rows
    assert not any(who == "Sam" for who, _ in rows)  # agreed
    assert ("Oli", "Otto") in rows  # an ECT: "3 objectives and check-ins for all"
    assert on_worker(remind_plans_not_agreed_in_trust, **kwargs).get(timeout=60) == 0


def test_it_sends_nothing_before_the_deadline(world):
    assert (
        remind_plans_not_agreed_in_trust(
            trust_id=world.trust.pk, cycle_id=world.cycle.pk, on="2026-10-31"
        )
        == 0
    )
