"""Dates read as 23 Nov 2026 whatever language the browser asks for."""


def test_it_shows_uk_dates_to_a_browser_asking_for_us_english(world, client_for):
    client = client_for(world.manager)
    page = client.get(
        f"/people/{world.staff.public_id}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert "1 Sep 2020" in page
    assert "Sept." not in page


def test_a_prefilled_date_input_holds_the_iso_date_a_browser_shows(world, client_for):
    page = client_for(world.staff).get(
        f"/checkins/people/{world.staff.public_id}/record/?due=2026-09-15"
    )
    html = page.content.decode()
    assert 'type="date" name="held_on" value="2026-09-15"' in html
    assert "15/09/2026" not in html


def test_a_date_input_accepts_what_a_browser_sends_and_what_people_type():
    import datetime as dt

    from growth.domain.forms import DateField

    field = DateField()
    assert field.clean("2026-09-15") == dt.date(2026, 9, 15)
    assert field.clean("15/09/2026") == dt.date(2026, 9, 15)


def test_dates_and_times_shown_to_people_use_the_apps_one_format():
    import datetime as dt

    from django.template import Context, Template

    rendered = Template(
        '{{ day|date }}|{{ day|date:"SHORT_DATE_FORMAT" }}|{{ at|date:"DATETIME_FORMAT" }}'
    ).render(Context({"day": dt.date(2026, 12, 1), "at": dt.datetime(2026, 12, 1, 9, 5)}))
    assert rendered == "1 Dec 2026|1 Dec 2026|1 Dec 2026, 09:05"
