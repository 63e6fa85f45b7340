"""The check-in schedule: fortnightly in term time, skipping holidays and closures, adjusted
for people who start or leave during the year."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkins.schedule import checkin_dates, dates_for_person, last_checkin_day
from checkins.selectors import cycle_schedule, expected_dates
from growth.models import Closure, StaffMember

D = dt.date


def test_it_puts_one_checkin_in_each_fortnight_of_term_on_its_last_school_day():
    dates = checkin_dates(terms=[(D(2026, 9, 2), D(2026, 10, 23))], cadence_days=14)
    # Windows 2-15 Sep, 16-29 Sep, 30 Sep-13 Oct, then 14-23 Oct (10 days >= half a cadence).
    assert dates == [D(2026, 9, 15), D(2026, 9, 29), D(2026, 10, 13), D(2026, 10, 23)]


def test_it_never_puts_a_checkin_in_a_holiday_or_at_a_weekend():
    terms = [(D(2026, 9, 2), D(2026, 10, 23)), (D(2026, 11, 2), D(2026, 12, 18))]
    dates = checkin_dates(terms=terms, cadence_days=14)
    assert all(d.weekday() < 5 for d in dates)
    assert not [d for d in dates if D(2026, 10, 24) <= d <= D(2026, 11, 1)]
    # The rhythm restarts with the term: the first check-in is a fortnight after it begins.
    assert D(2026, 11, 13) in dates


def test_it_moves_a_checkin_off_a_closure_to_the_windows_last_open_day():
    terms = [(D(2026, 9, 2), D(2026, 10, 23))]
    closed = checkin_dates(
        terms=terms, closures=[(D(2026, 9, 14), D(2026, 9, 15))], cadence_days=14
    )
    assert closed[0] == D(2026, 9, 11)
    whole_window = checkin_dates(
        terms=terms, closures=[(D(2026, 9, 2), D(2026, 9, 15))], cadence_days=14
    )
    assert whole_window[0] == D(2026, 9, 29)


def test_it_drops_a_short_final_window_and_stops_after_july():
    assert checkin_dates(terms=[(D(2027, 6, 7), D(2027, 6, 23))], cadence_days=14) == [
        D(2027, 6, 18)
    ]
    dates = checkin_dates(
        terms=[(D(2027, 6, 7), D(2027, 8, 20))],
        cadence_days=14,
        last_day=last_checkin_day(D(2027, 8, 31)),
    )
    assert max(dates) <= D(2027, 7, 31)


def test_it_follows_the_trusts_cadence():
    terms = [(D(2026, 9, 7), D(2026, 10, 16))]
    assert len(checkin_dates(terms=terms, cadence_days=7)) == 6
    assert len(checkin_dates(terms=terms, cadence_days=14)) == 3
    assert len(checkin_dates(terms=terms, cadence_days=21)) == 2


def test_it_expects_a_mid_year_starter_and_a_leaver_only_while_they_are_here():
    dates = [D(2026, 9, 15), D(2026, 9, 29), D(2026, 10, 13), D(2026, 10, 23)]
    assert dates_for_person(dates, start_date=D(2026, 9, 20), leave_date=None) == dates[1:]
    assert dates_for_person(dates, start_date=None, leave_date=D(2026, 10, 13)) == dates[:2]
    # Expected from the day they start (inclusive), not on the day they leave.
    assert dates_for_person(dates, start_date=D(2026, 9, 29), leave_date=D(2026, 10, 23)) == [
        D(2026, 9, 29),
        D(2026, 10, 13),
    ]
    assert dates_for_person(dates, start_date=D(2026, 11, 1), leave_date=None) == []
    assert dates_for_person(dates, start_date=None, leave_date=D(2026, 9, 1)) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 300), st.integers(1, 80)), min_size=1, max_size=6, unique=True
    ),
    st.integers(7, 56),
)
def test_it_only_ever_schedules_school_days_inside_terms_in_order(spans, cadence):
    base = D(2026, 9, 1)
    terms = [(base + dt.timedelta(days=s), base + dt.timedelta(days=s + n)) for s, n in spans]
    dates = checkin_dates(terms=terms, cadence_days=cadence)
    assert dates == sorted(set(dates))
    for d in dates:
        assert d.weekday() < 5
        assert any(start <= d <= end for start, end in terms)


def test_it_derives_each_persons_list_from_the_cycle(in_trust, django_assert_max_num_queries):
    world = in_trust
    Closure.objects.create(
        cycle=world.cycle, name="Training day", start_date=D(2026, 9, 15), end_date=D(2026, 9, 15)
    )
    with django_assert_max_num_queries(3):
        dates = cycle_schedule(cycle=world.cycle)
    assert dates[0] == D(2026, 9, 14)
    assert dates[-1] <= D(2027, 7, 21)
    # Six terms, fortnightly: about 19 check-ins a year.
    assert 17 <= len(dates) <= 22
    starter = StaffMember.objects.get(pk=world.staff.pk)
    starter.start_date = D(2027, 1, 4)
    mine = expected_dates(staff=starter, cycle=world.cycle)
    assert mine and mine[0] >= D(2027, 1, 5) and mine == [d for d in dates if d >= D(2027, 1, 4)]
