"""The plan's rules, through the services: exactly three areas, the checklist gate,
agreement with versions, the school focus, the coaching rule and ECT exemption."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from growth.domain.services import staff_member_update
from growth.models import GrowthCycle, StrategicGoal
from objectives import services
from objectives.models import Area, GrowthPlan, Objective, PlanComment, PlanVersion
from objectives.selectors import objectives_of, plan_for, plan_page, sorted_objectives
from tests.factories import make_cycle, make_staff
from tests.objectives_fixtures import bank, fill_objective, ready_plan  # noqa: F401

pytestmark = pytest.mark.usefixtures("bank")


def test_it_starts_a_plan_with_exactly_one_objective_per_area(in_trust):
    w = in_trust
    plan = services.plan_start(actor=w.staff, staff=w.staff, cycle=w.cycle)
    assert [o.area for o in sorted_objectives(plan)] == ["self", "others", "trust"]
    again = services.plan_start(actor=w.staff, staff=w.staff, cycle=w.cycle)
    assert again.pk == plan.pk
    assert Objective.objects.filter(plan=plan).count() == 3


def test_it_refuses_a_fourth_objective(in_trust):
    w = in_trust
    plan = services.plan_start(actor=w.staff, staff=w.staff, cycle=w.cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.create(trust=w.trust, plan=plan, area=Area.SELF)
    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.create(trust=w.trust, plan=plan, area="fourth")
    assert Objective.objects.filter(plan=plan).count() == 3


def test_it_refuses_to_submit_with_an_area_missing(in_trust):
    w = in_trust
    plan = ready_plan(w)
    Objective.objects.filter(plan=plan, area=Area.OTHERS).delete()
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=w.staff, plan=plan)
    assert "Missing: Impact on Others" in " ".join(exc.value.messages)
    plan.refresh_from_db()
    assert plan.state == GrowthPlan.State.DRAFT


def test_it_blocks_submission_and_says_which_check_fails(in_trust):
    w = in_trust
    plan = services.plan_start(actor=w.staff, staff=w.staff, cycle=w.cycle)
    objectives = sorted_objectives(plan)
    fill_objective(w.staff, objectives[0])
    fill_objective(w.staff, objectives[1], checklist={})
    fill_objective(w.staff, objectives[2], priority=None)
    with pytest.raises(ValidationError) as exc:
        services.plan_submit(actor=w.staff, plan=plan)
    text = " ".join(exc.value.messages)
    assert "Impact on Trust: Linked to a trust priority" in text
    assert "Impact on Others: Checklist: Have an impact on the performance or experience" in text
    assert "Not answered yet." in text
    assert "Impact on Self" not in text
    assert GrowthPlan.objects.get(pk=plan.pk).state == GrowthPlan.State.DRAFT


def test_it_treats_a_no_on_the_checklist_as_a_failing_check(in_trust):
    w = in_trust
    plan = ready_plan(w)
    objective = sorted_objectives(plan)[0]
    question = plan_page(plan).questions_for(objective)[0][0]
    fill_objective(w.staff, objective, checklist={question.pk: False})
    page = plan_page(plan)
    assert [c.label for c in page.failing] == [f"Checklist: {question.text}"]
    assert "You answered No" in page.failing[0].why


def test_it_agrees_after_a_change_request_and_keeps_every_version(in_trust):
    w = in_trust
    plan = ready_plan(w)
    services.plan_submit(actor=w.staff, plan=plan)
    services.plan_request_changes(actor=w.manager, plan=plan, comment="Make the impact measurable.")
    plan.refresh_from_db()
    assert plan.state == GrowthPlan.State.CHANGES_REQUESTED
    fill_objective(w.staff, sorted_objectives(plan)[0], in_order_to=["Move from 4 to 7 out of 10"])
    services.plan_submit(actor=w.staff, plan=plan)
    services.plan_agree(actor=w.manager, plan=plan, comment="Great.")
    plan.refresh_from_db()
    assert plan.state == GrowthPlan.State.AGREED
    assert (plan.version, plan.agreed_version, plan.agreed_by) == (1, 1, w.manager)
    version = PlanVersion.objects.get(plan=plan, number=1)
    assert version.agreed_by == w.manager
    assert "Move from 4 to 7 out of 10" in version.snapshot["objectives"][0]["sentence"]
    kinds = list(PlanComment.objects.filter(plan=plan).values_list("kind", "text"))
    assert kinds == [
        ("change_request", "Make the impact measurable."),
        ("agreement", "Great."),
    ]

    # The plan is a live document: an edit opens version 2, which is agreed again.
    fill_objective(w.staff, sorted_objectives(plan)[1], to_text="coach two colleagues")
    plan.refresh_from_db()
    assert (plan.state, plan.version, plan.agreed_version) == ("draft", 2, 1)
    services.plan_submit(actor=w.staff, plan=plan)
    services.plan_agree(actor=w.manager, plan=plan)
    numbers = list(
        PlanVersion.objects.filter(plan=plan).values_list("number", "state", "agreed_by")
    )
    assert numbers == [(2, "agreed", w.manager.pk), (1, "agreed", w.manager.pk)]
    assert PlanVersion.objects.get(number=1, plan=plan).snapshot["objectives"][1]["to"] != (
        "coach two colleagues"
    )


def test_it_does_not_open_a_new_version_when_nothing_changed(in_trust):
    w = in_trust
    plan = ready_plan(w)
    services.plan_submit(actor=w.staff, plan=plan)
    services.plan_agree(actor=w.manager, plan=plan)
    fill_objective(w.staff, sorted_objectives(plan)[0])  # the same words again
    plan.refresh_from_db()
    assert (plan.state, plan.version) == ("agreed", 1)


def test_it_lets_only_the_owner_write_and_only_the_line_manager_agree(in_trust):
    w = in_trust
    plan = ready_plan(w)
    objective = sorted_objectives(plan)[0]
    for intruder in (w.manager, w.head, w.admin):
        with pytest.raises(PermissionDenied):
            fill_objective(intruder, objective, to_text="set by someone else")
    services.plan_submit(actor=w.staff, plan=plan)
    for not_manager in (w.staff, w.head, w.colleague):
        with pytest.raises(PermissionDenied):
            services.plan_agree(actor=not_manager, plan=plan)
    objective.refresh_from_db()
    assert objective.to_text != "set by someone else"


def test_it_locks_a_submitted_plan_until_withdrawn(in_trust):
    w = in_trust
    plan = ready_plan(w)
    services.plan_submit(actor=w.staff, plan=plan)
    with pytest.raises(ValidationError, match="Withdraw"):
        fill_objective(w.staff, sorted_objectives(plan)[0], to_text="changed")
    services.plan_withdraw(actor=w.staff, plan=plan)
    fill_objective(w.staff, sorted_objectives(plan)[0], to_text="changed")
    assert PlanVersion.objects.get(plan=plan).state == PlanVersion.State.WITHDRAWN


def test_it_needs_a_comment_to_request_changes(in_trust):
    w = in_trust
    plan = ready_plan(w)
    services.plan_submit(actor=w.staff, plan=plan)
    with pytest.raises(ValidationError, match="Say what you would like changed"):
        services.plan_request_changes(actor=w.manager, plan=plan, comment="   ")
    assert GrowthPlan.objects.get(pk=plan.pk).state == GrowthPlan.State.SUBMITTED


def test_it_flows_the_school_focus_into_plans(in_trust):
    w = in_trust
    draft = services.plan_start(actor=w.staff, staff=w.staff, cycle=w.cycle)
    goal = StrategicGoal.objects.create(
        trust=w.trust, priority=w.priority, title="Teaching to Remember (meta-memory)"
    )
    services.school_focus_set(actor=w.head, school=w.school, cycle=w.cycle, goal=goal)
    # An existing draft with no priority takes it ...
    trust_objective = Objective.objects.get(plan=draft, area=Area.TRUST)
    assert (trust_objective.priority, trust_objective.strategic_goal) == (w.priority, goal)
    # ... and a new plan starts from it.
    later = services.plan_start(actor=w.colleague, staff=w.colleague, cycle=w.cycle)
    trust_objective = Objective.objects.get(plan=later, area=Area.TRUST)
    assert trust_objective.strategic_goal == goal
    assert plan_page(later).focus.goal == goal
    # Another school's plans do not show it.
    other = services.plan_start(actor=w.other_head, staff=w.other_head, cycle=w.cycle)
    assert plan_page(other).focus is None
    assert Objective.objects.get(plan=other, area=Area.TRUST).strategic_goal is None


def test_it_lets_only_the_schools_head_set_its_focus(in_trust):
    w = in_trust
    with pytest.raises(PermissionDenied):
        services.school_focus_set(
            actor=w.other_head, school=w.school, cycle=w.cycle, priority=w.priority, title="X"
        )
    focus = services.school_focus_set(
        actor=w.head, school=w.school, cycle=w.cycle, priority=w.priority, title="Reading"
    )
    assert focus.goal.school == w.school and focus.goal.cycle == w.cycle
    # Setting it again replaces the one focus.
    again = services.school_focus_set(
        actor=w.head, school=w.school, cycle=w.cycle, priority=w.priority, title="Oracy"
    )
    assert again.pk == focus.pk and again.goal.title == "Oracy"


def test_early_career_teachers_write_3_objectives_unless_the_trust_widens_the_exemption(
    in_trust,
):
    """Seed 002: "3 Objectives and check ins for all"; seed 004's exemption is the GROW plan's."""
    w = in_trust
    ect = w.other_school_staff  # ECT 1
    plan = services.plan_start(actor=ect, staff=ect, cycle=w.cycle)
    assert plan.staff_member == ect and plan.objectives.count() == 3
    from objectives.rules import grow_plan_required

    assert not grow_plan_required(ect)
    other_ect = make_staff(w.trust, w.other_school, stage="ect2", line_manager=w.other_head)
    w.trust.early_career_exempt_from_objectives = True
    w.trust.save()
    other_ect.trust.refresh_from_db()
    with pytest.raises(ValidationError, match="Early career teachers do not write objectives"):
        services.plan_start(actor=other_ect, staff=other_ect, cycle=w.cycle)


def test_it_requires_a_facilitator_to_take_the_coaching_qualification(in_trust):
    w = in_trust
    staff_member_update(actor=None, staff=w.staff, is_coaching_facilitator=True)
    plan = ready_plan(w)
    page = plan_page(plan)
    assert page.coaching.failing
    assert any(c.label == "Coaching qualification" for c in page.failing)
    with pytest.raises(ValidationError, match="coaching qualification"):
        services.plan_submit(actor=w.staff, plan=plan)
    fill_objective(w.staff, sorted_objectives(plan)[0], is_coaching_qualification=True)
    assert plan_page(plan).ready
    services.plan_submit(actor=w.staff, plan=plan)


def test_it_gives_an_untrained_line_manager_three_cycles(in_trust):
    w = in_trust
    from objectives.selectors import coaching_for, coaching_rows

    # The manager joined in 2020 and the trust has run cycles since 2024: 2024-25 was the
    # third of their three, so 2026-27 finds them overdue...
    for year in (2024, 2025):
        make_cycle(w.trust, year)
    requirement = coaching_for(staff=w.manager, cycle=w.cycle)
    assert requirement.applies and requirement.due_this_cycle and not requirement.met
    assert [r.staff for r in coaching_rows(viewer=w.head, cycle=w.cycle)] == [w.manager]
    # ... unless they made it an objective in an earlier cycle.
    earlier = GrowthCycle.objects.get(name="2025-26")
    plan = ready_plan(w, staff=w.manager, cycle=earlier)
    objective = sorted_objectives(plan)[0]
    fill_objective(
        w.manager, objective, by_date=dt.date(2026, 7, 1), is_coaching_qualification=True
    )
    assert coaching_for(staff=w.manager, cycle=w.cycle).met
    assert coaching_rows(viewer=w.head, cycle=w.cycle) == []


def test_it_shows_a_new_line_manager_how_many_cycles_remain(in_trust):
    w = in_trust
    from objectives.selectors import coaching_for

    staff_member_update(actor=None, staff=w.manager, start_date=dt.date(2026, 9, 1))
    requirement = coaching_for(staff=w.manager, cycle=w.cycle)
    assert requirement.applies and not requirement.due_this_cycle
    assert requirement.text.endswith("in this cycle or in one of the next 2 cycles.")
    make_cycle(w.trust, 2027)
    from growth.models import GrowthCycle as Cycle

    next_year = Cycle.objects.get(name="2027-28")
    assert coaching_for(staff=w.manager, cycle=next_year).text.endswith("the next 1 cycle.")
    # Not required of a non-manager who is not a facilitator, nor of the qualified.
    assert not coaching_for(staff=w.staff, cycle=w.cycle).applies
    staff_member_update(actor=None, staff=w.manager, coaching_qualified=True)
    assert not coaching_for(staff=w.manager, cycle=w.cycle).applies


def test_it_gives_other_apps_the_objectives_in_area_order(in_trust):
    w = in_trust
    assert plan_for(staff=w.staff, cycle=w.cycle) is None
    assert objectives_of(staff=w.staff, cycle=w.cycle) == []
    ready_plan(w)
    assert [o.area for o in objectives_of(staff=w.staff, cycle=w.cycle)] == [
        "self",
        "others",
        "trust",
    ]


def test_it_refuses_another_trusts_priority(in_trust, other_world):
    w = in_trust
    plan = services.plan_start(actor=w.staff, staff=w.staff, cycle=w.cycle)
    trust_objective = sorted_objectives(plan)[2]
    with pytest.raises(ValidationError) as exc:
        fill_objective(w.staff, trust_objective, priority=other_world.priority)
    assert exc.value.message_dict["priority"] == ["Choose one of your trust's priorities."]
    trust_objective.refresh_from_db()
    assert trust_objective.priority_id is None


def test_it_refuses_a_date_outside_the_cycle(in_trust):
    w = in_trust
    plan = services.plan_start(actor=w.staff, staff=w.staff, cycle=w.cycle)
    with pytest.raises(ValidationError) as exc:
        fill_objective(w.staff, sorted_objectives(plan)[0], by_date=dt.date(2027, 9, 1))
    assert "inside the 2026-27 cycle" in exc.value.message_dict["by_date"][0]


@pytest.mark.parametrize("viewer", ["manager", "head", "admin"])
def test_the_home_panel_counts_agree_with_the_team_lists(in_trust, viewer):
    """The home panel counts in SQL what the team page lists in Python: same people, same
    rules (early career teachers included, leavers out, facilitators and untrained managers)."""
    from objectives.selectors import coaching_count, coaching_rows, overdue_count, overdue_rows
    from tests.factories import make_staff

    w = in_trust
    make_staff(w.trust, w.school, stage="ect1", line_manager=w.manager)  # writes objectives
    make_staff(w.trust, w.school, line_manager=w.manager, is_active=False)  # left
    make_staff(w.trust, w.school, line_manager=w.manager, is_coaching_facilitator=True)
    agreed = ready_plan(w)
    services.plan_submit(actor=w.staff, plan=agreed)
    services.plan_agree(actor=w.manager, plan=agreed)
    for year in (2024, 2025):
        make_cycle(w.trust, year)  # the manager's three cycles have run out
    # Those the rule leaves alone: a trained line manager; a facilitator whose plan has the
    # qualification this cycle; a line manager who made it an objective in an earlier cycle.
    trained = make_staff(w.trust, w.other_school, coaching_qualified=True)
    make_staff(w.trust, w.other_school, line_manager=trained)
    staff_member_update(actor=None, staff=w.colleague, is_coaching_facilitator=True)
    met = ready_plan(w, staff=w.colleague)
    fill_objective(w.colleague, sorted_objectives(met)[0], is_coaching_qualification=True)
    earlier = ready_plan(w, staff=w.other_head, cycle=GrowthCycle.objects.get(name="2025-26"))
    fill_objective(
        w.other_head,
        sorted_objectives(earlier)[0],
        by_date=dt.date(2026, 7, 1),
        is_coaching_qualification=True,
    )
    person = getattr(w, viewer)
    today = w.cycle.objectives_deadline + dt.timedelta(days=1)
    rows = overdue_rows(viewer=person, cycle=w.cycle, today=today)
    assert rows and overdue_count(viewer=person, cycle=w.cycle, today=today) == len(rows)
    assert w.staff not in [r.staff for r in rows]  # agreed
    coaching = coaching_rows(viewer=person, cycle=w.cycle)
    assert coaching and coaching_count(viewer=person, cycle=w.cycle) == len(coaching)
    left_alone = {trained, w.colleague, w.other_head}
    assert not left_alone & {row.staff for row in coaching}
    before = w.cycle.objectives_deadline
    assert overdue_count(viewer=person, cycle=w.cycle, today=before) == 0  # not yet due
