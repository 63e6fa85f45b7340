"""Cycles with their terms and closures, edited in the browser by trust admins."""

from __future__ import annotations

import datetime as dt

from growth.models import AuditEvent, GrowthCycle
from growth.security.tenancy import trust_scope


def cycle_data(name="2027-28", terms=(), closures=(), **overrides):
    data = {
        "name": name,
        "start_date": "2027-09-01",
        "end_date": "2028-08-31",
        "objectives_deadline": "2027-10-31",
        "reflection_opens": "2028-06-21",
        "reflection_closes": "2028-07-09",
        "review_deadline": "2028-07-16",
        "final_decision_deadline": "2028-07-21",
    }
    for prefix, rows in (("terms", terms), ("closures", closures)):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = 0
        for i, row in enumerate(rows):
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    data.update(overrides)
    return data


def test_it_creates_a_cycle_with_terms_and_closures(world, client_for):
    terms = [
        {"name": "Autumn 1", "start_date": "2027-09-02", "end_date": "2027-10-22"},
        {"name": "Autumn 2", "start_date": "2027-11-01", "end_date": "2027-12-17"},
        {"name": "", "start_date": "", "end_date": ""},
    ]
    closures = [{"name": "Training day", "start_date": "2027-11-01", "end_date": "2027-11-01"}]
    response = client_for(world.admin).post(
        "/trust/cycles/new/", cycle_data(terms=terms, closures=closures)
    )
    assert response.status_code == 302, response.content.decode()
    with trust_scope(world.trust):
        cycle = GrowthCycle.objects.get(name="2027-28")
        assert [t.name for t in cycle.terms.all()] == ["Autumn 1", "Autumn 2"]
        assert [c.name for c in cycle.closures.all()] == ["Training day"]
        event = AuditEvent.objects.get(action="cycle.create")
    assert event.after["terms"][0] == ["Autumn 1", "2027-09-02", "2027-10-22"]
    assert response["Location"] == f"/trust/cycles/{cycle.public_id}/"


def test_it_edits_renames_and_removes_terms(world, client_for):
    cycle = world.cycle
    with trust_scope(world.trust):
        terms = list(cycle.terms.all())
    client = client_for(world.admin)
    page = client.get(f"/trust/cycles/{cycle.public_id}/").content.decode()
    assert 'value="Autumn 1"' in page and 'value="2026-09-02"' in page
    rows = [
        {
            "public_id": t.public_id,
            "name": t.name,
            "start_date": t.start_date,
            "end_date": t.end_date,
        }
        for t in terms
    ]
    rows[0]["name"] = "Autumn term, first half"
    rows[5]["DELETE"] = "on"
    data = cycle_data(
        name="2026-27",
        terms=rows,
        start_date="2026-09-01",
        end_date="2027-08-31",
        objectives_deadline="2026-10-31",
        reflection_opens="2027-06-21",
        reflection_closes="2027-07-09",
        review_deadline="2027-07-16",
        final_decision_deadline="2027-07-21",
    )
    data["terms-INITIAL_FORMS"] = 6
    response = client.post(f"/trust/cycles/{cycle.public_id}/", data)
    assert response.status_code == 302, response.content.decode()
    with trust_scope(world.trust):
        names = [t.name for t in cycle.terms.all()]
        kept = cycle.terms.get(name="Autumn term, first half")
    assert len(names) == 5 and "Summer 2" not in names
    assert kept.pk == terms[0].pk  # the same row, renamed: check-ins that point at it stay


def test_it_refuses_overlapping_terms_and_dates_outside_the_cycle_and_saves_nothing(
    world, client_for
):
    terms = [
        {"name": "Autumn 1", "start_date": "2027-09-02", "end_date": "2027-10-22"},
        {"name": "Autumn 2", "start_date": "2027-10-20", "end_date": "2027-12-17"},
    ]
    closures = [{"name": "Too late", "start_date": "2028-09-10", "end_date": "2028-09-10"}]
    response = client_for(world.admin).post(
        "/trust/cycles/new/", cycle_data(terms=terms, closures=closures)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Terms &#x27;Autumn 1&#x27; and &#x27;Autumn 2&#x27; overlap." in page
    assert "Closure &#x27;Too late&#x27; is not inside the cycle." in page
    assert 'value="2027-10-20"' in page  # what was typed is kept
    with trust_scope(world.trust):
        assert not GrowthCycle.objects.filter(name="2027-28").exists()


def test_it_names_a_bad_cycle_date(world, client_for):
    response = client_for(world.admin).post(
        "/trust/cycles/new/", cycle_data(objectives_deadline="2029-01-01")
    )
    assert response.status_code == 400
    assert "This date must fall inside the cycle." in response.content.decode()


def test_a_duplicate_cycle_name_is_a_form_error_not_a_crash(world, client_for):
    response = client_for(world.admin).post("/trust/cycles/new/", cycle_data(name="2026-27"))
    assert response.status_code == 400
    assert "already has a cycle with that name" in response.content.decode()


def test_the_cycle_list_shows_dates_the_uk_way(world, client_for):
    page = client_for(world.admin).get("/trust/cycles/").content.decode()
    assert "1 Sep 2026 \u2013 31 Aug 2027" in page and "31 Oct 2026" in page


def test_other_roles_are_forbidden_and_other_trusts_get_404(world, other_world, client_for):
    url = f"/trust/cycles/{world.cycle.public_id}/"
    assert client_for(world.head).get(url).status_code == 403
    assert client_for(world.head).get("/trust/cycles/").status_code == 403
    assert client_for(other_world.admin).get(url).status_code == 404
    assert client_for(other_world.admin).post(url, cycle_data()).status_code == 404
    assert dt.date(2026, 9, 1) == GrowthCycle.objects.for_trust(world.trust).get().start_date
