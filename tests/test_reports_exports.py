"""Every report table exports to CSV and XLSX, holding exactly the page's rows and columns and
nothing of another school or trust."""

import re

import pytest
from django.urls import reverse

from tests.dashboards_fixtures import csv_rows, xlsx_rows
from tests.factories import make_staff


def page_rows(body: str, table_id: str) -> list[list[str]]:
    """The header and body rows of a table on the page, as text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', body, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip() for c in cells])
    return rows


FIGURES = re.compile(r"^(\d+) of (\d+)(?: \((\d+)%\))?$")


def as_exported(shown: list[list[str]], headers: list[str]) -> list[list[str]]:
    """The page's rows as the export writes them: a "6 of 8 (75%)" cell in a numeric column
    per figure ("Check-ins held", "…: of" or "…: expected", "…: %")."""
    page_headers = shown[0]
    rows = [headers]
    for row in shown[1:]:
        out = []
        for header in headers:
            base, suffix = (header, "") if header in page_headers else header.split(": ", 1)
            text = row[page_headers.index(base)]
            found = FIGURES.match(text)
            if found is None:
                out.append("" if suffix else text)
            else:
                index = 0 if not suffix else (2 if suffix == "%" else 1)
                out.append(found.group(index + 1) or "")
        rows.append(out)
    return rows


def unescape(rows):
    import html

    return [[html.unescape(c) for c in row] for row in rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_the_team_table_as_shown(world, other_world, client_for, fmt):
    client = client_for(world.manager)
    url = reverse("reports:team")
    shown = unescape(page_rows(client.get(url).content.decode(), "table-team"))
    response = client.get(url, {"export": "team", "format": fmt})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    exported = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert exported == as_exported(shown, exported[0])
    names = {row[0] for row in exported[1:]}
    assert names == {world.staff.full_name, world.support.full_name}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_every_school_side_by_side_only_of_its_own_trust(
    world, other_world, client_for, fmt
):
    client = client_for(world.admin)
    url = reverse("reports:trust")
    shown = unescape(page_rows(client.get(url).content.decode(), "table-schools"))
    response = client.get(url, {"export": "schools", "format": fmt})
    exported = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert exported == as_exported(shown, exported[0])
    schools = {row[0] for row in exported[1:]}
    assert schools == {world.school.name, world.other_school.name, world.central.name}
    assert other_world.school.name not in str(exported)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_a_school_s_staff_and_nobody_else(world, other_world, client_for, fmt):
    stranger = make_staff(other_world.trust, other_world.school, first_name="Zed", last_name="Far")
    client = client_for(world.head)
    url = reverse("reports:school", args=[world.school.public_id])
    shown = unescape(page_rows(client.get(url).content.decode(), "table-people"))
    response = client.get(url, {"export": "people", "format": fmt})
    exported = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert exported == as_exported(shown, exported[0])
    names = {row[0] for row in exported[1:]}
    assert world.staff.full_name in names
    assert world.other_school_staff.full_name not in names
    assert stranger.full_name not in str(exported)
    summary = client.get(url, {"export": "summary", "format": fmt})
    rows = csv_rows(summary) if fmt == "csv" else xlsx_rows(summary)
    assert rows[0][:2] == ["Measure", "Value"]
    assert ["Staff", "5"] in [row[:2] for row in rows]


def test_it_refuses_an_unknown_table_or_format(world, client_for):
    client = client_for(world.admin)
    url = reverse("reports:trust")
    assert client.get(url, {"export": "people", "format": "csv"}).status_code == 404
    assert client.get(url, {"export": "schools", "format": "pdf"}).status_code == 404


def test_it_scopes_an_export_like_the_page_for_another_trust(world, other_world, client_for):
    url = reverse("reports:school", args=[world.school.public_id])
    response = client_for(other_world.admin).get(url, {"export": "people", "format": "csv"})
    assert response.status_code == 404


def test_the_spreadsheet_keeps_text_as_text_and_numbers_as_numbers(world, client_for):
    import io

    import openpyxl

    make_staff(world.trust, world.school, line_manager=world.manager, job_title="=1+1")
    response = client_for(world.manager).get(
        reverse("reports:team"), {"export": "team", "format": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    headers = [c.value for c in sheet[1]]
    titles = [row[headers.index("Job title")] for row in sheet.iter_rows(min_row=2)]
    formula_like = next(c for c in titles if c.value == "=1+1")
    assert formula_like.data_type == "s"  # shown as typed, never run as a formula
    overdue = sheet.cell(row=2, column=1 + headers.index("Check-ins overdue"))
    assert isinstance(overdue.value, int)


def test_the_csv_keeps_a_formula_like_name_from_running_as_a_formula(world, client_for):
    make_staff(world.trust, world.school, line_manager=world.manager, job_title="=1+1")
    make_staff(world.trust, world.school, line_manager=world.manager, job_title="@SUM(A1)")
    make_staff(world.trust, world.school, line_manager=world.manager, job_title="Teacher")
    manager = client_for(world.manager)
    page = manager.get(reverse("reports:team")).content.decode()
    assert "=1+1" in page and "'=1+1" not in page  # the page shows it as typed
    header, *rows = csv_rows(
        manager.get(reverse("reports:team"), {"export": "team", "format": "csv"})
    )
    titles = {row[header.index("Job title")] for row in rows}
    assert {"'=1+1", "'@SUM(A1)", "Teacher"} <= titles
    assert "=1+1" not in titles
