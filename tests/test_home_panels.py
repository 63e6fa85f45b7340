"""The "My year" and "My team" panels of the home page share one load of figures: each still
shows its own people, and the manager's own figures never appear as a team row."""

from __future__ import annotations

import re

from django.urls import reverse

from growth.tenancy import trust_scope
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
