"""The home page's "Team growth plans" panel: the plans waiting for the viewer come with the
page; the figures over everyone they oversee (plans not agreed by the deadline, people not
yet meeting the coaching rule) are loaded after it, only for someone who sees team lists."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from growth.security.tenancy import trust_scope
from objectives import services
from objectives.selectors import coaching_rows, overdue_rows
from tests.factories import make_staff
from tests.test_home_panels import section


def test_the_home_page_loads_the_figures_after_it(world, client_for):
    with trust_scope(world.trust):
        plan = services.plan_start(actor=world.staff, staff=world.staff, cycle=world.cycle)
    html = client_for(world.manager).get(reverse("home")).content.decode()
    panel = section(html, "panel-team-plans")
    assert "0 waiting for you to agree" in panel
    assert f'hx-get="{reverse("objectives:team_panel")}"' in panel
    assert plan.public_id  # started, not submitted: not waiting


def test_it_counts_what_the_team_plans_page_lists_over_the_heads_school(world, client_for):
    make_staff(world.trust, world.school, line_manager=world.manager, is_coaching_facilitator=True)
    after_deadline = world.cycle.objectives_deadline + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(after_deadline, dt.time(12)), tick=False):
        head = client_for(world.head).get(reverse("objectives:team_panel"))
        staff = client_for(world.staff).get(reverse("objectives:team_panel"))
        with trust_scope(world.trust):
            overdue = overdue_rows(viewer=world.head, cycle=world.cycle, today=after_deadline)
            coaching = coaching_rows(viewer=world.head, cycle=world.cycle)
    body = head.content.decode().replace("\xa0", " ")
    deadline = world.cycle.objectives_deadline.strftime("%-d %b %Y")
    assert head.status_code == 200
    assert overdue and coaching  # the school has both to count
    assert f"<li>{len(overdue)} not agreed by {deadline}</li>" in body
    assert f"<li>{len(coaching)} not yet meeting the coaching rule</li>" in body
    assert staff.status_code == 403  # no team: not theirs to count


def test_before_the_deadline_it_lists_no_plans_as_overdue(world, client_for):
    before = world.cycle.objectives_deadline - dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(before, dt.time(12)), tick=False):
        body = client_for(world.manager).get(reverse("objectives:team_panel")).content.decode()
    assert "not agreed by" not in body
    assert "not yet meeting the coaching rule" in body
