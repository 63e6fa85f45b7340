"""The school summaries (``growth.reporting.school_progress``): one ``SchoolProgress`` row per
school per cycle, kept with the people's rows it counts and by the writes that change what a
school counts without changing a person's row. The property tests in ``test_progress.py``
check after every random step that every kept school row equals one counted afresh; these
check each way a school's figures can move, one at a time."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from checkins import services as checkins
from checkins.selectors import expected_dates
from growth.domain import services as growth
from growth.models import RoleAssignment, SchoolProgress, StaffMember
from growth.reporting.progress import progress_move_on, progress_rebuild
from growth.reporting.reports import report_context, school_figures
from growth.security.tenancy import trust_scope
from tests.concurrency import two_writes_at_once
from tests.factories import make_staff
from tests.reviews_fixtures import placed_review
from tests.test_progress import assert_schools_same


def figures_of(world, school, viewer=None):
    with trust_scope(world.trust):
        ctx = report_context(viewer=viewer or world.admin, cycle=world.cycle)
        return school_figures(ctx, [school]).get(school.pk)


def test_a_move_is_counted_in_the_new_school_and_no_longer_in_the_old(in_trust):
    world = in_trust
    progress_rebuild(trust=world.trust)
    before = figures_of(world, world.school)["reviews_people"]
    other_before = figures_of(world, world.other_school)["reviews_people"]

    growth.staff_member_update(actor=world.admin, staff=world.colleague, school=world.other_school)

    assert figures_of(world, world.school)["reviews_people"] == before - 1
    assert figures_of(world, world.other_school)["reviews_people"] == other_before + 1
    assert_schools_same(world.trust)


def test_a_school_whose_last_person_leaves_shows_no_figures(in_trust):
    world = in_trust
    progress_rebuild(trust=world.trust)
    assert figures_of(world, world.central) is not None  # the trust admin works there

    growth.staff_member_update(actor=world.admin, staff=world.admin, is_active=False)

    assert figures_of(world, world.central) is None
    assert not SchoolProgress.objects.for_trust(world.trust).filter(school=world.central).exists()


def test_appointing_the_reviewer_head_passes_their_review_to_the_designated_decider(in_trust):
    """A review the school's own head wrote is not theirs to decide, so it leaves the
    school's "awaiting final decision" figure when its writer becomes the head."""
    world = in_trust
    review = placed_review(world, submit=True)
    assert figures_of(world, world.school)["reviews_awaiting"] == 1

    role = growth.person_role_give(
        actor=world.admin,
        staff=review.reviewer,
        role=RoleAssignment.Role.HEADTEACHER,
        school=world.school,
    )
    assert figures_of(world, world.school)["reviews_awaiting"] == 0

    growth.person_role_end(actor=world.admin, assignment=role)
    assert figures_of(world, world.school)["reviews_awaiting"] == 1
    assert_schools_same(world.trust)


def test_the_early_career_exemption_changes_who_each_school_expects_a_plan_from(in_trust):
    world = in_trust
    make_staff(world.trust, world.school, first_name="Eve", stage="ect1")
    progress_rebuild(trust=world.trust)
    expected = figures_of(world, world.school)["objectives_required"]

    growth.trust_settings_update(
        actor=world.admin, trust=world.trust, early_career_exempt_from_objectives=True
    )

    assert figures_of(world, world.school)["objectives_required"] == expected - 1
    assert_schools_same(world.trust)


def test_the_trust_report_shows_the_kept_figures(world, client_for):
    """The trust's table is read from the school rows: what they hold is what it shows."""
    progress_rebuild(trust=world.trust)
    SchoolProgress.objects.for_trust(world.trust).filter(school=world.school).update(
        figures={**figures_of(world, world.school), "checkins_held": 41, "checkins_due": 57}
    )
    html = client_for(world.admin).get(reverse("reports:trust")).content.decode()
    assert "41 of 57 (72%)" in html


def test_rebuild_progress_schools_repairs_a_school_row_that_was_tampered_with(world):
    progress_rebuild(trust=world.trust)
    kept = SchoolProgress.objects.for_trust(world.trust).filter(school=world.school)
    kept.update(figures={"checkins_held": 99})
    out = io.StringIO()

    call_command("rebuild_progress", "--schools", "--trust", "alpha", stdout=out)

    assert_schools_same(world.trust)
    assert kept.get().figures["reviews_people"] == 5
    assert out.getvalue() == "alpha: 3 school progress rows rebuilt\n"


def test_the_daily_sweep_makes_a_missing_school_row_and_mends_a_wrong_one(world):
    """After an upgrade that adds the rows, or a row written by hand, the next morning's
    sweep leaves every school as its people's rows count it."""
    progress_rebuild(trust=world.trust)
    rows = SchoolProgress.objects.for_trust(world.trust)
    rows.filter(school=world.school).delete()
    rows.filter(school=world.other_school).update(figures={"checkins_held": 99})

    progress_move_on(trust=world.trust)

    assert rows.filter(school=world.school).exists()
    assert_schools_same(world.trust)


@pytest.mark.django_db(transaction=True)
@time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)
def test_two_check_ins_recorded_at_once_in_one_school_are_both_counted(world):
    """Two people of one school record a check-in each, in two transactions at once: the
    school's row written last must count the other's check-in too."""
    first = expected_dates(staff=world.staff, cycle=world.cycle)[0]
    colleague_first = expected_dates(staff=world.colleague, cycle=world.cycle)[0]
    progress_rebuild(trust=world.trust)

    def record(person: StaffMember, due: dt.date) -> Callable[[], object]:
        data = checkins.CheckinData(held_on=due, reflections={"self": "Modelled it."})
        return lambda: checkins.checkin_record(
            actor=person, staff=person, cycle=world.cycle, data=data, due_on=due
        )

    failures = two_writes_at_once(
        world.trust, record(world.staff, first), record(world.colleague, colleague_first)
    )
    assert not failures
    assert figures_of(world, world.school)["checkins_held"] == 2
    assert_schools_same(world.trust)
