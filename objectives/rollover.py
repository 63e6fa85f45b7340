"""What the objectives app carries into next year's cycle (growth/domain/rollover.py): each school's
Impact-on-Trust focus, set again for the new cycle (a goal set for last year's cycle only is
matched to its copy). The objectives bank belongs to the trust and needs no copy."""

from __future__ import annotations

from typing import Any

from growth.domain.rollover import register_rollover_step
from growth.models import GrowthCycle, StrategicGoal
from objectives.models import SchoolFocus


def carry_school_focus(actor: Any, source: GrowthCycle, new: GrowthCycle) -> int:
    trust_id = source.trust_id
    copies = {
        (g.priority_id, g.school_id, g.title): g
        for g in StrategicGoal.objects.for_trust(trust_id).filter(cycle=new)
    }
    made = []
    for focus in (
        SchoolFocus.objects.for_trust(trust_id).filter(cycle=source).select_related("goal")
    ):
        goal = focus.goal
        if goal.cycle_id == source.pk:
            goal = copies.get((goal.priority_id, goal.school_id, goal.title), goal)
        made.append(
            SchoolFocus(
                trust_id=trust_id,
                school_id=focus.school_id,
                cycle=new,
                goal=goal,
                set_by_id=focus.set_by_id,
            )
        )
    SchoolFocus.objects.for_trust(trust_id).bulk_create(made)
    return len(made)


register_rollover_step("objectives.school_focus", carry_school_focus)
