"""The learning app's items of "Waiting for me" (growth/navigation/inbox.py): learning done
three months ago or more whose difference the person has not yet written."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from growth.navigation.inbox import InboxContext, InboxItem, register_inbox_source
from learning.selectors import impact_prompts


def impact_items(ctx: InboxContext) -> Iterator[InboxItem]:
    for entry in impact_prompts(staff=ctx.viewer, today=ctx.today):
        yield InboxItem(
            "learning",
            f"What difference did {entry.title} make?",
            reverse("learning:entry_impact", args=[entry.public_id]),
            ctx.at(entry.impact_due_on),
            f"Learning of {entry.started_on:%-d %b %Y}: a few lines on its impact",
        )


register_inbox_source("learning", impact_items)
