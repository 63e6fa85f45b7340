"""One export mechanism for every report table: the page's own URL with
``?export=<table key>&format=csv|xlsx``. The view builds the table from the same selector as
the page, so an export can never hold more (or other) rows than the page's scope."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from growth.reports import ReportTable

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_requested(request: HttpRequest) -> tuple[str, str] | None:
    """(table key, format) when the request asks for an export, else None; 404 for a format we
    do not write."""
    key = request.GET.get("export")
    if not key:
        return None
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        raise Http404("No such export format.")
    return key, fmt


_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")


def xlsx_bytes(table: ReportTable) -> bytes:
    """The table as one worksheet: a bold, frozen header row, columns as wide as their
    contents, numbers as numbers and every text as text. openpyxl's write-only mode streams
    the rows (a third faster than building the whole sheet in memory) and writes them through
    lxml (a dependency for this reason: half the time again), and text is typed as text so a
    name that starts with "=" can never run as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_SHEET_TITLE_FORBIDDEN.sub("-", table.caption)[:31] or "Report")
    sheet.freeze_panes = "A2"
    rows = [[cell.export_value for cell in row] for row in table.rows]
    if table.total:
        rows.append([cell.export_value for cell in table.total])
    headers = [c.label for c in table.columns]
    for i, header in enumerate(headers):
        longest = max([len(header), *(len(str(row[i])) for row in rows if i < len(row))])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(longest + 2, 60)
    bold = Font(bold=True)

    def cell(value: Any, font: Font | None = None) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"  # text, never a formula
        if font is not None:
            written.font = font
        return written

    sheet.append([cell(h, bold) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_response(table: ReportTable, fmt: str, *, name: str) -> HttpResponse:
    if fmt == "xlsx":
        body: str | bytes = xlsx_bytes(table)
    else:
        # A byte-order mark so spreadsheet programs read UTF-8 names correctly.
        body = "\ufeff" + table.dataset().export(fmt)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    filename = f"{slugify(name)}-{slugify(table.key)}-{stamp}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def export_links(request: HttpRequest, key: str) -> dict[str, str]:
    """The page's own URL and query string plus the export parameters, per format."""
    return export_urls(request.path, key, request.GET)


def export_urls(path: str, key: str, query: Mapping[str, str] | None = None) -> dict[str, str]:
    links = {}
    for fmt in FORMATS:
        params = {k: v for k, v in (query or {}).items() if k not in ("export", "format", "page")}
        params.update(export=key, format=fmt)
        links[fmt] = f"{path}?{urlencode(params)}"
    return links
