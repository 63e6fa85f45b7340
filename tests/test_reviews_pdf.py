"""The statement PDF: WeasyPrint with a static-only fetcher, content-hash dedup, a task on
the pdf queue, stored through default_storage and served only to those allowed."""

from __future__ import annotations

import base64
import io
import re
import time

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from growth.security.tenancy import trust_scope
from reviews import services
from reviews.models import StatementPdf
from reviews.pdf import RefusedURL, StaticOnlyFetcher, content_hash, statement_context
from tests.reviews_fixtures import GOOD_WORK, placed_review


def _text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def _render(world, review) -> StatementPdf:
    with trust_scope(world.trust):
        pdf = services.statement_pdf_request(review=review)
        return services.statement_pdf_render(pdf=pdf)


def _fonts(reader: PdfReader) -> set[str]:
    """The fonts the PDF's pages are set in ("DejaVu-Sans-Bold", …)."""
    return {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_its_digits_and_page_number_are_in_the_text_font_not_the_emoji_font(world):
    """The cycle "2026-27", the date and "Page 1" read as the words around them: an emoji font
    in the stack once set every digit as a spaced-out grey picture, the page number in a serif."""
    review = placed_review(world, submit=True)
    with trust_scope(world.trust):
        services.review_decide(actor=world.head, review=review, outcome=review.placed_outcome)
    pdf = _render(world, review)
    with default_storage.open(pdf.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert "2026-27" in (reader.pages[0].extract_text() or "")
    assert _fonts(reader) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_it_renders_the_statement_and_its_text_is_in_the_pdf(world):
    review = placed_review(world, submit=True)
    with trust_scope(world.trust):
        services.review_decide(
            actor=world.head, review=review, outcome="exceeded", reason="Whole-school impact."
        )
    pdf = _render(world, review)
    assert pdf.status == StatementPdf.Status.READY
    with default_storage.open(pdf.file.name, "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = _text(data)
    for expected in (
        world.trust.name,
        world.staff.full_name,
        world.school.name,
        "Teacher of English",
        "2026-27",
        "You have met your Professional Growth objectives.",
        GOOD_WORK,
        "my recommendation is that you have:",
        "Exceeded your professional growth expectations for 2026-27",
        world.manager.full_name,
        "Amended by",
        world.head.full_name,
        "Whole-school impact.",
    ):
        assert expected in text, expected
    assert pdf.render_ms is not None


def test_it_never_renders_unchanged_content_twice_and_renders_a_change(world):
    review = placed_review(world)
    first = _render(world, review)
    name = first.file.name
    with trust_scope(world.trust):
        again = services.statement_pdf_request(review=review)
        assert again.pk == first.pk and again.status == StatementPdf.Status.READY
        assert StatementPdf.objects.filter(review=review).count() == 1
        services.statement_save(
            actor=world.manager, review=review, part1=review.part1 + "\n\nOne more sentence."
        )
        review.refresh_from_db()
    changed = _render(world, review)
    assert changed.pk != first.pk
    assert changed.content_hash != first.content_hash
    assert changed.file.name != name
    with default_storage.open(changed.file.name, "rb") as handle:
        assert "One more sentence." in _text(handle.read())


def test_it_hashes_everything_the_pdf_shows(world):
    review = placed_review(world)
    with trust_scope(world.trust):
        before = content_hash(statement_context(review))
        review.staff_member.job_title = "Second in English"
        assert content_hash(statement_context(review)) != before


def test_it_refuses_external_urls_and_local_files():
    fetcher = StaticOnlyFetcher()
    for url in (
        "http://example.com/x.css",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        "ftp://example.com/a",
        "static:../../growth/settings/base.py",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    # And inside WeasyPrint itself: a document that asks for them fails to render.
    for url in ("https://example.com/a.css", "file:///etc/hostname"):
        html = f'<link rel="stylesheet" href="{url}"><p>x</p>'
        with pytest.raises(FatalURLFetchingError):
            HTML(string=html, url_fetcher=StaticOnlyFetcher(fail_on_errors=True)).write_pdf()


def test_it_allows_our_static_files_and_data_uris():
    fetcher = StaticOnlyFetcher()
    css = fetcher.fetch("static:reviews/statement-pdf.css")
    assert b"DejaVu Sans" in css.read()
    assert css.content_type == "text/css"
    pixel = base64.b64encode(
        b"GIF89a\x01\x00\x01\x00\x00\xff\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;"
    )
    data = fetcher.fetch("data:image/gif;base64," + pixel.decode())
    assert data.read().startswith(b"GIF89a")


# --- Serving --------------------------------------------------------------------------------


def test_it_hides_the_pdf_from_the_person_until_release(
    world, client_for, django_capture_on_commit_callbacks
):
    review = placed_review(world, submit=True)
    url = f"/reviews/{review.public_id}/pdf/"
    assert client_for(world.staff).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.manager).get(url)
    assert response.status_code in (200, 202)
    with trust_scope(world.trust), django_capture_on_commit_callbacks(execute=True):
        services.review_decide(actor=world.head, review=review, outcome=review.placed_outcome)
    response = client_for(world.staff).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "You have met" in _text(b"".join(response.streaming_content))


def test_it_serves_the_pdf_only_to_those_allowed(
    world, other_world, client_for, django_capture_on_commit_callbacks
):
    review = placed_review(world, submit=True)
    with trust_scope(world.trust), django_capture_on_commit_callbacks(execute=True):
        services.review_decide(actor=world.head, review=review, outcome=review.placed_outcome)
    url = f"/reviews/{review.public_id}/pdf/"
    for person in (world.staff, world.manager, world.head, world.admin):
        assert client_for(person).get(url).status_code == 200, person
    for person in (world.colleague, world.support, world.other_head, world.other_school_staff):
        assert client_for(person).get(url).status_code == 404, person
    for person in other_world.everyone.values():
        assert client_for(person).get(url).status_code == 404, person
    assert client_for(None).get(url).status_code == 302


def test_it_shows_progress_while_the_pdf_is_prepared(world, client_for):
    review = placed_review(world)
    # Without running on-commit callbacks the task has not run: the page waits and polls.
    response = client_for(world.manager).get(f"/reviews/{review.public_id}/pdf/")
    assert response.status_code == 202
    assert b"being prepared" in response.content
    assert b"hx-get" in response.content
    status = client_for(world.manager).get(f"/reviews/{review.public_id}/pdf/status/")
    assert b"being prepared" in status.content


@pytest.mark.celery_worker
def test_it_renders_the_pdf_in_a_real_worker_on_the_pdf_queue(world, celery_worker):
    review = placed_review(world)
    with trust_scope(world.trust):
        pdf = services.statement_pdf_request(review=review)
    # on_commit runs at once under transactional_db: the task went to the broker.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pdf.refresh_from_db()
        if pdf.status != StatementPdf.Status.PENDING:
            break
        time.sleep(0.3)
    assert pdf.status == StatementPdf.Status.READY, pdf.error
    with default_storage.open(pdf.file.name, "rb") as handle:
        assert GOOD_WORK in _text(handle.read())


def test_it_prints_every_character_of_any_script_and_wraps_a_long_word(world):
    """Polish, Arabic and Chinese names, emoji, and a 5,000-character word with no space:
    every character comes back out of the PDF, in fonts that have it, and nothing is wider
    than the page."""
    names = {
        world.staff.user: ("Zażółć", "Gęślą-Jaźń"),
        world.manager.user: ("ليلى", "العربي"),
    }
    for user, (first, last) in names.items():
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    long_word = "".join(chr(ord("a") + i % 26) for i in range(5000))
    emoji = "🎉👩‍🏫✅"
    review = placed_review(world, write=False)
    with trust_scope(world.trust):
        services.statement_save(
            actor=world.manager,
            review=review,
            part1=f"A year to celebrate {emoji}, coaching 王小明 with {long_word} and done.",
        )
    pdf = _render(world, review)
    with default_storage.open(pdf.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pages = [re.sub(r"Page \d+\s*$", "", page.extract_text() or "") for page in reader.pages]
    text = "".join(pages)
    flat = "".join(text.split())
    for expected in ("Zażółć", "Gęślą-Jaźń", "ليلى", "العربي", "王小明", emoji, long_word):
        assert expected in flat, expected
    # Wrapped: no line of the PDF holds more than a line's worth of the word.
    assert max(len(line) for line in text.splitlines()) < 120
    # Each script was set in a font that has it, not in boxes of the Latin font.
    fonts = _fonts(reader)
    assert any(f.startswith("Noto-Color-Emoji") for f in fonts), fonts
    assert any(f.startswith("Noto-Sans-CJK") for f in fonts), fonts
