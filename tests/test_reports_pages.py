"""The team, school and trust reports: who sees what, and nothing of another school or trust."""

import html
import json
import re

import pytest
from django.urls import reverse


def test_it_shows_a_line_manager_their_team(world, client_for):
    response = client_for(world.manager).get(reverse("reports:team"))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.staff.full_name in body
    assert world.support.full_name in body
    assert world.colleague.full_name not in body


def test_it_tells_someone_without_a_team_so(world, client_for):
    response = client_for(world.staff).get(reverse("reports:team"))
    assert response.status_code == 200
    assert "Nobody reports to you." in response.content.decode()


def test_it_shows_the_headteacher_their_school_only(world, client_for):
    client = client_for(world.head)
    response = client.get(reverse("reports:my_school"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    body = response.content.decode()
    assert world.staff.full_name in body
    assert world.other_school_staff.full_name not in body
    assert world.admin.full_name not in body


@pytest.mark.parametrize("who", ["staff", "manager", "other_head"])
def test_it_forbids_the_school_report_to_others_in_the_trust(world, client_for, who):
    url = reverse("reports:school", args=[world.school.public_id])
    assert client_for(getattr(world, who)).get(url).status_code == 403


def test_it_hides_a_school_of_another_trust(world, other_world, client_for):
    url = reverse("reports:school", args=[world.school.public_id])
    assert client_for(other_world.admin).get(url).status_code == 404
    assert client_for(other_world.head).get(url).status_code == 404


def test_it_lets_a_trust_admin_open_every_school(world, client_for):
    client = client_for(world.admin)
    for school in (world.school, world.other_school, world.central):
        url = reverse("reports:school", args=[school.public_id])
        assert client.get(url).status_code == 200


def test_it_shows_every_school_side_by_side_to_a_trust_admin(world, other_world, client_for):
    response = client_for(world.admin).get(reverse("reports:trust"))
    assert response.status_code == 200
    body = response.content.decode()
    for school in (world.school, world.other_school, world.central):
        assert school.name in body
    assert other_world.school.name not in body


@pytest.mark.parametrize("who", ["staff", "manager", "head"])
def test_it_forbids_the_trust_report_to_everyone_else(world, client_for, who):
    assert client_for(getattr(world, who)).get(reverse("reports:trust")).status_code == 403


def test_it_forbids_my_school_to_someone_who_is_not_a_headteacher(world, client_for):
    assert client_for(world.manager).get(reverse("reports:my_school")).status_code == 403


def test_it_draws_the_funnel_from_a_data_block_with_a_table(world, client_for):
    response = client_for(world.admin).get(reverse("reports:trust"))
    body = response.content.decode()
    assert 'id="chart-funnel" type="application/json"' in body
    assert "Figures for completion funnel" in body
    # The table under the chart holds the same figures as the picture, a row per label.
    block = re.search(r'<script id="chart-funnel" type="application/json">(.*?)</script>', body)
    payload = json.loads(block.group(1))
    assert payload["labels"]
    figures = body[body.index("Figures for completion funnel") :].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">(.*?)</th>((?:<td>.*?</td>)+)</tr>', figures)
    assert [html.unescape(label) for label, _ in rows] == payload["labels"]
    for index, (_, cells) in enumerate(rows):
        shown = re.findall(r"<td>(.*?)</td>", cells)
        assert shown == [str(series["values"][index]) for series in payload["series"]]


def test_it_does_not_mount_the_benchmark_reference_page(world, client_for):
    # The reference page exists only under bench.settings (bench/urls.py).
    url = f"/bench/reference/{world.school.public_id}/"
    assert client_for(world.admin).get(url).status_code == 404


def test_it_pages_the_school_staff_by_name_without_repeating_anyone(world, client_for, monkeypatch):
    from growth.models import StaffMember
    from growth.reporting import views as report_views
    from tests.factories import make_staff

    for n in range(7):
        make_staff(world.trust, world.school, first_name=f"Page{n}", last_name=f"Zz{n}")
    make_staff(world.trust, world.school, first_name="Gone", last_name="Left", is_active=False)
    expected = list(
        StaffMember.objects.for_trust(world.trust)
        .filter(school=world.school, is_active=True)
        .order_by("user__last_name", "user__first_name", "pk")
        .values_list("public_id", flat=True)
    )
    size = 4
    monkeypatch.setattr(report_views, "PAGE_SIZE", size)
    client = client_for(world.head)
    url = reverse("reports:school", args=[world.school.public_id])
    seen = []
    for number in range(1, (len(expected) + size - 1) // size + 1):
        response = client.get(url, {"page": number})
        assert response.status_code == 200
        page = response.context["page_obj"]
        assert page.paginator.count == len(expected)
        seen += [p.public_id for p in page.object_list]
    assert seen == expected  # every active person once, in name order; the leaver on none


def test_it_shows_a_hostile_name_as_text_in_every_table(world, client_for):
    from tests.factories import make_staff

    hostile = make_staff(
        world.trust, world.school, line_manager=world.manager, job_title='"Head" <b>of</b> year'
    )
    hostile.user.first_name = "<script>alert(1)</script>"
    hostile.user.last_name = "O'Brien & Co"
    hostile.user.save()
    for client, url in (
        (client_for(world.manager), reverse("reports:team")),
        (client_for(world.manager), "/"),
        (client_for(world.head), reverse("reports:school", args=[world.school.public_id])),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Brien &amp; Co" in body, url
