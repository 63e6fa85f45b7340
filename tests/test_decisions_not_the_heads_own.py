"""Issue 17 follow-ups: the headteacher's own review is the designated decider's, so neither
the head's "Final decisions" panel nor the school's "Awaiting final decision" figure counts
it; and early career teachers write the three objectives (seed 002), so the reports expect
their plan unless the trust has widened the exemption."""

from __future__ import annotations

import re

from django.urls import reverse

from growth.domain.services import trust_settings_update
from growth.reporting.reports import report_context, school_figures, schools_table
from growth.security.tenancy import trust_scope
from tests.duties_fixtures import heads_own_review, make_ceo, review_written_by_head
from tests.reviews_fixtures import placed_review


def _awaiting_in_panel(html: str) -> int:
    match = re.search(r"(\d+) reviews? awaiting your final decision", html)
    assert match, "no Final decisions panel"
    return int(match.group(1))


def test_the_heads_panel_counts_only_the_decisions_that_are_theirs(world, client_for):
    ceo = make_ceo(world)
    heads_own_review(world, ceo)
    review_written_by_head(world)  # the head wrote it: another decider's
    placed_review(world, submit=True)  # the manager wrote Sam's: the head's to decide
    html = client_for(world.head).get(reverse("home")).content.decode()
    assert _awaiting_in_panel(html) == 1


def test_the_schools_awaiting_figure_leaves_out_the_heads_own_review_and_those_they_wrote(world):
    ceo = make_ceo(world)
    heads_own_review(world, ceo)
    review_written_by_head(world)  # the head wrote it: the designated decider's
    placed_review(world, submit=True)
    with trust_scope(world.trust):
        ctx = report_context(viewer=world.admin, cycle=world.cycle)
        figures = school_figures(ctx, [world.school])
        table = schools_table(
            ctx, [world.school], figures=figures, key="schools", caption="Schools"
        )
    assert figures[world.school.pk]["reviews_awaiting"] == 1
    column = [c.key for c in table.columns].index("reviews_awaiting")
    assert table.rows[0][column].value == 1


def _plan_cell(world, client_for, person) -> str:
    html = client_for(world.head).get(reverse("reports:my_school"), follow=True).content.decode()
    row = re.search(rf"{re.escape(person.full_name)}</a></th>(.*?)</tr>", html, re.S)
    assert row, html[:2000]
    return row.group(1)


def test_an_early_career_teacher_is_expected_to_write_objectives_by_default(world, client_for):
    ect = _ect(world)
    assert "Not required (early career)" not in _plan_cell(world, client_for, ect)
    assert "Not started" in _plan_cell(world, client_for, ect)


def test_the_trusts_wider_exemption_excuses_early_career_objectives(world, client_for):
    ect = _ect(world)
    world.trust.early_career_teachers_write_plan = True  # the GROW plan: not the objectives
    world.trust.early_career_exempt_from_objectives = True
    world.trust.save()
    assert "Not required (early career)" in _plan_cell(world, client_for, ect)


def _ect(world):
    from growth.reporting.progress import progress_rebuild
    from tests.factories import make_staff

    ect = make_staff(world.trust, world.school, first_name="Eve", stage="ect1")
    progress_rebuild(trust=world.trust)
    return ect


def test_an_exempt_early_career_teachers_own_plan_is_not_counted_among_plans_started(world):
    from objectives.services import plan_start

    ect = _ect(world)
    with trust_scope(world.trust):
        plan_start(actor=ect, staff=ect, cycle=world.cycle)  # before the trust exempted ECTs
    with trust_scope(world.trust):
        trust_settings_update(
            actor=world.admin, trust=world.trust, early_career_exempt_from_objectives=True
        )
        ctx = report_context(viewer=world.admin, cycle=world.cycle)
        figures = school_figures(ctx, [world.school])[world.school.pk]
    # The ECT's plan is theirs to keep, but they are not among those who must write one:
    # a school's "plans started" never reads more than its people who write a plan.
    assert figures["objectives_started"] <= figures["objectives_required"]
    assert figures["objectives_started"] == 0
