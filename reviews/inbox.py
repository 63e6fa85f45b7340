"""The reviews app's items of "Waiting for me" (growth/navigation/inbox.py): the July
reflection, the reviews a line manager has to write, the final decisions waiting for a
headteacher or the designated decider, and a released statement to read and acknowledge."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from growth.navigation.inbox import InboxContext, InboxItem, register_inbox_source
from growth.security.access import roles_of
from reviews.models import Review
from reviews.progress import StatementState
from reviews.selectors import passed_to, without_school_leaders


def my_items(ctx: InboxContext) -> Iterator[InboxItem]:
    mine, cycle = ctx.mine, ctx.cycle
    if mine is None or not ctx.viewer.is_active:
        return
    window = cycle.reflection_opens <= ctx.today <= cycle.reflection_closes
    if window and mine.reflection_submitted_at is None:
        yield InboxItem(
            "reflections",
            "Write your July reflection",
            reverse("reviews:reflection"),
            ctx.at(cycle.reflection_opens),
            "Submit it by",
            cycle.reflection_closes,
        )
    if mine.statement_state == StatementState.RELEASED and mine.review_public_id:
        yield InboxItem(
            "statements",
            "Read and acknowledge your growth statement",
            reverse("reviews:detail", args=[mine.review_public_id]),
            mine.updated_at,
            f"The final decision for {cycle.name} has been released to you",
        )


def reviews_to_write(ctx: InboxContext) -> Iterator[InboxItem]:
    if not ctx.to_review:
        return
    opens, _ = ctx.cycle.review_window()
    if ctx.today < opens:
        return
    for row in ctx.to_review:
        if row.review_status not in ("", Review.Status.DRAFT):
            continue
        if row.reviewer_id not in (None, ctx.viewer.pk):
            continue
        url = (
            reverse("reviews:detail", args=[row.review_public_id])
            if row.review_public_id
            else reverse("reviews:index")
        )
        yield InboxItem(
            "reviews",
            f"Write {row.staff_member.full_name}'s review",
            url,
            ctx.at(opens),
            "Reviews are due by",
            ctx.cycle.review_deadline,
        )


def decisions(ctx: InboxContext) -> Iterator[InboxItem]:
    viewer, cycle = ctx.viewer, ctx.cycle
    roles = roles_of(viewer)
    waiting: list[Review] = []
    if roles.headteacher_of:
        waiting = list(
            without_school_leaders(
                Review.objects.for_trust(viewer.trust_id).filter(
                    cycle=cycle,
                    status=Review.Status.SUBMITTED,
                    staff_member__school_id__in=roles.headteacher_of,
                )
            )
            .exclude(staff_member=viewer)
            .exclude(reviewer=viewer)
            .select_related("staff_member__user")
            .only(
                "public_id",
                "submitted_at",
                "staff_member__user__first_name",
                "staff_member__user__last_name",
                "staff_member__user__email",
            )
        )
    if roles.designated_decider:
        # Reviews passed on (a leader's own, or one a leader wrote): few in any trust.
        seen = {r.pk for r in waiting}
        waiting += [r for r in passed_to(decider=viewer, cycle=cycle) if r.pk not in seen]
    for review in waiting:
        yield InboxItem(
            "decisions",
            f"Make the final decision on {review.staff_member.full_name}'s review",
            reverse("reviews:decide", args=[review.public_id]),
            review.submitted_at or ctx.at(ctx.today),
            "Decisions are due by",
            cycle.final_decision_deadline,
        )


register_inbox_source("reviews.mine", my_items)
register_inbox_source("reviews.to_write", reviews_to_write)
register_inbox_source("reviews.decisions", decisions)
