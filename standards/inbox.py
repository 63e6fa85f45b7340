"""The standards app's items of "Waiting for me" (growth/navigation/inbox.py): the team's shared
self-reviews the line manager has not yet read and commented on."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from growth.navigation.inbox import InboxContext, InboxItem, register_inbox_source
from standards.selectors import reviews_awaiting_comment


def self_review_items(ctx: InboxContext) -> Iterator[InboxItem]:
    if not ctx.team:
        return
    for review in reviews_awaiting_comment(manager=ctx.viewer, team=ctx.team_people):
        yield InboxItem(
            "self_reviews",
            f"Read {review.staff_member.full_name}'s self-review and comment",
            reverse("standards:self_review", args=[review.public_id]),
            review.shared_at or ctx.at(ctx.today),
            f"Shared with you, {review.cycle.name}",
        )


register_inbox_source("standards", self_review_items)
