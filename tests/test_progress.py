"""The progress summary (``growth.reporting.progress``): one ``GrowthProgress`` row per person per
cycle, kept by the services in the same transaction as their writes, moved on by the daily sweep and
rebuilt by ``manage.py rebuild_progress``.

The property tests drive random sequences of real service calls of every app on one trust and
check, after every step, that each kept row equals the row worked out afresh from the records
for the day it was worked out for; when days pass, the daily sweep must bring every row to
what a rebuild for the new day gives."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from checkins import services as checkins
from checkins.models import Checkin, Observation
from checkins.selectors import expected_dates
from growth.demo.scale import school_year
from growth.domain import services as growth
from growth.models import (
    GrowthCycle,
    GrowthProgress,
    RoleAssignment,
    School,
    SchoolProgress,
    StaffMember,
    Term,
    Trust,
)
from growth.reporting.progress import progress_move_on, progress_rebuild, progress_rows
from growth.reporting.school_progress import school_progress_rows
from growth.security.tenancy import trust_scope
from objectives import services as objectives
from objectives.models import GrowthPlan
from objectives.selectors import objectives_of, sorted_objectives
from reviews import frames
from reviews import services as reviews
from reviews.models import Review
from reviews.rubric import OUTCOMES
from reviews.selectors import frame_for
from standards import services as standards
from standards.models import SelfReview
from tests.concurrency import two_writes_at_once
from tests.factories import TrustWorld
from tests.objectives_fixtures import bank, fill_objective, ready_plan  # noqa: F401
from tests.reviews_fixtures import placed_review, sample_choices
from tests.standards_fixtures import rate_everything, shipped_standards  # noqa: F401

D = dt.date
ONE_DAY = dt.timedelta(days=1)

# What a row summarises: every column but its identity and bookkeeping.
SUMMARY_FIELDS = tuple(
    field.attname
    for field in GrowthProgress._meta.concrete_fields
    if field.name
    not in {"id", "trust", "public_id", "created_at", "updated_at", "staff_member", "cycle"}
)
# The figures themselves: what a page shows, not the two days that say when they were worked
# out and when they next move.
FIGURES = tuple(f for f in SUMMARY_FIELDS if f not in {"checkins_as_of", "checkins_change_on"})
# What a row swept on a day must agree on with that day's rebuild: all but the day it was last
# worked out for (a row whose figures cannot have moved since is left alone).
AS_OF_ANY_DAY = tuple(f for f in SUMMARY_FIELDS if f != "checkins_as_of")

# What a service says when it refuses: the summary must then be left as it was.
REFUSALS = (ValidationError, PermissionDenied, standards.SelfReviewError)

Summary = dict[tuple[int, int], dict[str, Any]]  # (staff id, cycle id) -> summarised fields


def summary_of(row: GrowthProgress, fields: tuple[str, ...] = SUMMARY_FIELDS) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def kept(trust: Trust) -> Summary:
    """Every row the services have kept for the trust."""
    return {
        (row.staff_member_id, row.cycle_id): summary_of(row)
        for row in GrowthProgress.objects.for_trust(trust)
    }


def rebuilt(trust: Trust, today: dt.date) -> Summary:
    """Every person's row of every cycle as a rebuild for ``today`` would write it (nothing
    is written)."""
    people = list(StaffMember.objects.for_trust(trust).order_by("pk"))
    return {
        (row.staff_member_id, cycle.pk): summary_of(row)
        for cycle in GrowthCycle.objects.for_trust(trust)
        for row in progress_rows(cycle=cycle, people=people, today=today)
    }


def rebuilt_as_kept(trust: Trust) -> Summary:
    """Each kept row worked out afresh for the day it says it was worked out for: a row no
    service has touched since an earlier day is still that day's row."""
    cycles = {c.pk: c for c in GrowthCycle.objects.for_trust(trust)}
    people = {p.pk: p for p in StaffMember.objects.for_trust(trust)}
    days = GrowthProgress.objects.for_trust(trust).values_list(
        "cycle_id", "checkins_as_of", "staff_member_id"
    )
    result: Summary = {}
    for (cycle_id, as_of), group in itertools.groupby(sorted(days), key=lambda r: r[:2]):
        who = [people[staff_id] for _, _, staff_id in group]
        for row in progress_rows(cycle=cycles[cycle_id], people=who, today=as_of):
            result[(row.staff_member_id, cycle_id)] = summary_of(row)
    # A person with no row in a cycle should have one: as a rebuild today would write it.
    for cycle in cycles.values():
        missing = [p for p in people.values() if (p.pk, cycle.pk) not in result]
        for row in progress_rows(cycle=cycle, people=missing, today=timezone.localdate()):
            result[(row.staff_member_id, cycle.pk)] = summary_of(row)
    return result


SchoolSummary = dict[tuple[int, int], dict[str, Any]]  # (school id, cycle id) -> kept figures


def schools_kept(trust: Trust) -> SchoolSummary:
    return {
        (row.school_id, row.cycle_id): {"figures": row.figures, "as_of": row.checkins_as_of}
        for row in SchoolProgress.objects.for_trust(trust)
    }


def schools_counted(trust: Trust) -> SchoolSummary:
    """Every school's row of every cycle as counted now from the people's rows as they are."""
    schools = list(School.objects.for_trust(trust).values_list("pk", flat=True))
    return {
        (row.school_id, cycle.pk): {"figures": row.figures, "as_of": row.checkins_as_of}
        for cycle in GrowthCycle.objects.for_trust(trust)
        for row in school_progress_rows(cycle=cycle, school_ids=schools)
    }


def assert_schools_same(trust: Trust, log: Sequence[str] = ()) -> None:
    kept_rows, counted = schools_kept(trust), schools_counted(trust)
    assert kept_rows.keys() == counted.keys(), "a school or a cycle has no row, or a stray one"
    differences = {
        key: {
            name: (kept_rows[key]["figures"].get(name), counted[key]["figures"].get(name))
            for name in kept_rows[key]["figures"].keys() | counted[key]["figures"].keys()
            if kept_rows[key]["figures"].get(name) != counted[key]["figures"].get(name)
        }
        | {"as of": (kept_rows[key]["as_of"], counted[key]["as_of"])}
        for key in kept_rows
        if kept_rows[key] != counted[key]
    }
    assert not differences, (
        f"kept != counted, (school, cycle): {{figure: (kept, counted)}}: {differences}; "
        f"after: {log[-6:]}"
    )


def assert_same(
    kept_rows: Summary,
    fresh: Summary,
    log: Sequence[str] = (),
    fields: tuple[str, ...] = SUMMARY_FIELDS,
) -> None:
    """Equal row for row in these fields, with the differing ones (and the last calls made)
    named when not."""
    assert kept_rows.keys() == fresh.keys(), "a person or a cycle has no row, or a stray one"
    differences = {
        key: {
            name: (kept_rows[key][name], fresh[key][name])
            for name in fields
            if kept_rows[key][name] != fresh[key][name]
        }
        for key in kept_rows
    }
    differences = {key: differing for key, differing in differences.items() if differing}
    assert not differences, (
        f"kept != rebuilt, (staff, cycle): {{field: (kept, rebuilt)}}: {differences}; "
        f"after: {log[-6:]}"
    )


# --- The property tests --------------------------------------------------------------------

# An index into the machine's people, taken modulo their number; half the time the first
# (whose records then go furthest).
people = st.one_of(st.just(0), st.integers(0, 6))
repeats = st.integers(1, 4)  # a "next" call made again, up to this many times
pick = st.integers(0, 40)  # an index into a list the machine only knows while running


def calls(*names: str) -> st.SearchStrategy[str]:
    """One of the named calls, or (as often as all of them together) "next": the call that
    takes this person's record one step further, so that examples reach decided reviews and
    agreed plans and not only their first steps."""
    return st.sampled_from([*names, *["next"] * len(names)])


class ProgressMachine(RuleBasedStateMachine):
    """Random sequences of service calls on one trust, as the people of ``world`` would make
    them, on one day (``FIRST_DAY``). Each example runs inside a savepoint that is rolled back
    at its end, so every example starts from the same world."""

    world: TrustWorld
    FIRST_DAY = dt.datetime(2027, 6, 28, 9, 0, tzinfo=dt.UTC)  # term time, July window open

    def __init__(self) -> None:
        super().__init__()
        self.traveller = time_machine.travel(self.FIRST_DAY, tick=False)
        self.clock = self.traveller.start()
        self.scope = trust_scope(self.world.trust)
        self.scope.__enter__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        # The world was built row by row on another day: its rows as of the first day.
        progress_rebuild(trust=self.world.trust)
        world = self.world
        self.people = [world.staff, world.support, world.colleague, world.manager]
        self.people.append(world.other_school_staff)  # an early career teacher: no plan
        self.observations: list[int] = []
        self.joined = itertools.count(1)
        self.log: list[str] = []  # the calls made, for the failure message

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)
        self.scope.__exit__(None, None, None)
        self.traveller.stop()

    # Everything is read afresh at every step, as a request does: nothing is carried over in
    # the instances a service has changed, or refused to change.

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    @property
    def trust(self) -> Trust:
        return Trust.objects.get(pk=self.world.trust.pk)

    @property
    def cycle(self) -> GrowthCycle:
        return GrowthCycle.objects.for_trust(self.world.trust).get(pk=self.world.cycle.pk)

    def staff(self, pk: int) -> StaffMember:
        return StaffMember.objects.for_trust(self.world.trust).select_related("user").get(pk=pk)

    def person(self, who: int) -> StaffMember:
        return self.staff(self.people[who % len(self.people)].pk)

    def admin(self) -> StaffMember:
        return self.staff(self.world.admin.pk)

    def head_of(self, person: StaffMember) -> StaffMember:
        head = (
            self.world.head if person.school_id == self.world.school.pk else self.world.other_head
        )
        return self.staff(head.pk)

    def plan(self, person: StaffMember) -> GrowthPlan | None:
        return (
            GrowthPlan.objects.for_trust(person.trust_id)
            .filter(staff_member=person, cycle=self.world.cycle)
            .first()
        )

    def review(self, person: StaffMember) -> Review | None:
        return (
            Review.objects.for_trust(person.trust_id)
            .select_related("reviewer")
            .filter(staff_member=person, cycle=self.world.cycle)
            .first()
        )

    def self_review(self, person: StaffMember) -> SelfReview | None:
        return (
            SelfReview.objects.for_trust(person.trust_id)
            .filter(staff_member=person, cycle=self.world.cycle)
            .first()
        )

    def attempt(self, what: str, call: Callable[[], object]) -> Any:
        """Make one service call and return what it returns; a refusal must leave every row
        as it was (and returns None)."""
        before = self.rows_as_stored()
        try:
            result = call()
        except REFUSALS as refusal:
            self.log.append(f"{what}: refused ({refusal})")
            assert self.rows_as_stored() == before, f"a refused {what} changed the summary"
            return None
        self.log.append(f"{what}: made")
        return result

    def rows_as_stored(self) -> tuple[dict, SchoolSummary]:
        people = {
            (row.staff_member_id, row.cycle_id): (summary_of(row), row.updated_at)
            for row in GrowthProgress.objects.for_trust(self.world.trust)
        }
        return people, schools_kept(self.world.trust)

    @invariant()
    def every_row_is_what_its_records_say(self) -> None:
        assert_same(kept(self.world.trust), rebuilt_as_kept(self.world.trust), self.log)
        assert_schools_same(self.world.trust, self.log)

    # --- objectives ---

    @rule(
        who=people,
        call=calls("start", "fill", "edit", "submit", "withdraw", "changes", "agree"),
        times=repeats,
    )
    def plan_step(self, who: int, call: str, times: int) -> None:
        for _ in range(times if call == "next" else 1):
            self.plan_call(who, call)

    def plan_call(self, who: int, call: str) -> None:
        person = self.person(who)
        plan = self.plan(person)
        if call == "next":
            call = self.next_plan_call(plan)
        manager = person.line_manager
        if call == "start":
            self.attempt(
                "plan_start",
                lambda: objectives.plan_start(actor=person, staff=person, cycle=self.cycle),
            )
        elif plan is None:
            return
        elif call == "fill":
            for objective in sorted_objectives(plan):
                self.attempt(
                    "objective_update",
                    lambda o=objective: fill_objective(person, o, priority=self.world.priority),
                )
            if person.writes_leadership_goal:
                self.attempt(
                    "plan_grow_update",
                    lambda: objectives.plan_grow_update(
                        actor=person,
                        plan=self.plan(person),
                        grow_notes={},
                        leadership_goal={"goal": "Lead reading"},
                    ),
                )
        elif call == "edit":  # an agreed plan opens its next version
            first = sorted_objectives(plan)[0]
            self.attempt(
                "objective_update",
                lambda: fill_objective(
                    person, first, priority=self.world.priority, to_text="improve my questions"
                ),
            )
        elif call == "submit":
            self.attempt("plan_submit", lambda: objectives.plan_submit(actor=person, plan=plan))
        elif call == "withdraw":
            self.attempt("plan_withdraw", lambda: objectives.plan_withdraw(actor=person, plan=plan))
        elif call == "changes" and manager:
            self.attempt(
                "plan_request_changes",
                lambda: objectives.plan_request_changes(
                    actor=manager, plan=plan, comment="Make the criteria sharper."
                ),
            )
        elif call == "agree" and manager:
            self.attempt("plan_agree", lambda: objectives.plan_agree(actor=manager, plan=plan))

    @staticmethod
    def next_plan_call(plan: GrowthPlan | None) -> str:
        if plan is None:
            return "start"
        if plan.state == GrowthPlan.State.SUBMITTED:
            return "agree"
        if plan.state == GrowthPlan.State.AGREED:
            return "edit"
        filled = all(o.to_text for o in sorted_objectives(plan))
        return "submit" if filled else "fill"

    # --- check-ins and observations ---

    @rule(
        who=people,
        # "unscheduled": a check-in held on a day of no slot; "held" is refused as an excuse.
        call=calls("record", "unscheduled", "missed", "moved", "cancelled", "held"),
        slot=pick,
        moved_by=st.integers(1, 20),
        by_manager=st.booleans(),
        times=repeats,
    )
    def checkin_step(self, times: int, **choices: Any) -> None:
        for _ in range(times if choices["call"] == "next" else 1):
            self.checkin_call(**choices)

    def checkin_call(self, who: int, call: str, slot: int, moved_by: int, by_manager: bool) -> None:
        person, cycle = self.person(who), self.cycle
        dates = expected_dates(staff=person, cycle=cycle)
        if not dates:
            return
        due = dates[slot % len(dates)]
        if call == "next":  # the first check-in due with nothing recorded, as a person would
            recorded = set(
                Checkin.objects.for_trust(person.trust_id)
                .filter(staff_member=person, cycle=cycle)
                .values_list("due_on", flat=True)
            )
            due = next((d for d in dates if d <= self.today and d not in recorded), due)
            call = "record"
        actor = person.line_manager if by_manager and person.line_manager else person
        if call in ("record", "unscheduled"):
            data = checkins.CheckinData(
                held_on=min(due, self.today)
                if call == "record"
                else self.today - moved_by * ONE_DAY,
                reflections={"self": "Modelled my thinking."},
            )
            self.attempt(
                f"checkin_record {call}",
                lambda: checkins.checkin_record(
                    actor=actor,
                    staff=person,
                    cycle=cycle,
                    data=data,
                    due_on=due if call == "record" else None,
                ),
            )
        else:
            self.attempt(
                f"checkin_excuse {call}",
                lambda: checkins.checkin_excuse(
                    actor=actor,
                    staff=person,
                    cycle=cycle,
                    due_on=due,
                    status=call,
                    reason="Parents' evening",
                    moved_to=due + dt.timedelta(days=moved_by),
                ),
            )

    @rule(
        who=people,
        call=calls("create", "agree", "complete", "cancel"),
        which=pick,
        by_manager=st.booleans(),
        days_off=st.integers(-60, 60),
        minutes=st.sampled_from([10, 20, 30]),
        times=repeats,
    )
    def observation_step(self, times: int, **choices: Any) -> None:
        for _ in range(times if choices["call"] == "next" else 1):
            self.observation_call(**choices)

    def observation_call(
        self, who: int, call: str, which: int, by_manager: bool, days_off: int, minutes: int
    ) -> None:
        day = self.today + dt.timedelta(days=days_off)
        observation = None
        if self.observations:
            pk = self.observations[which % len(self.observations)]
            observation = Observation.objects.for_trust(self.world.trust).get(pk=pk)
        if call == "next":
            call = {
                Observation.Status.PROPOSED: "agree",
                Observation.Status.AGREED: "complete",
            }.get(observation.status if observation else "", "create")
        if call == "create":
            person = self.person(who)
            observer = person.line_manager or self.admin()
            made = self.attempt(
                "observation_create",
                lambda: checkins.observation_create(
                    actor=observer if by_manager else person,
                    cycle=self.cycle,
                    observee=person,
                    observer=observer,
                    date=day,
                    minutes=minutes,
                    purpose=Observation.Purpose.SUPPORT,
                    focus_area="self",
                ),
            )
            self.observations += [made.pk] if made else []
        elif observation is None:
            return
        elif call == "agree":
            self.attempt(
                "observation_agree",
                lambda: checkins.observation_agree(
                    actor=observation.observee, observation=observation, date=day, focus_area="self"
                ),
            )
        elif call == "complete":
            self.attempt(
                "observation_complete",
                lambda: checkins.observation_complete(
                    actor=observation.observer, observation=observation, notes="Good questions."
                ),
            )
        elif call == "cancel":
            self.attempt(
                "observation_cancel",
                lambda: checkins.observation_cancel(
                    actor=observation.observee, observation=observation
                ),
            )

    # --- the self-review against the standards ---

    @rule(who=people, call=calls("start", "rate one", "rate all", "share"), times=repeats)
    def self_review_step(self, who: int, call: str, times: int) -> None:
        for _ in range(times if call == "next" else 1):
            self.self_review_call(who, call)

    def self_review_call(self, who: int, call: str) -> None:
        person = self.person(who)
        review = self.self_review(person)
        if call == "next":
            call = (
                "start"
                if review is None
                else "rate all"
                if not review.ratings.exists()
                else "share"
            )
        if call == "start":
            self.attempt(
                "self_review_start",
                lambda: standards.self_review_start(actor=person, staff=person, cycle=self.cycle),
            )
        elif review is None:
            return
        elif call.startswith("rate"):
            ratings = rate_everything(review)
            if call == "rate one":
                ratings = dict(list(ratings.items())[:1])
            self.attempt(
                "self_review_save",
                lambda: standards.self_review_save(
                    actor=person,
                    review=review,
                    ratings=ratings,
                    next_steps={},
                    reflections={"strengths": "Questioning"},
                ),
            )
        elif call == "share":
            self.attempt(
                "self_review_share",
                lambda: standards.self_review_share(actor=person, review=review),
            )

    # --- the July reflection and the review ---

    @rule(
        who=people,
        call=calls(
            "reflect", "start", "place", "write", "blank", "typed", "submit", "decide", "ack"
        ),
        autosave=st.booleans(),
        cell=st.integers(1, 10),
        outcome=st.sampled_from(OUTCOMES),
        submit=st.booleans(),
        times=repeats,
    )
    def review_step(self, times: int, **choices: Any) -> None:
        for _ in range(times if choices["call"] == "next" else 1):
            self.review_call(**choices)

    def review_call(
        self, who: int, call: str, cell: int, outcome: str, submit: bool, autosave: bool
    ) -> None:
        person, cycle = self.person(who), self.cycle
        review = self.review(person)
        if call == "next":
            call = self.next_review_call(review)
        if call == "reflect":
            ratings = {
                o.pk: ("met", "Recall rose.") for o in objectives_of(staff=person, cycle=cycle)
            }
            self.attempt(
                "july_reflection_save",
                lambda: reviews.july_reflection_save(
                    actor=person,
                    cycle=cycle,
                    ratings=ratings,
                    impact_self="More confident.",
                    impact_others="Shared quizzes.",
                    impact_trust="Reading ages up.",
                    submit=submit,
                ),
            )
        elif call == "start":
            if person.line_manager:
                self.attempt(
                    "review_start",
                    lambda: reviews.review_start(
                        actor=person.line_manager, staff_member=person, cycle=cycle
                    ),
                )
        elif review is None or review.reviewer is None:
            return
        elif call == "place":
            self.attempt(
                "review_place",
                lambda: reviews.review_place(
                    actor=review.reviewer,
                    review=review,
                    cell=cell,
                    suggested_engagement=None,
                    evidence=[],
                    consulted_on=self.today if cell == 1 else None,
                ),
            )
        elif call in ("write", "blank", "typed"):
            # A statement from its frame, emptied, or a few words as typed (an autosave of
            # them, half the time, as the page makes while the reviewer types).
            part1, choices = {"blank": "", "typed": "Your retrieval quizzes"}.get(call, ""), None
            if call == "write" and review.cell:
                frame = frame_for(trust=review.trust_id, part=1, cell=review.cell)
                choices = sample_choices(frames.parse_slots(frame.body, frame.slots))
                part1, choices = reviews.statement_fill(review=review, choices=choices)
            self.attempt(
                "statement_save" + (" (autosave)" if autosave else ""),
                lambda: reviews.statement_save(
                    actor=review.reviewer,
                    review=review,
                    part1=part1,
                    frame_choices=choices,
                    autosave=autosave,
                ),
            )
        elif call == "submit":
            self.attempt(
                "review_submit", lambda: reviews.review_submit(actor=review.reviewer, review=review)
            )
        elif call == "decide":
            self.attempt(
                "review_decide",
                lambda: reviews.review_decide(
                    actor=self.head_of(person),
                    review=review,
                    outcome=outcome if submit else review.placed_outcome,
                    reason="Moderated across the school.",
                ),
            )
        elif call == "ack":
            self.attempt(
                "review_acknowledge",
                lambda: reviews.review_acknowledge(actor=person, review=review, comment="Thanks."),
            )

    @staticmethod
    def next_review_call(review: Review | None) -> str:
        if review is None:
            return "start"
        if review.status == Review.Status.DECIDED:
            return "reflect" if review.acknowledged_at else "ack"
        if review.status == Review.Status.SUBMITTED:
            return "decide"
        if not review.cell:
            return "place"
        return "submit" if review.part1 else "write"

    # --- the trust: people, cycles, settings ---

    @rule(
        who=people,
        start=st.sampled_from([D(2020, 9, 1), D(2026, 11, 2), D(2027, 3, 1)]),
        leave=st.sampled_from([None, D(2026, 12, 1), D(2027, 2, 15), D(2027, 7, 1)]),
        manager=st.sampled_from(["manager", "head", "colleague", "admin"]),
    )
    def staff_member_update(
        self, who: int, start: dt.date, leave: dt.date | None, manager: str
    ) -> None:
        person = self.person(who)
        line_manager = self.staff(getattr(self.world, manager).pk)
        self.attempt(
            "staff_member_update",
            lambda: growth.staff_member_update(
                actor=self.admin(),
                staff=person,
                start_date=start,
                leave_date=leave,
                line_manager=line_manager,
            ),
        )

    @rule(who=people, school=st.sampled_from(["school", "other_school", "central"]))
    def staff_member_move(self, who: int, school: str) -> None:
        """A move to another school: the school left stops counting the person."""
        person = self.person(who)
        self.attempt(
            "staff_member_update (move)",
            lambda: growth.staff_member_update(
                actor=self.admin(), staff=person, school=getattr(self.world, school)
            ),
        )

    @rule(who=people, appoint=st.booleans())
    def headteacher_change(self, who: int, appoint: bool) -> None:
        """Someone becomes a headteacher of their school, or stops being one of any."""
        person = self.person(who)
        if appoint:
            self.attempt(
                "person_role_give (head)",
                lambda: growth.person_role_give(
                    actor=self.admin(),
                    staff=person,
                    role=RoleAssignment.Role.HEADTEACHER,
                    school=person.school,
                ),
            )
            return
        held = RoleAssignment.objects.for_trust(person.trust_id).filter(
            staff_member=person, role=RoleAssignment.Role.HEADTEACHER
        )
        for assignment in held:
            self.attempt(
                "person_role_end (head)",
                lambda assignment=assignment: growth.person_role_end(
                    actor=self.admin(), assignment=assignment
                ),
            )

    @rule(exempt=st.booleans())
    def early_career_exemption_change(self, exempt: bool) -> None:
        """Whether early career teachers write objectives: who each school counts as writing
        a plan."""
        self.attempt(
            "trust_settings_update (exemption)",
            lambda: growth.trust_settings_update(
                actor=self.admin(), trust=self.trust, early_career_exempt_from_objectives=exempt
            ),
        )

    @precondition(lambda self: len(self.people) < 7)
    @rule(start=st.sampled_from([D(2026, 9, 1), D(2027, 1, 4), D(2027, 6, 28)]))
    def staff_member_create(self, start: dt.date) -> None:
        n = next(self.joined)
        made = self.attempt(
            "staff_member_create",
            lambda: growth.staff_member_create(
                actor=self.admin(),
                trust=self.trust,
                email=f"joiner{n}@alpha.example",
                first_name="Jo",
                last_name=f"Joiner{n}",
                school=self.world.school,
                job_title="Teaching Assistant",
                category=StaffMember.Category.SUPPORT,
                line_manager=self.world.manager,
                start_date=start,
            ),
        )
        self.people += [made] if made else []

    @rule(
        term=st.integers(0, 5),
        days=st.integers(-12, 12),
        closure=st.one_of(st.none(), st.integers(0, 330)),
    )
    def cycle_terms_change(self, term: int, days: int, closure: int | None) -> None:
        """A term ends earlier or later (overlapping the next is refused), and perhaps a day
        closes."""
        cycle = self.cycle
        rows = [
            growth.DatedRow(t.name, t.start_date, t.end_date, t.public_id)
            for t in Term.objects.for_trust(cycle.trust_id)
            .filter(cycle=cycle)
            .order_by("start_date")
        ]
        if rows:
            rows[term % len(rows)].end_date += dt.timedelta(days=days)
        closures = [
            growth.DatedRow(c.name, c.start_date, c.end_date, c.public_id)
            for c in cycle.closures.all()
        ]
        if closure is not None:
            day = cycle.start_date + dt.timedelta(days=closure)
            closures.append(growth.DatedRow(f"Closed {day}", day, day))
        self.attempt(
            "cycle_save",
            lambda: growth.cycle_save(
                actor=self.admin(),
                trust=self.trust,
                cycle=cycle,
                values={},
                terms=rows,
                closures=closures,
            ),
        )

    @precondition(lambda self: GrowthCycle.objects.for_trust(self.world.trust).count() < 2)
    @rule()
    def next_cycle_create(self) -> None:
        dates, terms = school_year(2027)
        self.attempt(
            "cycle_save (new)",
            lambda: growth.cycle_save(
                actor=self.admin(),
                trust=self.trust,
                cycle=None,
                values={"name": "2027-28", **dates},
                terms=[growth.DatedRow(name, start, end) for name, start, end in terms],
                closures=[],
            ),
        )

    @rule(days=st.sampled_from([7, 10, 14, 21]))
    def cadence_change(self, days: int) -> None:
        self.attempt(
            "trust_settings_update",
            lambda: growth.trust_settings_update(
                actor=self.admin(), trust=self.trust, checkin_cadence_days=days
            ),
        )

    @rule()
    def daily_sweep(self) -> None:
        """The sweep on a day it has already run: every row is today's already."""
        self.assert_swept()

    def assert_swept(self) -> None:
        """The daily sweep's contract: after it, no row's figures are due to change on or
        before today, and every row is what a rebuild for today gives."""
        progress_move_on(trust=self.world.trust)
        rows = kept(self.world.trust)
        behind = [
            k for k, row in rows.items() if (row["checkins_change_on"] or D.max) <= self.today
        ]
        assert not behind, f"rows left behind the calendar: {behind}"
        assert_same(rows, rebuilt(self.world.trust, self.today), self.log, AS_OF_ANY_DAY)


class ProgressOverTimeMachine(ProgressMachine):
    """The same calls with days passing between them, from the start of the year: a row no
    service touches falls behind the calendar until the daily sweep moves it on."""

    FIRST_DAY = dt.datetime(2026, 9, 7, 9, 0, tzinfo=dt.UTC)
    LAST_DAY = D(2027, 8, 20)

    # Four rules of time (of fifteen), so that most examples see several days.

    @precondition(lambda self: self.today < self.LAST_DAY)
    @rule(days=st.integers(1, 3))
    def days_pass(self, days: int) -> None:
        """A day or three pass, then the daily sweep runs: every row is then today's."""
        self.go_to(self.today + dt.timedelta(days=days))

    @precondition(lambda self: self.today < self.LAST_DAY)
    @rule(days=st.integers(4, 60))
    def weeks_pass(self, days: int) -> None:
        self.go_to(self.today + dt.timedelta(days=days))

    @precondition(lambda self: self.today < self.LAST_DAY)
    @rule(which=pick)
    def days_pass_to_a_change_day(self, which: int) -> None:
        """To the day a row says its figures next change: where a wrong change day would
        leave the row behind the calendar (and, the day after, behind it still)."""
        self.go_to(self.change_day(which))

    @precondition(lambda self: self.today < self.LAST_DAY)
    @rule(which=pick)
    def days_pass_to_the_day_after_a_change_day(self, which: int) -> None:
        self.go_to(self.change_day(which) + ONE_DAY)

    def change_day(self, which: int) -> dt.date:
        days = sorted(
            {
                day
                for day in GrowthProgress.objects.for_trust(self.world.trust).values_list(
                    "checkins_change_on", flat=True
                )
                if day is not None
            }
        )
        return days[which % len(days)] if days else self.today

    def go_to(self, day: dt.date) -> None:
        day = min(day, self.LAST_DAY)
        if day > self.today:
            self.clock.shift(day - self.today)
            self.log.append(f"{self.today}: a new day")
        self.every_row_is_what_its_records_say()  # behind the calendar, but honestly so
        self.assert_swept()


STATEFUL = hypothesis_settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    database=None,
    # Each example is slow (real services on PostgreSQL); the world is built once per test and
    # every example rolls its own changes back, so a fixture shared by examples is intended.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    # No shrinking: an example takes seconds, shrinking one takes many minutes, and the
    # failing sequence is printed step by step as it is.
    phases=[Phase.explicit, Phase.generate],
)

property_fixtures = pytest.mark.usefixtures("bank", "shipped_standards")


@property_fixtures
def test_the_kept_summary_equals_a_rebuild_after_any_sequence_of_service_calls(world):
    machine = type("ProgressOnTrustA", (ProgressMachine,), {"world": world})
    run_state_machine_as_test(machine, settings=STATEFUL)


@property_fixtures
def test_the_daily_sweep_brings_every_row_to_a_rebuild_as_the_days_pass(world):
    machine = type("ProgressOverTimeOnTrustA", (ProgressOverTimeMachine,), {"world": world})
    run_state_machine_as_test(machine, settings=STATEFUL)


# --- One behaviour each --------------------------------------------------------------------

SEPT_7 = dt.datetime(2026, 9, 7, 9, 0, tzinfo=dt.UTC)


def row_of(person: StaffMember, cycle: GrowthCycle | None = None) -> GrowthProgress:
    rows = GrowthProgress.objects.for_trust(person.trust_id).filter(staff_member=person)
    return rows.get(cycle=cycle) if cycle else rows.get()


def tamper(person: StaffMember) -> None:
    """What a bulk load or a restore can leave behind: a row that says something else."""
    GrowthProgress.objects.for_trust(person.trust_id).filter(staff_member=person).update(
        checkins_held=99, plan_state=GrowthPlan.State.AGREED, review_status=Review.Status.DECIDED
    )


@time_machine.travel(SEPT_7, tick=False)
def test_rebuild_progress_repairs_a_row_that_was_tampered_with(world):
    tamper(world.staff)
    out = io.StringIO()
    call_command("rebuild_progress", stdout=out)
    assert row_of(world.staff).checkins_held == 0
    assert_same(kept(world.trust), rebuilt(world.trust, D(2026, 9, 7)))
    assert "alpha: 8 progress rows rebuilt" in out.getvalue()


@time_machine.travel(SEPT_7, tick=False)
def test_rebuild_progress_for_one_trust_leaves_the_others_alone(world, other_world):
    tamper(world.staff)
    tamper(other_world.staff)
    out = io.StringIO()
    call_command("rebuild_progress", "--trust", "beta", stdout=out)
    assert_same(kept(other_world.trust), rebuilt(other_world.trust, D(2026, 9, 7)))
    assert row_of(world.staff).checkins_held == 99
    assert out.getvalue() == "beta: 8 progress rows rebuilt\n"


def test_rebuild_progress_names_a_trust_that_does_not_exist(world):
    with pytest.raises(CommandError, match="'nowhere'"):
        call_command("rebuild_progress", "--trust", "nowhere")
    assert GrowthProgress.objects.for_trust(world.trust).count() == 8


def test_the_daily_sweep_moves_on_only_the_rows_whose_change_day_has_come(in_trust):
    world = in_trust
    first_due = expected_dates(staff=world.staff, cycle=world.cycle)[0]
    with time_machine.travel(SEPT_7, tick=False):
        # Left before the cycle: no check-ins, so nothing moves for them until term ends.
        growth.staff_member_update(actor=None, staff=world.support, leave_date=D(2026, 8, 31))
        progress_rebuild(trust=world.trust)
    left = row_of(world.support)
    assert row_of(world.staff).checkins_change_on == first_due < left.checkins_change_on

    day_after = first_due + ONE_DAY
    with time_machine.travel(dt.datetime.combine(day_after, dt.time(0, 5), dt.UTC), tick=False):
        assert progress_move_on(trust=world.trust) == 7

    staff_row = row_of(world.staff)
    assert (staff_row.checkins_due, staff_row.checkins_overdue) == (1, 1)
    assert staff_row.checkins_as_of == day_after
    untouched = row_of(world.support)
    assert (untouched.checkins_as_of, untouched.updated_at) == (D(2026, 9, 7), left.updated_at)
    assert_same(kept(world.trust), rebuilt(world.trust, day_after), fields=AS_OF_ANY_DAY)


@pytest.mark.celery_worker
def test_the_beat_task_moves_rows_on_through_a_real_worker(celery_worker, world):
    from growth.celery import app

    # The rows as they stood on the first day of the cycle, long before today.
    progress_rebuild(trust=world.trust, today=world.cycle.start_date)
    task = settings.CELERY_BEAT_SCHEDULE["growth-progress-move-on"]["task"]
    moved = app.send_task(task, ignore_result=False).get(timeout=60)
    today = timezone.localdate()  # the worker's day: real time, not a test's travel
    assert moved == 8
    assert {row["checkins_as_of"] for row in kept(world.trust).values()} == {today}
    assert_same(kept(world.trust), rebuilt(world.trust, today))


class Boom(Exception):
    pass


def test_the_summary_is_written_in_the_transaction_of_the_write(in_trust):
    world = in_trust
    with pytest.raises(Boom), transaction.atomic():
        objectives.plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
        assert row_of(world.staff).plan_state == GrowthPlan.State.DRAFT
        raise Boom  # anything later in the same transaction fails
    assert row_of(world.staff).plan_state == ""
    assert not GrowthPlan.objects.for_trust(world.trust).filter(staff_member=world.staff).exists()


def test_a_summary_that_cannot_be_worked_out_undoes_the_write(in_trust, monkeypatch):
    world = in_trust

    def fails(**kwargs: Any) -> list[GrowthProgress]:
        raise Boom

    monkeypatch.setattr("growth.reporting.progress.progress_rows", fails)
    with pytest.raises(Boom):
        objectives.plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    assert not GrowthPlan.objects.for_trust(world.trust).filter(staff_member=world.staff).exists()


def next_cycle(world: TrustWorld) -> GrowthCycle:
    dates, terms = school_year(2027)
    return growth.cycle_save(
        actor=world.admin,
        trust=world.trust,
        cycle=None,
        values={"name": "2027-28", **dates},
        terms=[growth.DatedRow(name, start, end) for name, start, end in terms],
        closures=[],
    )


def test_a_new_member_of_staff_has_a_row_for_every_cycle_of_the_trust(in_trust):
    world = in_trust
    later = next_cycle(world)
    person = growth.staff_member_create(
        actor=world.admin,
        trust=world.trust,
        email="new.starter@alpha.example",
        first_name="New",
        last_name="Starter",
        school=world.school,
        job_title="Teaching Assistant",
        category=StaffMember.Category.SUPPORT,
        start_date=D(2027, 1, 4),
    )
    rows = GrowthProgress.objects.for_trust(world.trust).filter(staff_member=person)
    assert {row.cycle_id for row in rows} == {world.cycle.pk, later.pk}
    assert_same(kept(world.trust), rebuilt(world.trust, timezone.localdate()))


def test_saving_terms_from_a_cycle_that_has_read_its_old_schedule_keeps_the_new_one(in_trust):
    world = in_trust
    cycle = GrowthCycle.objects.for_trust(world.trust).get(pk=world.cycle.pk)
    before = expected_dates(staff=world.staff, cycle=cycle)  # as the page showed it
    terms = [
        growth.DatedRow(t.name, t.start_date, t.end_date, t.public_id)
        for t in cycle.terms.order_by("start_date")
    ]
    growth.cycle_save(
        actor=world.admin, trust=world.trust, cycle=cycle, values={}, terms=terms[1:], closures=[]
    )
    assert expected_dates(staff=world.staff, cycle=world.cycle) != before
    assert_same(kept(world.trust), rebuilt(world.trust, timezone.localdate()))


# The check-in figures as of each day of the cycle, for the change-day tests.
def figures_by_day(person: StaffMember, cycle: GrowthCycle) -> dict[dt.date, GrowthProgress]:
    days = (cycle.start_date + n * ONE_DAY for n in range((cycle.end_date - cycle.start_date).days))
    return {day: progress_rows(cycle=cycle, people=[person], today=day)[0] for day in days}


def test_the_change_day_of_a_new_row_is_its_first_check_in(in_trust):
    world = in_trust
    first_due = expected_dates(staff=world.staff, cycle=world.cycle)[0]
    with time_machine.travel(SEPT_7, tick=False):
        progress_rebuild(trust=world.trust)
    row = row_of(world.staff)
    assert row.checkins_change_on == first_due
    on_the_day = progress_rows(cycle=world.cycle, people=[world.staff], today=first_due)[0]
    assert (row.checkins_due, on_the_day.checkins_due) == (0, 1)


def test_no_figure_changes_before_the_change_day(in_trust):
    """For every day of the cycle, the row worked out that day stays right up to the day
    before its change day; and the change day is never later than the first real change."""
    world = in_trust
    cycle = world.cycle
    dates = expected_dates(staff=world.staff, cycle=cycle)
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        record = checkins.CheckinData(held_on=dates[0], reflections={"self": "Modelled it."})
        checkins.checkin_record(
            actor=world.staff, staff=world.staff, cycle=cycle, data=record, due_on=dates[0]
        )
        for due, status, moved_to in [
            (dates[1], Checkin.Status.MOVED, dates[1] + 9 * ONE_DAY),
            (dates[2], Checkin.Status.MISSED, None),
            (dates[6], Checkin.Status.CANCELLED, None),
        ]:
            checkins.checkin_excuse(
                actor=world.manager,
                staff=world.staff,
                cycle=cycle,
                due_on=due,
                status=status,
                reason="Trip",
                moved_to=moved_to,
            )
        checkins.observation_create(
            actor=world.staff,
            cycle=cycle,
            observee=world.staff,
            observer=world.manager,
            date=D(2026, 11, 25),
            minutes=20,
            purpose=Observation.Purpose.SUPPORT,
            focus_area="self",
        )
        growth.staff_member_update(actor=None, staff=world.support, leave_date=D(2027, 2, 15))

    for person in (world.staff, world.support):
        by_day = figures_by_day(person, cycle)
        for day, row in by_day.items():
            later = [
                d
                for d in by_day
                if d > day and summary_of(by_day[d], FIGURES) != summary_of(row, FIGURES)
            ]
            first_change = min(later, default=None)
            if first_change is not None:
                assert row.checkins_change_on is not None, f"{person}: {day} never changes"
                assert row.checkins_change_on <= first_change, f"{person}: {day} stale"


def test_an_autosave_folded_into_the_last_version_keeps_the_statement_state(in_trust):
    """The page autosaves as the reviewer types: a second autosave within minutes updates the
    last version rather than adding one, and must still move the summary."""
    world = in_trust
    review = placed_review(world, write=False)
    for typed, state in [("Your retrieval", "written"), ("", "draft"), ("Your quizzes", "written")]:
        reviews.statement_save(actor=world.manager, review=review, part1=typed, autosave=True)
        assert row_of(world.staff).statement_state == state, typed


@time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_a_staff_import_that_moves_a_start_date_moves_the_summary(in_trust):
    from growth.domain.staff_import import staff_import

    world = in_trust
    progress_rebuild(trust=world.trust)
    all_year = row_of(world.staff).checkins_due
    sam = world.staff
    csv_text = (
        "First name,Last name,Email,School,Job title,Category,Career stage,Line manager email,"
        "Start date\n"
        f"{sam.user.first_name},{sam.user.last_name},{sam.email},{world.school.name},"
        f"{sam.job_title},Teaching,MPR,{world.manager.email},2027-01-04\n"
    )
    result = staff_import(actor=world.admin.user, trust=world.trust, csv_text=csv_text)
    assert result.applied, result.errors
    assert 0 < row_of(world.staff).checkins_due < all_year
    assert_same(kept(world.trust), rebuilt(world.trust, D(2027, 3, 1)))


@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
def test_erasing_an_observer_takes_their_observations_out_of_the_observees_summary(in_trust):
    from growth.privacy.services import person_erase

    world = in_trust
    checkins.observation_create(
        actor=world.staff,
        cycle=world.cycle,
        observee=world.staff,
        observer=world.colleague,
        date=D(2026, 11, 25),
        minutes=20,
        purpose=Observation.Purpose.LEARN,
        focus_area="self",
    )
    assert row_of(world.staff).observations_this_term == 1
    person_erase(staff=world.colleague)  # their observations go with them
    assert row_of(world.staff).observations_this_term == 0
    assert_same(kept(world.trust), rebuilt_as_kept(world.trust))


def test_a_scale_seed_leaves_every_row_as_a_rebuild_would(db):
    """The benchmark's trust is loaded in bulk, past the services: its rows are rebuilt."""
    call_command("seed_scale", schools=2, staff=40, slug="small", today=D(2027, 1, 20))
    trust = Trust.objects.get(slug="small")
    rows = kept(trust)
    cycles = GrowthCycle.objects.for_trust(trust).count()
    assert len(rows) == StaffMember.objects.for_trust(trust).count() * cycles > 0
    assert_same(rows, rebuilt(trust, D(2027, 1, 20)))


@pytest.mark.django_db(transaction=True)
@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
def test_two_writes_for_one_person_at_once_both_reach_the_summary(world):
    """The person records one check-in while their line manager records another, in two
    transactions at once: the second to commit must count the first one's check-in too."""
    first, second = expected_dates(staff=world.staff, cycle=world.cycle)[:2]

    def record(actor: StaffMember, due: dt.date) -> Callable[[], object]:
        data = checkins.CheckinData(held_on=due, reflections={"self": "Modelled it."})
        return lambda: checkins.checkin_record(
            actor=actor, staff=world.staff, cycle=world.cycle, data=data, due_on=due
        )

    failures = two_writes_at_once(
        world.trust, record(world.staff, first), record(world.manager, second)
    )
    assert not failures
    assert row_of(world.staff).checkins_held == 2
    assert_same(kept(world.trust), rebuilt_as_kept(world.trust))


@pytest.mark.usefixtures("bank")
def test_a_service_called_with_no_trust_in_scope_keeps_the_summary(world):
    """Services name their trust (``for_trust``) and run outside a request's scope, as tasks
    and commands call them: so does the summary they keep."""
    plan = ready_plan(world)  # written in the trust's scope
    objectives.plan_submit(actor=world.staff, plan=plan)
    assert row_of(world.staff).plan_state == GrowthPlan.State.SUBMITTED
