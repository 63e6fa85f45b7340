"""Helpers for the dashboards tests: grow a TrustWorld by N people at once."""

from __future__ import annotations

import csv
import io

import openpyxl

from growth.models import School, StaffMember
from tests.factories import TrustWorld, make_staff


def add_people(
    world: TrustWorld, n: int, *, school: School | None = None, manager: StaffMember | None = None
) -> list[StaffMember]:
    school = school or world.school
    manager = manager or world.manager
    return [
        make_staff(world.trust, school, line_manager=manager, last_name=f"Extra{i:03d}")
        for i in range(n)
    ]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode() if response.streaming else None
    text = text if text is not None else response.content.decode()
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def xlsx_rows(response) -> list[list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
