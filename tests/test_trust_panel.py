"""The trust admin's "Schools to follow up" panel, loaded after their home page: the schools
and teams with the smallest share of their staff at the latest step of the year anyone in the
trust has reached, furthest behind first, for trust admins alone."""

from __future__ import annotations

import re

from django.urls import reverse

from growth.reporting.dashboards import schools_furthest_behind
from growth.reporting.reports import report_context
from growth.security.tenancy import trust_scope
from objectives.services import plan_agree, plan_submit
from tests.objectives_fixtures import ready_plan
from tests.test_home_panels import section

ROW_NAMES = r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>'


def agree_plan(world, staff, manager) -> None:
    plan = ready_plan(world, staff)
    with trust_scope(world.trust):
        plan_submit(actor=staff, plan=plan)
        plan.refresh_from_db()
        plan_agree(actor=manager, plan=plan)


def test_it_follows_the_admin_s_home_page_for_trust_admins_alone(world, client_for):
    """The admin's home answers without ranking the trust; the panel then loads the table,
    which nobody but a trust admin can open."""
    admin = client_for(world.admin)
    home = section(admin.get(reverse("home")).content.decode(), "panel-trust")
    panel_url = reverse("reports:trust_panel")
    assert "Schools to follow up" in home
    assert f'hx-get="{panel_url}"' in home
    assert "<table" not in home
    panel = admin.get(panel_url).content.decode()
    names = re.findall(ROW_NAMES, panel)
    assert set(names) == {world.school.name, world.other_school.name, world.central.name}
    assert f'href="{reverse("reports:trust")}"' in panel
    for someone in (world.head, world.manager, world.staff):
        assert client_for(someone).get(panel_url).status_code == 403


def test_it_lists_the_schools_furthest_behind_on_the_latest_step_reached_first(world, client_for):
    # Objectives agreed: 1 of Alpha Primary's 5, 1 of Alpha Academy's 2, none of Central
    # Services' 1. Nobody has gone further, so that is the step the schools are ranked on.
    agree_plan(world, world.staff, world.manager)
    agree_plan(world, world.other_school_staff, world.other_head)
    panel = client_for(world.admin).get(reverse("reports:trust_panel")).content.decode()
    assert re.findall(ROW_NAMES, panel) == [
        world.central.name,
        world.school.name,
        world.other_school.name,
    ]
    assert "at <strong>Objectives agreed</strong>, the latest step" in panel
    # On a trust of more schools than the panel lists, the furthest behind are kept.
    with trust_scope(world.trust):
        ctx = report_context(viewer=world.admin, cycle=world.cycle)
        follow_up = schools_furthest_behind(ctx, count=2)
    assert follow_up.schools == [world.central, world.school]
    assert follow_up.ranked == 3


def test_its_columns_are_the_steps_of_the_year_up_to_the_one_it_ranks_by(world, client_for):
    agree_plan(world, world.staff, world.manager)
    panel = client_for(world.admin).get(reverse("reports:trust_panel")).content.decode()
    columns = re.findall(r'<th scope="col">([^<]+)</th>', panel)
    assert columns == ["School or team", "Staff", "Plans started", "Objectives agreed"]
    # The rest of every school's figures are one click away.
    assert "Holding at least 50% of check-ins" not in panel
    assert "the trust report" in panel
