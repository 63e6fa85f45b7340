"""Dates read as 23 Nov 2026 whatever language the browser asks for."""


def test_it_shows_uk_dates_to_a_browser_asking_for_us_english(world, client_for):
    client = client_for(world.manager)
    page = client.get(
        f"/people/{world.staff.public_id}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert "1 Sep 2020" in page
    assert "Sept." not in page
