"""Recording a check-in: by the person or their line manager, on one page; missed, moved or
cancelled with a reason; evidence only linked to objectives; permissions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from checkins import services
from checkins.models import Checkin, CheckinReflection, Evidence
from checkins.selectors import expected_dates
from growth.models import AuditEvent
from growth.security.tenancy import trust_scope
from objectives.models import Area, GrowthPlan, Objective

D = dt.date
FIRST = D(2026, 9, 15)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def record_url(world, due=FIRST):
    return reverse("checkins:record", kwargs={"public_id": world.staff.public_id}) + (
        f"?due={due:%Y-%m-%d}" if due else ""
    )


def form_data(world, **extra):
    with trust_scope(world.trust):
        services.thinking_tools_ensure_defaults(trust=world.trust)
        from checkins.models import ThinkingTool

        maps = ThinkingTool.objects.get(name="Thinking Maps")
    return {
        "held_on": "2026-09-15",
        "reflect_self": "Tried modelling in Year 9; students asked better questions.",
        "reflect_trust": "Shared the reading-age data with the department.",
        "next_step_by": "half term",
        "next_step_i_am": "modelling my thinking aloud",
        "next_step_so_that": "students see what success looks like",
        "recognised": [str(world.colleague.pk)],
        "thinking_tools": [str(maps.pk)],
        "took_part_in_360": "on",
        **extra,
    }


def test_it_records_a_checkin_on_one_page(world, client_for):
    client = client_for(world.staff)
    page = client.get(record_url(world))
    assert page.status_code == 200
    assert b"Thinking Maps" in page.content and world.colleague.full_name.encode() in page.content
    assert b"Line manager&#x27;s comment" not in page.content  # the manager writes that
    response = client.post(record_url(world), form_data(world))
    assert response.status_code == 302
    with trust_scope(world.trust):
        checkin = Checkin.objects.get(staff_member=world.staff, due_on=FIRST)
        assert checkin.status == "held" and checkin.held_on == FIRST
        assert {r.area for r in checkin.reflections.all()} == {"self", "trust"}
        assert [r.colleague for r in checkin.recognitions.all()] == [world.colleague]
        assert checkin.took_part_in_360
        assert checkin.recorded_by == world.staff
        assert AuditEvent.objects.filter(action="checkin.record", subject=world.staff).exists()
    detail = client.get(response.url)
    assert b"modelling my thinking aloud" in detail.content


def test_it_links_each_reflection_to_the_objective_of_its_area(world, client_for):
    with trust_scope(world.trust):
        plan = GrowthPlan.objects.create(staff_member=world.staff, cycle=world.cycle)
        objective = Objective.objects.create(plan=plan, area=Area.SELF, to_text="improve modelling")
    client = client_for(world.staff)
    assert b"Objective: To improve modelling" in client.get(record_url(world)).content
    client.post(record_url(world), form_data(world))
    with trust_scope(world.trust):
        reflections = {r.area: r for r in CheckinReflection.objects.all()}
    assert reflections["self"].objective == objective
    assert reflections["trust"].objective is None


def test_it_lets_the_line_manager_record_and_comment(world, client_for):
    client = client_for(world.manager)
    assert b"Line manager" in client.get(record_url(world)).content
    response = client.post(
        record_url(world), form_data(world, manager_comment="Great focus on modelling.")
    )
    assert response.status_code == 302
    with trust_scope(world.trust):
        checkin = Checkin.objects.get(staff_member=world.staff, due_on=FIRST)
    assert checkin.manager_comment == "Great focus on modelling."
    assert checkin.recorded_by == world.manager


def test_it_ignores_a_manager_comment_posted_by_the_staff_member(world, client_for):
    client = client_for(world.staff)
    client.post(record_url(world), form_data(world, manager_comment="I am brilliant"))
    with trust_scope(world.trust):
        assert Checkin.objects.get(staff_member=world.staff).manager_comment == ""


def test_it_keeps_what_was_typed_and_names_the_field_on_bad_input(world, client_for):
    client = client_for(world.staff)
    response = client.post(
        record_url(world),
        form_data(world, held_on="2027-13-45", next_step_by="Friday", next_step_i_am=""),
    )
    assert response.status_code == 400
    assert b"Tried modelling in Year 9" in response.content
    assert b"Enter a valid date" in response.content
    assert "Complete the next step" in response.content.decode()
    with trust_scope(world.trust):
        assert not Checkin.objects.exists()


def test_it_refuses_a_date_outside_the_cycle_with_a_message(world, client_for):
    response = client_for(world.staff).post(
        record_url(world), form_data(world, held_on="2025-01-01")
    )
    assert response.status_code == 400
    assert b"outside the growth cycle" in response.content


def test_it_404s_a_date_that_is_not_in_the_schedule(world, client_for):
    assert client_for(world.staff).get(record_url(world, D(2026, 9, 16))).status_code == 404


def test_it_lets_leaders_read_but_not_record(world, client_for):
    with trust_scope(world.trust):
        services.checkin_record(
            actor=world.staff,
            staff=world.staff,
            cycle=world.cycle,
            due_on=FIRST,
            data=services.CheckinData(held_on=FIRST, reflections={"self": "Progress"}),
        )
        checkin = Checkin.objects.get()
    detail = reverse("checkins:detail", kwargs={"public_id": checkin.public_id})
    edit = reverse("checkins:edit", kwargs={"public_id": checkin.public_id})
    person = reverse("checkins:person", kwargs={"public_id": world.staff.public_id})
    for leader in (world.head, world.admin):
        client = client_for(leader)
        assert client.get(detail).status_code == 200
        assert client.get(person).status_code == 200
        assert client.get(edit).status_code == 403
        assert (
            client.post(
                record_url(world, expected_dates(staff=world.staff, cycle=world.cycle)[1]), {}
            ).status_code
            == 403
        )
    for stranger in (world.colleague, world.other_head, world.support):
        client = client_for(stranger)
        assert client.get(detail).status_code == 404
        assert client.get(person).status_code == 404
        assert client.get(record_url(world)).status_code == 404


def test_it_records_a_missed_moved_or_cancelled_checkin_with_a_reason(world, client_for):
    url = reverse("checkins:excuse", kwargs={"public_id": world.staff.public_id})
    client = client_for(world.manager)
    missing_reason = client.post(url + "?due=2026-09-15", {"status": "missed", "reason": ""})
    assert missing_reason.status_code == 400 and b"This field is required" in missing_reason.content
    no_date = client.post(url + "?due=2026-09-15", {"status": "moved", "reason": "Trip"})
    assert no_date.status_code == 400 and b"Give the new date" in no_date.content
    moved = client.post(
        url + "?due=2026-09-15", {"status": "moved", "reason": "Trip", "moved_to": "2026-09-17"}
    )
    assert moved.status_code == 302
    with trust_scope(world.trust):
        checkin = Checkin.objects.get(staff_member=world.staff, due_on=FIRST)
        assert checkin.status == "moved" and checkin.moved_to == D(2026, 9, 17)
    # Held later on the new date: the same record becomes held.
    client.post(record_url(world), form_data(world, held_on="2026-09-17"))
    with trust_scope(world.trust):
        checkin.refresh_from_db()
    assert checkin.status == "held" and checkin.held_on == D(2026, 9, 17)


def test_it_attaches_evidence_to_an_objective_and_serves_it_only_to_those_allowed(
    world, client_for
):
    client = client_for(world.staff)
    client.post(record_url(world), form_data(world))
    with trust_scope(world.trust):
        checkin = Checkin.objects.get()
    add = reverse("checkins:evidence_add", kwargs={"public_id": checkin.public_id})
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 lesson plan", content_type="application/pdf")
    assert (
        client.post(add, {"area": "self", "title": "Lesson plan", "file": upload}).status_code
        == 302
    )
    with trust_scope(world.trust):
        evidence = Evidence.objects.get()
    assert evidence.reflection.area == "self" and evidence.content_type == "application/pdf"
    assert "plan" not in evidence.file.name  # stored under a random name
    with trust_scope(world.trust):
        added = AuditEvent.objects.filter(object_id=str(evidence.public_id)).latest("at")
    assert added.after["file"] == evidence.file.name  # the audit names the stored file
    url = reverse("checkins:evidence", kwargs={"public_id": evidence.public_id})
    download = client_for(world.manager).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 lesson plan"
    assert "attachment" in download["Content-Disposition"]
    assert client_for(world.colleague).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ....", b"That type of file is not accepted"),
        ("fake.pdf", b"GIF89a", b"content does not match its name"),
        ("big.txt", b"a" * (5 * 1024 * 1024 + 1), b"the limit is 5.0\xc2\xa0MB"),
        ("notes.txt", b"caf\xe9 au lait", b"content does not match its name"),
    ],
)
def test_it_refuses_evidence_of_the_wrong_type_or_size(world, client_for, name, content, message):
    client = client_for(world.staff)
    client.post(record_url(world), form_data(world))
    with trust_scope(world.trust):
        checkin = Checkin.objects.get()
    add = reverse("checkins:evidence_add", kwargs={"public_id": checkin.public_id})
    response = client.post(add, {"area": "self", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content
    with trust_scope(world.trust):
        assert not Evidence.objects.exists()


def test_it_only_attaches_evidence_to_an_objective_reflected_on(world, client_for):
    client = client_for(world.staff)
    client.post(record_url(world), form_data(world))
    with trust_scope(world.trust):
        checkin = Checkin.objects.get()
    add = reverse("checkins:evidence_add", kwargs={"public_id": checkin.public_id})
    response = client.post(add, {"area": "others", "url": "https://example.org/x"})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_it_shows_the_team_to_a_line_manager_only(world, client_for, django_assert_max_num_queries):
    url = reverse("checkins:team")
    client = client_for(world.manager)
    client.get(url)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    assert world.staff.full_name.encode() in response.content
    assert world.support.full_name.encode() in response.content
    assert client_for(world.staff).get(url).status_code == 403


def test_it_shows_next_checkin_and_engagement_on_home(world, client_for):
    home = client_for(world.staff).get("/")
    assert b"My check-ins" in home.content and b"Next check-in" in home.content
    assert b"Team check-ins" not in home.content
    manager_home = client_for(world.manager).get("/")
    assert b"Team check-ins" in manager_home.content


def test_a_moved_checkin_is_the_next_one_on_every_page_that_shows_it(world, client_for):
    with trust_scope(world.trust):
        upcoming = next(
            d for d in expected_dates(staff=world.staff, cycle=world.cycle) if d >= D(2026, 11, 23)
        )
    moved_to = upcoming - dt.timedelta(days=1)
    url = reverse("checkins:excuse", kwargs={"public_id": world.staff.public_id})
    moved = client_for(world.manager).post(
        url + f"?due={upcoming:%Y-%m-%d}",
        {"status": "moved", "reason": "Trip", "moved_to": f"{moved_to:%Y-%m-%d}"},
    )
    assert moved.status_code == 302
    shown = f"{moved_to.day} {moved_to:%b %Y}"
    home = client_for(world.staff).get("/").content.decode()
    my_year = home.split('id="panel-my-year"', 1)[1].split("</section>", 1)[0]
    mine = home.split('id="panel-checkins-mine"', 1)[1].split("</section>", 1)[0]
    assert shown in my_year and shown in mine
    team_row = (
        client_for(world.manager)
        .get(reverse("checkins:team"))
        .content.decode()
        .split(world.staff.full_name, 1)[1]
        .split("</tr>", 1)[0]
    )
    assert shown in team_row


def test_it_shows_an_objectives_markup_as_text_in_the_reflection_help(world, client_for):
    hostile = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
    with trust_scope(world.trust):
        plan = GrowthPlan.objects.create(staff_member=world.staff, cycle=world.cycle)
        Objective.objects.create(plan=plan, area=Area.SELF, to_text=hostile)
    page = client_for(world.manager).get(record_url(world)).content.decode()
    assert "<meta http-equiv" not in page
    assert "Objective: To &lt;meta http-equiv=&quot;refresh&quot;" in page


def test_it_accepts_a_text_file_whose_4096th_byte_is_inside_a_character(world, client_for):
    # "é" is two bytes in UTF-8; the file's byte 4,096 is the first half of one.
    content = ("a" * 4095 + "é" * 10).encode()
    assert content[4095:4097] == "é".encode()
    client = client_for(world.staff)
    client.post(record_url(world), form_data(world))
    with trust_scope(world.trust):
        checkin = Checkin.objects.get()
    add = reverse("checkins:evidence_add", kwargs={"public_id": checkin.public_id})
    upload = SimpleUploadedFile("notes.txt", content)
    assert client.post(add, {"area": "self", "file": upload}).status_code == 302
    with trust_scope(world.trust):
        evidence = Evidence.objects.get()
    assert evidence.content_type == "text/plain" and evidence.original_name == "notes.txt"


def test_an_evidence_link_opens_a_page_that_says_it_leaves_the_site(world, client_for):
    client = client_for(world.staff)
    client.post(record_url(world), form_data(world))
    with trust_scope(world.trust):
        checkin = Checkin.objects.get()
    add = reverse("checkins:evidence_add", kwargs={"public_id": checkin.public_id})
    address = "https://example.org/plan?a=1&b=\u202egnp.exe"
    assert client.post(add, {"area": "self", "url": address}).status_code == 302
    with trust_scope(world.trust):
        evidence = Evidence.objects.get()
    response = client_for(world.manager).get(
        reverse("checkins:evidence", kwargs={"public_id": evidence.public_id})
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Location" not in response
    assert "You are leaving Professional Growth" in page
    # The address is shown, with the right-to-left override made visible, not obeyed.
    assert "https://example.org/plan?a=1&amp;b=%E2%80%AEgnp.exe" in page
    assert "\u202e" not in page
    assert 'rel="noopener noreferrer nofollow"' in page
