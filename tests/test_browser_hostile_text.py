"""Text a person typed stays text in the browser, starting from the demo trusts
(tests/demo.py): the demo's ECT 1 teacher writes the Impact on Self objective of their draft
plan as a <meta> refresh, and their line manager, opening the check-in the demo left to record,
is sent nowhere: the objective is shown, as the words it is, above its reflection."""

from __future__ import annotations

import pytest

from growth.domain.selectors import cycle_current
from growth.security.tenancy import trust_scope
from objectives import services
from objectives.models import Area, GrowthPlan
from objectives.selectors import sorted_objectives
from tests import demo as people
from tests.browser import assert_fits_on_laptop_and_phone


def write_objective(person, to_text: str) -> None:
    """`person` rewrites what their draft plan's Impact on Self objective is to achieve,
    keeping the rest of it as the demo wrote it."""
    with trust_scope(person.trust_id):
        plan = GrowthPlan.objects.for_trust(person.trust_id).get(
            staff_member=person,
            cycle=cycle_current(trust=person.trust_id),
            state=GrowthPlan.State.DRAFT,
        )
        objective = next(o for o in sorted_objectives(plan) if o.area == Area.SELF)
        services.objective_update(
            actor=person,
            objective=objective,
            to_text=to_text,
            through=objective.through,
            in_order_to=objective.in_order_to,
            by_date=objective.by_date,
            success_criteria=objective.success_criteria,
            priority=objective.priority,
            strategic_goal=objective.strategic_goal,
            is_coaching_qualification=objective.is_coaching_qualification,
        )


@pytest.mark.browser
def test_an_objective_with_a_meta_refresh_does_not_navigate_the_line_manager(
    demo, live_server, page, sign_in
):
    teacher, manager = demo.person(people.TEACHER), demo.person(people.LINE_MANAGER)
    landing = f"{live_server.url}/accounts/login/?hijacked=1"
    hostile = f'<meta http-equiv="refresh" content="0;url={landing}">'
    write_objective(teacher, hostile)
    due = demo.checkins_left_to_record(teacher)[0]
    sign_in(page, manager, demo.password)
    record = f"{live_server.url}/checkins/people/{teacher.public_id}/record/?due={due:%Y-%m-%d}"
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
    assert_fits_on_laptop_and_phone(page, "recording a check-in with a hostile objective")
