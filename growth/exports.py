"""One export mechanism for every report table: the page's own URL with
``?export=<table key>&format=csv|xlsx``. The view builds the table from the same selector as
the page, so an export can never hold more (or other) rows than the page's scope."""

from __future__ import annotations

from collections.abc import Mapping
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


def export_response(table: ReportTable, fmt: str, *, name: str) -> HttpResponse:
    data = table.dataset()
    body = data.export(fmt)
    if fmt == "csv":
        # A byte-order mark so spreadsheet programs read UTF-8 names correctly.
        body = "\ufeff" + body
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
