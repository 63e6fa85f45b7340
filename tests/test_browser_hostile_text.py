"""Text a person typed stays text in the browser: an objective written as a <meta> refresh
does not send the line manager who records a check-in anywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from growth.security.tenancy import trust_scope
from objectives.models import Area, GrowthPlan, Objective


@pytest.mark.browser
def test_an_objective_with_a_meta_refresh_does_not_navigate_the_line_manager(
    world, live_server, page, sign_in
):
    landing = f"{live_server.url}/accounts/login/?hijacked=1"
    hostile = f'<meta http-equiv="refresh" content="0;url={landing}">'
    with trust_scope(world.trust):
        plan = GrowthPlan.objects.create(staff_member=world.staff, cycle=world.cycle)
        Objective.objects.create(plan=plan, area=Area.SELF, to_text=hostile)
    sign_in(page, world.manager)
    record = (
        f"{live_server.url}/checkins/people/{world.staff.public_id}/record/"
        f"?due={dt.date(2026, 9, 15):%Y-%m-%d}"
    )
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.goto(record)
    # A meta refresh of 0 s fires as soon as the page is parsed; give it ample time.
    page.wait_for_timeout(1500)
    assert page.url == record
    assert not [url for url in navigations if "hijacked" in url]
    # The objective is shown, as the words it is, under the reflection it belongs to.
    page.get_by_label("Impact on Self: progress").wait_for()
    page.get_by_text(f"Objective: To {hostile}").wait_for()
