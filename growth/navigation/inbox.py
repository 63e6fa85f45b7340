""" "Waiting for me": everything that needs one person now, worked out from the records.

There is no second store that could drift from the records: each app registers an
``InboxSource`` in its own ``inbox.py`` (found by autodiscovery, like ``progress.py``), and a
source reads what it needs in a fixed number of queries. Most items come from the summary
rows (``GrowthProgress``) of the person and their direct reports, read once here and handed
to every source, so the whole list costs the same number of queries for a team of two or of
two hundred.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from growth.domain.selectors import cycle_current
from growth.models import GrowthCycle, GrowthProgress, LeaderReviewArrangement, StaffMember
from growth.security.access import roles_of

# The groups the list is shown in, in this order.
GROUPS = {
    "plans": "Growth plans",
    "checkins": "Check-ins",
    "observations": "Observations and feedback",
    "self_reviews": "Self-reviews",
    "reflections": "July reflection",
    "reviews": "Reviews to write",
    "decisions": "Decisions to make",
    "statements": "Statements",
    "learning": "Your professional learning",
}


@dataclass(frozen=True)
class InboxItem:
    group: str  # a key of GROUPS
    title: str
    url: str
    # When it began to wait: the list shows the newest first.
    since: dt.datetime
    detail: str = ""
    # The date it is due by, shown after the detail.
    due: dt.date | None = None


@dataclass
class InboxContext:
    """What every source is given: the person, the cycle, today, and the summary rows of the
    person (``mine``) and of their active direct reports (``team``), each row with its
    ``staff_member`` and account loaded."""

    viewer: StaffMember
    cycle: GrowthCycle
    today: dt.date
    mine: GrowthProgress | None
    team: list[GrowthProgress]
    # The people whose end-of-year review the viewer writes: their direct reports with no
    # other reviewer named, and the leaders the trust named them to review (growth.models.
    # LeaderReviewArrangement). Rows carry ``named_reviewer_id``.
    to_review: list[GrowthProgress] = field(default_factory=list)

    @property
    def team_people(self) -> list[StaffMember]:
        return [row.staff_member for row in self.team]

    def at(self, day: dt.date) -> dt.datetime:
        """A day as the moment the list sorts by (the start of that day)."""
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


InboxSource = Callable[[InboxContext], Iterable[InboxItem]]

_sources: dict[str, InboxSource] = {}
_discovered = False


def register_inbox_source(key: str, source: InboxSource) -> None:
    _sources.setdefault(key, source)


def inbox_sources() -> list[InboxSource]:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("inbox")
    return list(_sources.values())


@dataclass(frozen=True)
class InboxGroup:
    key: str
    label: str
    items: list[InboxItem] = field(default_factory=list)


@dataclass(frozen=True)
class Inbox:
    groups: list[InboxGroup]

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)

    @property
    def items(self) -> list[InboxItem]:
        return [item for g in self.groups for item in g.items]


def inbox_context(*, viewer: StaffMember, today: dt.date | None = None) -> InboxContext | None:
    day = today or timezone.localdate()
    cycle = cycle_current(trust=viewer.trust_id, on=day)
    if cycle is None:
        return None
    arrangements = LeaderReviewArrangement.objects.filter(trust_id=viewer.trust_id)
    # The people first, then their rows: the viewer, their active reports and the leaders
    # they are named to review (read first, as a list: a subquery among the alternatives
    # would keep PostgreSQL from finding each kind of person through its index, and it would
    # read every person and every row of the cycle to find a handful).
    named_for_me = list(arrangements.filter(reviewer=viewer).values_list("staff_member", flat=True))
    concerned = StaffMember.objects.for_trust(viewer.trust_id).filter(
        Q(pk=viewer.pk)
        | Q(is_active=True, line_manager=viewer)
        | Q(is_active=True, pk__in=named_for_me)
    )
    named = arrangements.filter(staff_member_id=OuterRef("staff_member_id"))
    rows = list(
        GrowthProgress.objects.for_trust(viewer.trust_id)
        .filter(cycle=cycle, staff_member__in=concerned.values("pk"))
        .annotate(named_reviewer_id=Subquery(named.values("reviewer_id")[:1]))
        .select_related("staff_member__user", "staff_member__career_stage")
        .order_by("staff_member__user__last_name", "staff_member__user__first_name")
    )
    mine = next((r for r in rows if r.staff_member_id == viewer.pk), None)
    others = [r for r in rows if r.staff_member_id != viewer.pk]
    return InboxContext(
        viewer=viewer,
        cycle=cycle,
        today=day,
        mine=mine,
        team=[r for r in others if r.staff_member.line_manager_id == viewer.pk],
        to_review=[r for r in others if r.named_reviewer_id in (None, viewer.pk)],
    )


def inbox_for(*, viewer: StaffMember, today: dt.date | None = None) -> Inbox:
    """Everything waiting for ``viewer``: grouped, newest first within each group."""
    ctx = inbox_context(viewer=viewer, today=today)
    if ctx is None:
        return Inbox([])
    roles_of(viewer)  # read once here, not once per source
    found: dict[str, list[InboxItem]] = {key: [] for key in GROUPS}
    for source in inbox_sources():
        for item in source(ctx):
            found.setdefault(item.group, []).append(item)
    groups = [
        InboxGroup(key, GROUPS.get(key, key), sorted(items, key=lambda i: i.since, reverse=True))
        for key, items in found.items()
        if items
    ]
    return Inbox(groups)


def inbox_of_request(request: Any) -> Inbox | None:
    """The signed-in person's inbox."""
    staff = getattr(request, "staff", None)
    if staff is None:
        return None
    return inbox_for(viewer=staff)


def inbox_panel(home: Any) -> dict[str, Any] | None:
    """The home page's "Waiting for me" panel, shown to everyone with a membership; its list
    is loaded after the page (``growth.domain.views.inbox_panel``)."""
    return {}
