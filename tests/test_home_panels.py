"""The "My year" and "My team" panels of the home page share one load of figures: each still
shows its own people, and the manager's own figures never appear as a team row."""

from __future__ import annotations

import re

from django.urls import reverse

from growth.security.tenancy import trust_scope
from objectives.services import plan_start


def section(html: str, panel_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{panel_id}".*?</section>', html, re.S)
    assert match, f"no {panel_id} panel"
    return match.group(0)


def test_it_shows_the_manager_their_team_and_their_own_year_apart(world, client_for):
    with trust_scope(world.trust):
        plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    html = client_for(world.manager).get(reverse("home")).content.decode()
    team = section(html, "panel-team")
    assert world.staff.full_name in team
    assert world.support.full_name in team
    assert world.manager.full_name not in team
    assert world.colleague.full_name not in team
    # The plan the staff member started shows on their row; the manager's own (not started)
    # shows in "My year" only.
    rows = {
        name: row
        for name, row in re.findall(
            r'<tr>\s*<th scope="row"><a[^>]*>([^<]+)</a></th>(.*?)</tr>', team, re.S
        )
    }
    assert ">Draft<" in rows[world.staff.full_name]
    assert "Not started" in rows[world.support.full_name]
    mine = section(html, "panel-my-year")
    assert "Not started" in mine and ">Draft<" not in mine


def test_it_shows_someone_without_a_team_only_their_year(world, client_for):
    with trust_scope(world.trust):
        plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    html = client_for(world.staff).get(reverse("home")).content.decode()
    assert 'aria-labelledby="panel-team"' not in html
    mine = section(html, "panel-my-year")
    assert ">Draft<" in mine


def test_reviews_to_write_counts_the_team_s_submitted_reviews_only(world, client_for):
    from tests.reviews_fixtures import placed_review

    def to_write() -> str:
        html = client_for(world.manager).get(reverse("home")).content.decode()
        return section(html, "panel-review-write")

    assert "0 of 2 reviews submitted" in to_write()
    placed_review(world, submit=True)  # the staff member's, by their line manager
    placed_review(world, person=world.support)  # a draft is not submitted
    assert "1 of 2 reviews submitted" in to_write()
    assert "panel-review-write" not in client_for(world.staff).get(reverse("home")).content.decode()


def test_my_plan_panel_shows_the_state_and_agreed_version(world, client_for):
    def my_plan() -> str:
        html = client_for(world.staff).get(reverse("home")).content.decode()
        return section(html, "panel-my-plan")

    assert "Start my plan" in my_plan()
    with trust_scope(world.trust):
        plan = plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    shown = my_plan()
    assert "<p>Draft.</p>" in shown
    assert reverse("objectives:plan", args=[plan.public_id]) in shown


def test_my_plan_panel_shows_the_coaching_rule_until_a_coaching_objective_meets_it(
    world, client_for
):
    """A coaching facilitator's plan panel carries the rule; once one of this cycle's
    objectives is the coaching qualification, the rule is met and no longer shown."""
    from growth.domain.services import staff_member_update
    from objectives.models import Objective

    with trust_scope(world.trust):
        staff_member_update(actor=None, staff=world.staff, is_coaching_facilitator=True)
        plan = plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    rule = "must be to complete the coaching qualification"
    home = client_for(world.staff).get(reverse("home")).content.decode()
    assert rule in section(home, "panel-my-plan")
    with trust_scope(world.trust):
        Objective.objects.filter(plan=plan).order_by("pk").update(is_coaching_qualification=True)
    home = client_for(world.staff).get(reverse("home")).content.decode()
    assert rule not in section(home, "panel-my-plan")
