"""Exports give each figure of "6 of 8 (75%)" a numeric column of its own, so a spreadsheet
can sum and filter them; the page keeps its wording."""

from __future__ import annotations

import io

import openpyxl

from growth.reporting.exports import export_response, xlsx_bytes
from growth.reporting.reports import Cell, Column, ReportTable, count_of


def table() -> ReportTable:
    return ReportTable(
        key="schools",
        caption="Schools",
        columns=[Column("school", "School", is_row_header=True), Column("held", "Check-ins held")],
        rows=[[Cell("Alpha"), count_of(6, 8)], [Cell("Beta"), count_of(0, 0)]],
    )


def test_the_page_keeps_its_wording():
    assert table().rows[0][1].text == "6 of 8 (75%)"


def test_the_excel_file_holds_numbers_in_their_own_columns():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table()))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("School", "Check-ins held", "Check-ins held: of", "Check-ins held: %")
    assert rows[1] == ("Alpha", 6, 8, 75)
    assert rows[2][:2] == ("Beta", 0)


def test_the_csv_file_holds_the_same_columns():
    body = export_response(table(), "csv", name="t").content.decode("utf-8-sig")
    lines = body.splitlines()
    assert lines[0] == "School,Check-ins held,Check-ins held: of,Check-ins held: %"
    assert lines[1] == "Alpha,6,8,75"
