"""The statement PDF in the app's words: its states as the pages name them, dates as every
page writes them, and the trust's name on a band of the trust's colour."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from growth.security.tenancy import trust_scope
from reviews import services
from reviews.pdf import statement_context
from tests.reviews_fixtures import placed_review


def _pdf_text(world, review) -> str:
    with trust_scope(world.trust):
        pdf = services.statement_pdf_render(pdf=services.statement_pdf_request(review=review))
    with default_storage.open(pdf.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_a_draft_says_what_it_is_waiting_for(world):
    text = _pdf_text(world, placed_review(world))
    assert "Draft: Draft" not in text
    assert "the reviewer has not submitted this statement yet" in text


def test_a_submitted_statement_awaits_the_final_decision(world):
    text = _pdf_text(world, placed_review(world, submit=True))
    assert "awaiting the final decision of the headteacher or manager" in text


def test_the_decision_is_dated_as_the_pages_date_it(world):
    review = placed_review(world, submit=True)
    with trust_scope(world.trust):
        services.review_decide(
            actor=world.head, review=review, outcome="exceeded", reason="Whole-school impact."
        )
    text = _pdf_text(world, review)
    today = timezone.localdate()
    assert f"on {date_format(today)}" in text
    assert today.isoformat() not in text


def test_the_trusts_name_sits_on_the_trusts_colour(world):
    world.trust.brand_colour = "#5b2a86"
    world.trust.save(update_fields=["brand_colour"])
    review = placed_review(world)
    with trust_scope(world.trust):
        html = render_to_string("reviews/statement_pdf.html", {"s": statement_context(review)})
    assert ".trust-band { background-color: #5b2a86; }" in html
    assert f'<p class="trust trust-band">{world.trust.name}</p>' in html
