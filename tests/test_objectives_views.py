"""The objectives pages: who may see and do what, hostile input, autosave, the lists."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growth.domain.services import staff_member_update
from growth.models import StrategicGoal
from growth.security.tenancy import trust_scope
from objectives import services
from objectives.models import Area, GrowthPlan, Objective, ObjectiveBankPhrase
from objectives.selectors import bank_for, plan_for
from tests.objectives_fixtures import bank, ready_plan  # noqa: F401

pytestmark = pytest.mark.usefixtures("bank")
TODAY = "2026-11-23 10:00Z"


def plan_url(plan, name="objectives:plan"):
    return reverse(name, kwargs={"public_id": plan.public_id})


def objective_of(plan, area):
    with trust_scope(plan.trust_id):
        return Objective.objects.get(plan=plan, area=area)


def valid_post(world, **overrides):
    data = {
        "to_text": "embed retrieval practice",
        "through": "Researching two pieces of theory\nTrialing three different techniques",
        "in_order_to": "Improve my success rate from 5 to 8 in the application of questioning",
        "by_date": "2027-07-01",
        "success_criteria": "Pupils recall more.",
        "priority": str(world.priority.public_id),
        "strategic_goal": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(TODAY)
def test_it_lets_staff_start_their_plan(world, client_for):
    client = client_for(world.staff)
    page = client.get(reverse("objectives:my_plan"))
    assert page.status_code == 200
    assert b"Start my growth plan" in page.content
    response = client.post(reverse("objectives:start"))
    with trust_scope(world.trust):
        plan = GrowthPlan.objects.get(staff_member=world.staff)
    assert response.status_code == 302 and response.url == plan_url(plan)
    assert client.get(reverse("objectives:my_plan")).url == plan_url(plan)


@time_machine.travel(TODAY)
def test_it_tells_an_early_career_teacher_they_are_exempt_where_the_trust_widens_it(
    world, client_for
):
    client = client_for(world.other_school_staff)
    assert b"Start my growth plan" in client.get(reverse("objectives:my_plan")).content
    world.trust.early_career_exempt_from_objectives = True
    world.trust.save()
    page = client.get(reverse("objectives:my_plan"))
    assert b"do not write objectives" in page.content
    assert b"Start my growth plan" not in page.content


@time_machine.travel(TODAY)
def test_it_shows_the_plan_to_the_people_related_to_it_and_404s_strangers(
    world, other_world, client_for
):
    plan = ready_plan(world)
    for person in (world.staff, world.manager, world.head, world.admin):
        assert client_for(person).get(plan_url(plan)).status_code == 200, person
    for stranger in (
        world.colleague,
        world.other_head,
        world.support,
        *other_world.everyone.values(),
    ):
        assert client_for(stranger).get(plan_url(plan)).status_code == 404, stranger
        assert (
            client_for(stranger).get(plan_url(plan, "objectives:plan_versions")).status_code == 404
        )


@time_machine.travel(TODAY)
def test_it_lets_only_the_owner_open_the_builder(world, client_for):
    plan = ready_plan(world)
    url = reverse(
        "objectives:objective", kwargs={"public_id": objective_of(plan, "self").public_id}
    )
    assert client_for(world.staff).get(url).status_code == 200
    for related in (world.manager, world.head, world.admin):
        assert client_for(related).get(url).status_code == 403
        assert client_for(related).post(url, valid_post(world)).status_code == 403
    assert client_for(world.colleague).get(url).status_code == 404


@time_machine.travel(TODAY)
def test_it_saves_an_objective_and_shows_the_sentence(world, client_for):
    plan = ready_plan(world)
    objective = objective_of(plan, Area.TRUST)
    url = reverse("objectives:objective", kwargs={"public_id": objective.public_id})
    response = client_for(world.staff).post(url, {**valid_post(world), "check_trust-link": "yes"})
    assert response.status_code == 302
    page = client_for(world.staff).get(plan_url(plan))
    assert (
        "To embed retrieval practice through Researching two pieces of theory and Trialing "
        "three different techniques in order to Improve my success rate from 5 to 8 in the "
        "application of questioning by July 2027."
    ) in page.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"to_text": "", "through": "", "in_order_to": "", "by_date": "", "priority": ""},
            "Say what you will do: the To… part.",
        ),
        (
            {"to_text": "x" * 100_000},
            "To… (what I will do) is too long: at most 500 characters (it has 100000).",
        ),
        ({"through": "y" * 100_000}, "at most"),
        (
            {"through": "a\n" + "b" * 400},
            "Line 2 is 400 characters long; each line can be at most 300.",
        ),
        (
            {"by_date": "2027-09-01"},
            "The date must fall inside the 2026-27 cycle (1 Sep 2026 to 31 Aug 2027).",
        ),
        ({"by_date": "not a date"}, "Enter a real date"),
        ({"priority": "OTHER"}, "Choose one of your trust&#x27;s priorities."),
        ({"priority": "12345"}, "Choose one of your trust&#x27;s priorities."),
    ],
)
@time_machine.travel(TODAY)
def test_it_refuses_hostile_input_clearly_and_keeps_the_draft(
    world, other_world, client_for, overrides, message
):
    plan = ready_plan(world)
    objective = objective_of(plan, Area.TRUST)
    before = objective.to_text
    if overrides.get("priority") == "OTHER":
        overrides = {**overrides, "priority": str(other_world.priority.public_id)}
    data = valid_post(world, **overrides)
    response = client_for(world.staff).post(
        reverse("objectives:objective", kwargs={"public_id": objective.public_id}), data
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "what you typed is kept below" in body
    objective.refresh_from_db()
    assert objective.to_text == before  # nothing half-written
    # What was typed is kept: re-rendered now, and autosaved for later.
    if data["to_text"] and len(data["to_text"]) < 1000:
        assert data["to_text"] in body
    if len(str(data)) < 60_000:
        assert objective.autosave["through"] == data["through"]


@time_machine.travel(TODAY)
def test_it_shows_html_and_script_as_text(world, client_for):
    plan = ready_plan(world)
    objective = objective_of(plan, Area.SELF)
    evil = '<script>alert("x")</script><b>bold</b>'
    response = client_for(world.staff).post(
        reverse("objectives:objective", kwargs={"public_id": objective.public_id}),
        valid_post(world, to_text=evil, through=evil, priority=""),
    )
    assert response.status_code == 302
    for person in (world.staff, world.manager):
        body = client_for(person).get(plan_url(plan)).content.decode()
        assert "<script>alert" not in body and "<b>bold</b>" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    preview = client_for(world.staff).post(
        reverse("objectives:objective_preview", kwargs={"public_id": objective.public_id}),
        {"to_text": evil},
        HTTP_HX_REQUEST="true",
    )
    assert "<script>alert" not in preview.content.decode()


@time_machine.travel(TODAY)
def test_it_previews_live_and_autosaves_and_restores(world, client_for):
    plan = ready_plan(world)
    objective = objective_of(plan, Area.OTHERS)
    client = client_for(world.staff)
    preview = client.post(
        reverse("objectives:objective_preview", kwargs={"public_id": objective.public_id}),
        {"to_text": "coach a colleague", "through": "Shadowing best practice", "by_date": ""},
        HTTP_HX_REQUEST="true",
    )
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "To coach a colleague through Shadowing best practice in order to … by …." in text
    assert "Draft saved at" in text
    objective.refresh_from_db()
    assert objective.autosave["to_text"] == "coach a colleague"
    assert objective.to_text != "coach a colleague"  # not saved for real yet
    page = client.get(reverse("objectives:objective", kwargs={"public_id": objective.public_id}))
    assert b'value="coach a colleague"' in page.content
    assert b"We restored what you typed" in page.content
    # A real save clears the draft.
    client.post(
        reverse("objectives:objective", kwargs={"public_id": objective.public_id}),
        valid_post(world, to_text="coach a colleague", priority=""),
    )
    objective.refresh_from_db()
    assert objective.autosave == {} and objective.to_text == "coach a colleague"


@time_machine.travel(TODAY)
def test_it_refuses_an_autosave_from_anyone_but_the_owner(world, client_for):
    plan = ready_plan(world)
    objective = objective_of(plan, Area.OTHERS)
    url = reverse("objectives:objective_preview", kwargs={"public_id": objective.public_id})
    assert client_for(world.manager).post(url, {"to_text": "x"}).status_code == 403
    assert client_for(world.colleague).post(url, {"to_text": "x"}).status_code == 404
    objective.refresh_from_db()
    assert objective.autosave == {}


@time_machine.travel(TODAY)
def test_it_walks_through_submit_change_request_and_agreement(world, client_for):
    plan = ready_plan(world)
    staff, manager = client_for(world.staff), client_for(world.manager)
    assert staff.post(plan_url(plan, "objectives:plan_submit")).status_code == 302
    page = manager.get(plan_url(plan)).content.decode()
    assert "Conversation prompts (GROW)" in page
    assert "How confident are you of achieving this goal?" in page
    # A change request needs a comment.
    empty = manager.post(plan_url(plan, "objectives:plan_decide"), {"decision": "changes"})
    assert empty.status_code == 400 and b"Say what you would like changed." in empty.content
    manager.post(
        plan_url(plan, "objectives:plan_decide"),
        {"decision": "changes", "comment": "Please add a measure."},
    )
    page = staff.get(plan_url(plan)).content.decode()
    assert "asked for changes" in page and "Please add a measure." in page
    # The staff member edits and resubmits; the manager agrees.
    objective = objective_of(plan, Area.SELF)
    staff.post(
        reverse("objectives:objective", kwargs={"public_id": objective.public_id}),
        {
            **valid_post(world, priority=""),
            **{f"check_self-{k}": "yes" for k in ("link", "impact", "activity")},
        },
    )
    staff.post(plan_url(plan, "objectives:plan_submit"))
    # The staff member cannot agree their own plan.
    assert (
        staff.post(plan_url(plan, "objectives:plan_decide"), {"decision": "agree"}).status_code
        == 403
    )
    manager.post(plan_url(plan, "objectives:plan_decide"), {"decision": "agree"})
    plan.refresh_from_db()
    assert plan.state == "agreed" and plan.agreed_by == world.manager
    versions = staff.get(plan_url(plan, "objectives:plan_versions")).content.decode()
    assert "Version 1: Agreed" in versions and "Mo Tester" in versions
    assert "Please add a measure." in versions


@time_machine.travel(TODAY)
def test_it_explains_why_a_plan_cannot_be_submitted(world, client_for):
    client = client_for(world.staff)
    client.post(reverse("objectives:start"))
    with trust_scope(world.trust):
        plan = GrowthPlan.objects.get(staff_member=world.staff)
    response = client.post(plan_url(plan, "objectives:plan_submit"), follow=True)
    body = response.content.decode()
    assert "Your plan cannot be submitted yet" in body
    assert "Impact on Trust: Linked to a trust priority." in body
    plan.refresh_from_db()
    assert plan.state == "draft"


@time_machine.travel(TODAY)
def test_it_saves_grow_notes_and_a_leadership_goal(world, client_for):
    plan = ready_plan(world, staff=world.manager)
    client = client_for(world.manager)
    url = plan_url(plan, "objectives:plan_grow")
    page = client.get(url).content.decode()
    assert "What are the learning needs of my class or a class that I teach?" in page
    assert "How does this link to your Department Learning Plan or Whole School Priorities?" in page
    too_long = client.post(url, {"grow_goal": "z" * 100_000})
    assert too_long.status_code == 400 and b"at most 4,000 characters" in too_long.content
    assert b"z" * 200 in too_long.content  # kept
    client.post(
        url,
        {
            "grow_summary_by": "July",
            "grow_summary_i_am": "modelling",
            "grow_summary_so_that": "they write",
            "lead_goal": "Raise reading",
            "lead_link_to": "department",
        },
    )
    plan.refresh_from_db()
    assert plan.grow_notes["summary_i_am"] == "modelling"
    assert plan.leadership_goal == {"goal": "Raise reading", "link_to": "department"}
    assert b"By July I am modelling so that they write" in client.get(plan_url(plan)).content
    assert client_for(world.head).get(url).status_code == 403


@time_machine.travel(TODAY)
def test_it_autosaves_grow_notes_without_reopening_an_agreed_plan(world, client_for):
    plan = ready_plan(world)
    services.plan_submit(actor=world.staff, plan=plan)
    services.plan_agree(actor=world.manager, plan=plan)
    client = client_for(world.staff)
    autosave = plan_url(plan, "objectives:plan_grow_autosave")
    saved = client.post(autosave, {"grow_goal": "Half-typed <i>goal</i>"})
    assert saved.status_code == 200 and b"Draft saved at" in saved.content
    plan.refresh_from_db()
    assert plan.state == "agreed" and plan.grow_notes == {}  # typing is not a new version
    assert plan.grow_autosave == {"grow_goal": "Half-typed <i>goal</i>"}

    page = client.get(plan_url(plan, "objectives:plan_grow")).content.decode()
    assert "We restored what you typed last time" in page
    assert "Half-typed &lt;i&gt;goal&lt;/i&gt;" in page

    # Over the field's limit: the draft keeps all of it and says what Save will refuse.
    over = client.post(autosave, {"grow_goal": "y" * 4001})
    assert over.status_code == 200 and b"Draft saved at" in over.content
    assert b"is too long: at most 4,000 characters (it has 4001)." in over.content
    plan.refresh_from_db()
    assert plan.grow_autosave == {"grow_goal": "y" * 4001}

    too_big = client.post(autosave, {"grow_goal": "z" * 300_000})
    assert too_big.status_code == 400 and b"too much text to save as a draft" in too_big.content
    plan.refresh_from_db()
    assert plan.grow_autosave == {"grow_goal": "y" * 4001}  # older draft kept

    client.post(plan_url(plan, "objectives:plan_grow"), {"grow_goal": "A real goal"})
    plan.refresh_from_db()
    assert plan.grow_notes == {"goal": "A real goal"} and plan.grow_autosave == {}
    after = client.get(plan_url(plan, "objectives:plan_grow")).content.decode()
    assert "We restored what you typed" not in after

    assert client_for(world.manager).post(autosave, {"grow_goal": "x"}).status_code == 403
    assert client_for(world.colleague).post(autosave, {"grow_goal": "x"}).status_code == 404


@time_machine.travel(TODAY)
def test_it_flags_plans_not_agreed_by_the_deadline(world, client_for):
    plan = ready_plan(world)
    services.plan_submit(actor=world.staff, plan=plan)
    services.plan_agree(actor=world.manager, plan=plan)
    body = client_for(world.manager).get(reverse("objectives:team")).content.decode()
    assert "Not agreed by the deadline" in body
    overdue = body.split('data-testid="overdue"')[1].split("</ul>")[0]
    assert "Sue Tester" in overdue  # support: not started
    assert "Sam Tester" not in overdue  # agreed
    head = client_for(world.head).get(reverse("objectives:team")).content.decode()
    assert "Cal Tester" in head.split('data-testid="overdue"')[1].split("</ul>")[0]
    assert client_for(world.staff).get(reverse("objectives:team")).status_code == 403


@time_machine.travel("2026-10-01 10:00Z")
def test_it_does_not_flag_before_the_deadline(world, client_for):
    body = client_for(world.manager).get(reverse("objectives:team")).content.decode()
    assert "Not agreed by the deadline" not in body


@time_machine.travel(TODAY)
def test_it_lists_who_does_not_meet_the_coaching_rule(world, client_for):
    with trust_scope(world.trust):
        staff_member_update(actor=None, staff=world.staff, is_coaching_facilitator=True)
    body = client_for(world.manager).get(reverse("objectives:team")).content.decode()
    listed = body.split('data-testid="coaching-list"')[1].split("</ul>")[0]
    assert "Sam Tester" in listed and "coaching facilitator" in listed
    page = client_for(world.staff).get(reverse("objectives:my_plan")).content.decode()
    assert "must be to complete the coaching qualification" in page


@time_machine.travel(TODAY)
def test_it_lets_the_head_set_the_school_focus(world, client_for):
    url = reverse("objectives:school_focus")
    assert client_for(world.staff).get(url).status_code == 403
    head = client_for(world.head)
    bad = head.post(url, {"school": str(world.school.public_id)})
    assert bad.status_code == 400 and b"Choose an existing strategic goal" in bad.content
    other = head.post(
        url,
        {
            "school": str(world.other_school.public_id),
            "priority": str(world.priority.public_id),
            "title": "X",
        },
    )
    assert other.status_code == 400  # not their school
    head.post(
        url,
        {
            "school": str(world.school.public_id),
            "priority": str(world.priority.public_id),
            "title": "Teaching to Remember",
        },
    )
    with trust_scope(world.trust):
        assert StrategicGoal.objects.get(title="Teaching to Remember").school == world.school
    client = client_for(world.staff)
    client.post(reverse("objectives:start"))
    body = client.get(reverse("objectives:my_plan"), follow=True).content.decode()
    assert "School focus for Impact on Trust" in body and "Teaching to Remember" in body


@time_machine.travel(TODAY)
def test_it_lets_a_trust_admin_edit_the_bank_for_their_trust_only(world, other_world, client_for):
    url = reverse("objectives:bank")
    assert client_for(world.staff).get(url).status_code == 403
    admin = client_for(world.admin)
    assert admin.get(url).status_code == 200
    with trust_scope(world.trust):
        shared = ObjectiveBankPhrase.objects.get(trust=None, kind="how", text="Researching")
    admin.post(url, {"phrase": str(shared.public_id), "text": "Researching in depth", "hidden": ""})
    admin.post(url, {"add-kind": "impact", "add-area": "self", "add-text": "Gain QTLS"})
    empty = admin.post(url, {"add-kind": "impact", "add-area": "", "add-text": "x"})
    assert empty.status_code == 400 and b"Choose the area" in empty.content
    mine = bank_for(trust=world.trust, area="self", category="teaching")
    assert "Researching in depth" in [p.text for p in mine.how]
    assert "Researching" not in [p.text for p in mine.how]
    assert "Gain QTLS" in [p.text for p in mine.impact]
    theirs = bank_for(trust=other_world.trust, area="self", category="teaching")
    assert "Researching" in [p.text for p in theirs.how]
    assert "Gain QTLS" not in [p.text for p in theirs.impact]
    with trust_scope(world.trust):
        own = ObjectiveBankPhrase.objects.get(trust=world.trust, text="Gain QTLS")
    admin.post(url, {"phrase": str(own.public_id), "text": "Gain QTLS", "hidden": "on"})
    assert "Gain QTLS" not in [
        p.text for p in bank_for(trust=world.trust, area="self", category="teaching").impact
    ]
    # Another trust's admin cannot touch this trust's phrase.
    response = client_for(other_world.admin).post(
        url, {"phrase": str(own.public_id), "text": "hijack", "hidden": ""}
    )
    assert response.status_code == 404


@time_machine.travel(TODAY)
def test_it_shows_the_bank_and_examples_in_the_builder(world, client_for):
    plan = ready_plan(world)
    url = reverse(
        "objectives:objective", kwargs={"public_id": objective_of(plan, Area.SELF).public_id}
    )
    body = client_for(world.staff).get(url).content.decode()
    assert "<option>Researching</option>" in body
    assert "<option>Two pieces of theory</option>" in body
    assert "Become an expert in x" in body  # an Impact on Self phrase
    assert "Achieve a saving of x" not in body  # an Impact on Trust phrase
    assert "To develop my use of questioning within the classroom" in body  # Teaching, Self


@time_machine.travel(TODAY)
def test_it_draws_the_plan_and_team_pages_in_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    plan = ready_plan(world)
    manager, admin = client_for(world.manager), client_for(world.admin)
    pages = [
        (manager, plan_url(plan)),
        (admin, reverse("objectives:team")),
        (manager, reverse("objectives:team")),
    ]
    for client, url in pages:  # warm the session
        assert client.get(url).status_code == 200

    def count(client, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = []
    for client, url in pages:
        with django_assert_max_num_queries(25):
            before.append(count(client, url))
    for person in (world.colleague, world.support, world.head):
        ready_plan(world, staff=person)
    with trust_scope(world.trust):
        staff_member_update(actor=None, staff=world.support, is_coaching_facilitator=True)
        services.plan_submit(
            actor=world.colleague, plan=plan_for(staff=world.colleague, cycle=world.cycle)
        )
    # More people and plans on the page, the same number of queries.
    after = [count(client, url) for client, url in pages]
    assert after == before


@time_machine.travel(TODAY)
def test_it_sends_each_deadline_reminder_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from objectives.tasks import remind_plans_not_agreed

    with django_capture_on_commit_callbacks(execute=True):
        remind_plans_not_agreed()
    subjects = sorted((m.to[0].split("@")[0], m.subject) for m in mailoutbox)
    assert any("Sam Tester" in s and to.startswith("mo.") for to, s in subjects)
    assert any("Sam Tester" in s and to.startswith("hana.") for to, s in subjects)
    count = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        remind_plans_not_agreed()
    assert len(mailoutbox) == count


@time_machine.travel(TODAY)
def test_it_links_an_objective_to_standards(world, client_for):
    from standards.models import Standard
    from tests.standards_fixtures import load_shipped_standards

    load_shipped_standards()
    plan = ready_plan(world)
    objective = objective_of(plan, Area.SELF)
    url = reverse("objectives:objective", kwargs={"public_id": objective.public_id})
    client = client_for(world.staff)
    page = client.get(url).content.decode()
    assert "Standards this objective develops (optional)" in page
    with trust_scope(world.trust):
        standard = Standard.objects.get(framework__code="teachers-standards", code="4.1")
    junk = client.post(url, {**valid_post(world, priority=""), "standards": ["not-a-uuid"]})
    assert junk.status_code == 400 and b"Choose standards from your own framework." in junk.content
    saved = client.post(
        url,
        {
            **valid_post(world, priority=""),
            "standards": [str(standard.public_id)],
            **{f"check_self-{k}": "yes" for k in ("link", "impact", "activity")},
        },
    )
    assert saved.status_code == 302
    assert f"{standard.ref}" in client.get(plan_url(plan)).content.decode()
    with trust_scope(world.trust):
        services.plan_submit(actor=world.staff, plan=plan)
        from objectives.models import PlanVersion

        snap = PlanVersion.objects.get(plan=plan).snapshot
    assert snap["objectives"][0]["standards"] == [standard.ref]


@time_machine.travel(TODAY)
def test_it_autosaves_a_draft_containing_a_nul_character_without_failing(world, client_for):
    plan = ready_plan(world)
    objective = objective_of(plan, Area.SELF)
    response = client_for(world.staff).post(
        reverse("objectives:objective_preview", kwargs={"public_id": objective.public_id}),
        {"to_text": "read\x00 widely", "through": "Researching", "by_date": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    objective.refresh_from_db()
    assert objective.autosave["to_text"] == "read widely"
