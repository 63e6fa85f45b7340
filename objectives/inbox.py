"""The objectives app's items of "Waiting for me" (growth/navigation/inbox.py): a plan to write or
rework, and the team's plans waiting to be agreed — read from the summary rows."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from growth.navigation.inbox import InboxContext, InboxItem, register_inbox_source
from objectives.models import GrowthPlan
from objectives.rules import plan_required

State = GrowthPlan.State


def plan_items(ctx: InboxContext) -> Iterator[InboxItem]:
    mine = ctx.mine
    if mine is not None and plan_required(ctx.viewer):
        if mine.plan_state in ("", State.DRAFT):
            yield InboxItem(
                "plans",
                "Write your growth plan",
                reverse("objectives:my_plan"),
                ctx.at(ctx.cycle.start_date),
                "To be agreed with your line manager by",
                ctx.cycle.objectives_deadline,
            )
        elif mine.plan_state == State.CHANGES_REQUESTED:
            yield InboxItem(
                "plans",
                "Rework your growth plan",
                reverse("objectives:plan", args=[mine.plan_public_id]),
                mine.updated_at,
                "Your line manager asked for changes",
            )
    for row in ctx.team:
        if row.plan_state == State.SUBMITTED and row.plan_public_id:
            yield InboxItem(
                "plans",
                f"Agree {row.staff_member.full_name}'s growth plan",
                reverse("objectives:plan", args=[row.plan_public_id]),
                row.updated_at,
                "Submitted for agreement",
            )


register_inbox_source("objectives", plan_items)
