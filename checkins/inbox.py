"""The check-ins app's items of "Waiting for me" (growth/navigation/inbox.py): check-ins
due (from the summary rows), observations to agree and feedback conversations to confirm."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse

from checkins.models import FeedbackConversation, Observation
from growth.models import GrowthProgress
from growth.navigation.inbox import InboxContext, InboxItem, register_inbox_source


def _due(row: GrowthProgress, ctx: InboxContext) -> bool:
    """A check-in is waiting when one is due today or one already passed with nothing
    recorded against it."""
    return row.checkins_overdue > 0 or row.next_checkin_on == ctx.today


def checkin_items(ctx: InboxContext) -> Iterator[InboxItem]:
    mine = ctx.mine
    if mine is not None and _due(mine, ctx):
        yield InboxItem(
            "checkins",
            "Hold and record your check-in",
            reverse("checkins:mine"),
            ctx.at(ctx.today),
            f"{mine.checkins_overdue} past check-in(s) with nothing recorded"
            if mine.checkins_overdue
            else "Due today",
        )
    for row in ctx.team:
        if _due(row, ctx):
            yield InboxItem(
                "checkins",
                f"Check in with {row.staff_member.full_name}",
                reverse("checkins:person", args=[row.staff_member.public_id]),
                ctx.at(ctx.today),
                f"{row.checkins_overdue} past check-in(s) with nothing recorded"
                if row.checkins_overdue
                else "Due today",
            )


def observation_items(ctx: InboxContext) -> Iterator[InboxItem]:
    viewer = ctx.viewer
    proposed = (
        Observation.objects.for_trust(viewer.trust_id)
        .filter(observee=viewer, status=Observation.Status.PROPOSED)
        .select_related("observer__user")
        .only(
            "public_id",
            "created_at",
            "date",
            "observer__user__first_name",
            "observer__user__last_name",
            "observer__user__email",
        )
    )
    for observation in proposed:
        yield InboxItem(
            "observations",
            f"Agree the timing and focus of {observation.observer.full_name}'s observation",
            reverse("checkins:observation", args=[observation.public_id]),
            observation.created_at,
            "Proposed for",
            observation.date,
        )
    unconfirmed = (
        FeedbackConversation.objects.for_trust(viewer.trust_id)
        .filter(
            Q(staff_member=viewer, confirmed_by_colleague_at__isnull=True)
            | Q(coach=viewer, confirmed_by_coach_at__isnull=True)
        )
        .select_related("staff_member__user", "coach__user")
        .only(
            "public_id",
            "created_at",
            "held_on",
            "staff_member_id",
            "coach_id",
            "staff_member__user__first_name",
            "staff_member__user__last_name",
            "staff_member__user__email",
            "coach__user__first_name",
            "coach__user__last_name",
            "coach__user__email",
        )
    )
    for conversation in unconfirmed:
        other = (
            conversation.coach
            if conversation.staff_member_id == viewer.pk
            else conversation.staff_member
        )
        yield InboxItem(
            "observations",
            f"Confirm the next step from your feedback conversation with {other.full_name}",
            reverse("checkins:feedback", args=[conversation.public_id]),
            conversation.created_at,
            "Held on",
            conversation.held_on,
        )


register_inbox_source("checkins", checkin_items)
register_inbox_source("checkins.observations", observation_items)
