"""The objectives app's part of ``manage.py seed_scale``: a plan with three
objectives for most staff, in the states a November trust would show."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from growth.demo.scale import BATCH, ScaleSeeder, ScaleTrust, register_scale_seeder
from objectives.models import AREA_ORDER, GrowthPlan, Objective

TO = {
    "self": "develop my use of retrieval practice",
    "others": "share effective feedback strategies with my team",
    "trust": "contribute to the trust's reading strategy",
}


def seed_plans(world: ScaleTrust) -> int:
    rng, cycle = world.rng, world.cycle
    now = timezone.now()
    plans = []
    for person in world.staff:
        if person.career_stage_id and person.career_stage.code in ("ect1", "ect2"):
            continue
        roll = rng.random()
        if roll < 0.06:
            continue  # not started
        if roll < 0.72:
            state, agreed = GrowthPlan.State.AGREED, True
        elif roll < 0.84:
            state, agreed = GrowthPlan.State.SUBMITTED, False
        elif roll < 0.88:
            state, agreed = GrowthPlan.State.CHANGES_REQUESTED, False
        else:
            state, agreed = GrowthPlan.State.DRAFT, False
        agreed_at = now - dt.timedelta(days=rng.randrange(10, 60)) if agreed else None
        plans.append(
            GrowthPlan(
                trust=world.trust,
                staff_member=person,
                cycle=cycle,
                state=state,
                version=1,
                submitted_at=agreed_at,
                agreed_by_id=person.line_manager_id if agreed else None,
                agreed_at=agreed_at,
                agreed_version=1 if agreed else None,
            )
        )
    plans = GrowthPlan.objects.bulk_create(plans, batch_size=BATCH)
    by = dt.date(cycle.end_date.year, 7, 1)
    objectives = [
        Objective(
            trust=world.trust,
            plan=plan,
            area=area,
            to_text=TO[area],
            through=["coaching conversations", "peer observation"],
            in_order_to=["improve outcomes for pupils"],
            by_date=by,
        )
        for plan in plans
        for area in AREA_ORDER
    ]
    Objective.objects.bulk_create(objectives, batch_size=BATCH)
    return len(plans) + len(objectives)


register_scale_seeder(ScaleSeeder("objectives", seed_plans, order=10))
