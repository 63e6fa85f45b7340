"""Rendering a statement to PDF with WeasyPrint.

The renderer may read only our own static files (named ``static:<path>`` in the template and
resolved through the staticfiles finders, then STATIC_ROOT) and ``data:`` URIs. Everything
else — http(s), file://, ftp — is refused, so a statement's text can never make the server
fetch a URL or read a local file."""

from __future__ import annotations

import hashlib
import json
import mimetypes
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_SCHEME = "static:"
# Bump when the PDF template or its stylesheet changes, so every statement renders afresh.
TEMPLATE_VERSION = "3"


class RefusedURL(ValueError):
    """The PDF asked for something outside our static files."""


def static_path(relative: str) -> Path:
    """The file behind a static path, through the finders and then STATIC_ROOT; never a
    path outside them."""
    relative = relative.lstrip("/")
    if settings.STATIC_URL and relative.startswith(settings.STATIC_URL.lstrip("/")):
        relative = relative[len(settings.STATIC_URL.lstrip("/")) :]
    if not relative or ".." in Path(relative).parts:
        raise RefusedURL(f"Not a static file: {relative!r}")
    found = finders.find(relative)
    if found:
        return Path(found)
    root = Path(settings.STATIC_ROOT).resolve()
    candidate = (root / relative).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    raise RefusedURL(f"No such static file: {relative!r}")


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint URL fetcher for ``static:`` files and ``data:`` URIs only."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith(STATIC_SCHEME):
            path = static_path(url[len(STATIC_SCHEME) :])
            mime, _ = mimetypes.guess_type(path.name)
            return URLFetcherResponse(
                url, path.read_bytes(), {"Content-Type": mime or "application/octet-stream"}
            )
        raise RefusedURL(f"The PDF renderer does not fetch {url[:80]!r}.")


def statement_context(review: Any) -> dict[str, Any]:
    """Everything the PDF shows, as plain JSON-safe data: the hash is taken of this."""
    from reviews.selectors import objectives_for_review, part2_intro

    person = review.staff_member
    return {
        "template_version": TEMPLATE_VERSION,
        "trust": review.trust.name,
        "trust_colour": review.trust.brand_colour,
        "person": person.full_name,
        "school": person.school.name,
        "role": person.job_title,
        "category": person.get_category_display(),
        "career_stage": person.career_stage.name if person.career_stage_id else "",
        "cycle": review.cycle.name,
        "objectives": objectives_for_review(review),
        "cell": review.cell_label,
        "placed_outcome": review.get_placed_outcome_display(),
        "part1": review.part1,
        "part2_intro": part2_intro(review.trust_id),
        "part2_outcome": review.outcome_sentence,
        "considerations": review.considerations,
        "reviewer": review.reviewer.full_name,
        "reviewer_role": review.reviewer.job_title,
        "status": review.status,
        "decision": review.get_decision_display() if review.decision else "",
        "final_outcome": review.get_final_outcome_display() if review.final_outcome else "",
        "decision_reason": review.decision_reason,
        "decided_by": review.decided_by.full_name if review.decided_by_id else "",
        # Written as every page writes a date ("1 Dec 2026"), on the trust's local day.
        "decided_on": date_format(timezone.localdate(review.decided_at))
        if review.decided_at
        else "",
    }


def content_hash(context: dict[str, Any]) -> str:
    canonical = json.dumps(context, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def render_pdf(context: dict[str, Any]) -> bytes:
    html = render_to_string("reviews/statement_pdf.html", {"s": context})
    return HTML(string=html, url_fetcher=StaticOnlyFetcher(fail_on_errors=True)).write_pdf()
