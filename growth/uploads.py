"""One validator for every file upload: size, extension and content signature.

Use it on a form or model field::

    from growth.uploads import UploadValidator
    file = forms.FileField(validators=[UploadValidator(kinds=("csv", "xlsx"))])

or call ``validate_upload(file, kinds=("pdf",))`` in a service. It raises a ValidationError
naming the problem (too large, wrong type, content not matching its name), so the form shows a
clear message and nothing is stored. The largest size defaults to GROWTH_UPLOAD_MAX_BYTES
(5 MB); Django's DATA_UPLOAD_MAX_MEMORY_SIZE bounds the rest of the request.
"""

from __future__ import annotations

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
    signatures: tuple[bytes, ...]  # empty: a text format, checked as UTF-8 instead
    label: str


KINDS: dict[str, Kind] = {
    "pdf": Kind((".pdf",), (b"%PDF-",), "PDF"),
    "csv": Kind((".csv",), (), "CSV"),
    "txt": Kind((".txt",), (), "text"),
    "xlsx": Kind((".xlsx",), (b"PK\x03\x04",), "Excel (.xlsx)"),
    "docx": Kind((".docx",), (b"PK\x03\x04",), "Word (.docx)"),
    "png": Kind((".png",), (b"\x89PNG\r\n\x1a\n",), "PNG image"),
    "jpeg": Kind((".jpg", ".jpeg"), (b"\xff\xd8\xff",), "JPEG image"),
    "yaml": Kind((".yaml", ".yml"), (), "YAML"),
    "json": Kind((".json",), (), "JSON"),
}


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is fine.
        return exc.start >= len(head) - 3
    return True


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
    head = file.read(4096)
    file.seek(position)
    for key in matching:
        kind = KINDS[key]
        if kind.signatures and head.startswith(kind.signatures):
            return key
        if not kind.signatures and _is_text(head):
            return key
    raise ValidationError(
        f"The file's content does not match its name; upload {allowed}.", code="content"
    )


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
