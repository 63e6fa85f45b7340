"""Engagement: held vs expected (absence with a reason is not disengagement), the share that
reflects on objectives, balance across the three, recognitions, tools and 360."""

from __future__ import annotations

import datetime as dt

from checkins import services
from checkins.models import ThinkingTool
from checkins.progress import checkin_columns
from checkins.selectors import (
    EngagementSummary,
    engagement_summaries,
    engagement_summary,
    expected_dates,
)
from tests.factories import make_staff

D = dt.date


def excuse(world, due, status, reason, **fields):
    return services.checkin_excuse(
        actor=world.manager,
        staff=world.staff,
        cycle=world.cycle,
        due_on=due,
        status=status,
        reason=reason,
        **fields,
    )


def hold(world, due, held_on=None, **fields):
    return services.checkin_record(
        actor=world.staff,
        staff=world.staff,
        cycle=world.cycle,
        due_on=due,
        data=services.CheckinData(held_on=held_on or due, **fields),
    )


def test_it_counts_held_expected_and_excused_checkins(in_trust):
    world = in_trust
    dates = expected_dates(staff=world.staff, cycle=world.cycle)
    services.thinking_tools_ensure_defaults(trust=world.trust)
    maps, hats = ThinkingTool.objects.order_by("order")[:2]
    hold(world, dates[0], reflections={"self": "a", "others": "b"}, thinking_tools=[maps])
    hold(world, dates[1], reflections={"self": "c"}, recognised=[world.colleague, world.head])
    hold(world, dates[2], thinking_tools=[maps, hats], took_part_in_360=True)
    excuse(world, dates[3], "missed", "Illness")
    on = dates[4]  # five check-ins were due by then
    summary = engagement_summary(staff=world.staff, cycle=world.cycle, on=on)
    assert summary == EngagementSummary(
        expected=5,
        held=3,
        excused=1,
        reflecting_on_objectives=2,
        area_counts={"self": 2, "others": 1, "trust": 0},
        recognitions=2,
        tools_used=2,
        took_part_in_360=True,
    )
    assert summary.held_ratio == 3 / 4  # the excused one is not held against them
    assert summary.objective_share == 2 / 3
    assert summary.balance == "some"


def test_it_judges_balance_across_the_three_objectives():
    def with_areas(s, o, t):
        return EngagementSummary(
            expected=10,
            held=10,
            excused=0,
            reflecting_on_objectives=10,
            area_counts={"self": s, "others": o, "trust": t},
        )

    assert with_areas(4, 4, 3).balance == "equal"
    assert with_areas(6, 2, 2).balance == "some"
    assert with_areas(5, 5, 0).balance == "some"
    assert with_areas(9, 0, 0).balance == "limited"
    assert with_areas(0, 0, 0).balance == "limited"
    empty = EngagementSummary(expected=0, held=0, excused=0, reflecting_on_objectives=0)
    assert empty.held_ratio == 0 and empty.objective_share == 0


def test_it_expects_less_of_a_mid_year_starter(in_trust):
    world = in_trust
    starter = make_staff(world.trust, world.school, start_date=D(2027, 1, 4))
    whole_year = engagement_summary(staff=world.staff, cycle=world.cycle, on=D(2027, 7, 31))
    starter_year = engagement_summary(staff=starter, cycle=world.cycle, on=D(2027, 7, 31))
    assert 0 < starter_year.expected < whole_year.expected
    assert engagement_summary(staff=starter, cycle=world.cycle, on=D(2026, 12, 1)).expected == 0


def test_it_computes_many_summaries_in_a_fixed_number_of_queries(
    in_trust, django_assert_max_num_queries
):
    world = in_trust
    people = [make_staff(world.trust, world.school, line_manager=world.manager) for _ in range(12)]
    dates = expected_dates(staff=world.staff, cycle=world.cycle)
    for person in people[:6]:
        services.checkin_record(
            actor=person,
            staff=person,
            cycle=world.cycle,
            due_on=dates[0],
            data=services.CheckinData(held_on=dates[0], reflections={"trust": "x"}),
        )
    with django_assert_max_num_queries(12):
        summaries = engagement_summaries(
            staff_ids=[p.pk for p in people], cycle=world.cycle, on=dates[1]
        )
    assert [summaries[p.pk].held for p in people] == [1] * 6 + [0] * 6
    assert summaries[people[0].pk].area_counts == {"self": 0, "others": 0, "trust": 1}
    assert summaries[people[0].pk].expected == 2


def test_it_gives_the_next_checkin_after_what_is_recorded_or_moved(in_trust):
    world = in_trust
    dates = expected_dates(staff=world.staff, cycle=world.cycle)

    def next_on(today: dt.date) -> dt.date | None:
        # The summary's columns worked out for that day, as the daily sweep does.
        return checkin_columns(world.cycle, [world.staff], today)[world.staff.pk]["next_checkin_on"]

    today = dates[0] - dt.timedelta(days=1)
    assert next_on(today) == dates[0]
    # The first is moved two days later: that is the next one.
    excuse(world, dates[0], "moved", "Trip", moved_to=dates[0] + dt.timedelta(days=2))
    assert next_on(today) == dates[0] + dt.timedelta(days=2)
    # Past the moved one, with the second held and the third cancelled: the fourth.
    hold(world, dates[1], held_on=dates[1])
    excuse(world, dates[2], "cancelled", "Closure")
    assert next_on(dates[0] + dt.timedelta(days=3)) == dates[3]
