"""growth/security/uploads.py, the one validation of every upload: text is recognised however its
characters fall across the 4,096-byte sample, and decoded once, whole."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from growth.security.uploads import SAMPLE_BYTES, upload_text, validate_upload

# Two-, three- and four-byte characters, cut after each of their bytes but the last.
CUTS = [("é", 1), ("€", 1), ("€", 2), ("😀", 1), ("😀", 2), ("😀", 3)]


@pytest.mark.parametrize(("character", "cut"), CUTS)
def test_it_accepts_utf8_text_whose_sample_ends_inside_a_character(character, cut):
    text = "a" * (SAMPLE_BYTES - cut) + character * 50
    content = text.encode()
    assert content[:SAMPLE_BYTES].endswith(character.encode()[:cut])  # the cut is real
    for name, kind in (("notes.txt", "txt"), ("staff.csv", "csv")):
        assert validate_upload(SimpleUploadedFile(name, content), kinds=(kind,)) == kind
        assert upload_text(SimpleUploadedFile(name, content), kinds=(kind,)) == text


def test_it_still_refuses_a_broken_character_inside_the_sample():
    content = b"a" * 100 + b"\xc3(" + b"b" * 5000
    with pytest.raises(ValidationError, match="does not match"):
        validate_upload(SimpleUploadedFile("notes.txt", content), kinds=("txt",))


def test_it_refuses_text_that_breaks_after_the_sample_when_decoding_it():
    content = b"a" * 5000 + b"\xff\xfe" + b"b" * 10
    upload = SimpleUploadedFile("notes.txt", content)
    assert validate_upload(upload, kinds=("txt",)) == "txt"
    with pytest.raises(ValidationError, match="does not match"):
        upload_text(upload, kinds=("txt",))


def test_it_decodes_a_windows_1252_csv_from_excel():
    content = "Zoë,Brontë\n".encode("cp1252")
    assert upload_text(SimpleUploadedFile("staff.csv", content), kinds=("csv",)) == "Zoë,Brontë\n"


def test_it_drops_the_byte_order_mark():
    content = "\ufeffname\n".encode()
    assert upload_text(SimpleUploadedFile("staff.csv", content), kinds=("csv",)) == "name\n"
