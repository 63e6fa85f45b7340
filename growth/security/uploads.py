"""One validator for every file upload: size, extension and content signature; and the one
place a text upload is decoded.

Use it on a form or model field::

    from growth.security.uploads import UploadValidator
    file = forms.FileField(validators=[UploadValidator(kinds=("csv", "xlsx"))])

or call ``validate_upload(file, kinds=("pdf",))`` in a service, or ``upload_text(file,
kinds=("csv",))`` for the decoded text of a text upload. They raise a ValidationError naming
the problem (too large, wrong type, content not matching its name), so the form shows a clear
message and nothing is stored. The largest size defaults to GROWTH_UPLOAD_MAX_BYTES (5 MB);
Django's DATA_UPLOAD_MAX_MEMORY_SIZE bounds the rest of the request.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible


@dataclass(frozen=True)
class Kind:
    extensions: tuple[str, ...]
    signatures: tuple[bytes, ...]  # empty: a text format, checked by decoding instead
    label: str
    content_type: str
    # Text formats: the encodings accepted, in the order tried. Excel on Windows saves "CSV"
    # in Windows-1252; everything else is UTF-8.
    encodings: tuple[str, ...] = ("utf-8-sig",)


OFFICE = "application/vnd.openxmlformats-officedocument"
KINDS: dict[str, Kind] = {
    "pdf": Kind((".pdf",), (b"%PDF-",), "PDF", "application/pdf"),
    "csv": Kind((".csv",), (), "CSV", "text/csv", ("utf-8-sig", "cp1252")),
    "txt": Kind((".txt",), (), "text", "text/plain"),
    "xlsx": Kind((".xlsx",), (b"PK\x03\x04",), "Excel (.xlsx)", f"{OFFICE}.spreadsheetml.sheet"),
    "docx": Kind(
        (".docx",), (b"PK\x03\x04",), "Word (.docx)", f"{OFFICE}.wordprocessingml.document"
    ),
    "pptx": Kind(
        (".pptx",),
        (b"PK\x03\x04",),
        "PowerPoint (.pptx)",
        f"{OFFICE}.presentationml.presentation",
    ),
    "png": Kind((".png",), (b"\x89PNG\r\n\x1a\n",), "PNG image", "image/png"),
    "jpeg": Kind((".jpg", ".jpeg"), (b"\xff\xd8\xff",), "JPEG image", "image/jpeg"),
    "yaml": Kind((".yaml", ".yml"), (), "YAML", "application/yaml"),
    "json": Kind((".json",), (), "JSON", "application/json"),
}
SAMPLE_BYTES = 4096


def _decodes(data: bytes, encoding: str, *, whole: bool) -> str | None:
    """``data`` decoded, or None. A sample (``whole`` false) may end inside a multi-byte
    character: the incremental decoder keeps those bytes back instead of failing on them."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data, final=whole)
    except UnicodeDecodeError:
        return None


def _is_text(head: bytes, encodings: tuple[str, ...]) -> bool:
    if b"\x00" in head:
        return False
    return any(_decodes(head, e, whole=False) is not None for e in encodings)


def validate_upload(file: Any, *, kinds: Iterable[str], max_bytes: int | None = None) -> str:
    """Check ``file`` (an UploadedFile or File); return the matching kind's key."""
    kinds = tuple(kinds)
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
    limit = max_bytes or getattr(settings, "GROWTH_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
    allowed = ", ".join(KINDS[k].label for k in kinds)
    size = getattr(file, "size", None)
    if size is None or size == 0:
        raise ValidationError("The file is empty.", code="empty")
    if size > limit:
        raise ValidationError(
            f"The file is too large ({filesizeformat(size)}); the limit is "
            f"{filesizeformat(limit)}.",
            code="too_large",
        )
    name = (getattr(file, "name", "") or "").lower()
    matching = [k for k in kinds if name.endswith(KINDS[k].extensions)]
    if not matching:
        raise ValidationError(f"That type of file is not accepted; upload {allowed}.", code="type")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(SAMPLE_BYTES)
    file.seek(position)
    for key in matching:
        kind = KINDS[key]
        if kind.signatures and head.startswith(kind.signatures):
            return key
        if not kind.signatures and _is_text(head, kind.encodings):
            return key
    raise _mismatch(allowed)


def _mismatch(allowed: str) -> ValidationError:
    return ValidationError(
        f"The file's content does not match its name; upload {allowed}.", code="content"
    )


def upload_text(file: Any, *, kinds: Iterable[str], max_bytes: int | None = None) -> str:
    """Validate a text upload (``validate_upload``) and return all of it decoded, in the first
    of its kind's encodings that decodes the whole file."""
    kinds = tuple(kinds)
    kind = KINDS[validate_upload(file, kinds=kinds, max_bytes=max_bytes)]
    if kind.signatures:
        raise ValueError(f"{kind.label} is not a text format.")
    file.seek(0)
    raw = file.read()
    file.seek(0)
    if b"\x00" not in raw:
        for encoding in kind.encodings:
            text = _decodes(raw, encoding, whole=True)
            if text is not None:
                return text
    raise _mismatch(", ".join(KINDS[k].label for k in kinds))


@deconstructible
class UploadValidator:
    """Field validator form of ``validate_upload``."""

    def __init__(self, kinds: Iterable[str] = ("pdf",), max_bytes: int | None = None) -> None:
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, file: Any) -> None:
        validate_upload(file, kinds=self.kinds, max_bytes=self.max_bytes)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_bytes))
