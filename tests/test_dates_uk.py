"""Dates read as 23 Nov 2026 whatever language the browser asks for."""


def test_it_shows_uk_dates_to_a_browser_asking_for_us_english(world, client_for):
    client = client_for(world.manager)
    page = client.get(
        f"/people/{world.staff.public_id}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert "1 Sep 2020" in page
    assert "Sept." not in page


def test_report_cells_write_dates_as_djangos_formatter_does():
    import datetime as dt

    from django.utils.formats import date_format

    from growth.reports import short_date

    for month in range(1, 13):
        day = dt.date(2026, month, 3 if month % 2 else 28)
        assert short_date(day) == date_format(day, "j M Y")
