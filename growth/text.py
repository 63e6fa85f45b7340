"""Text as typed, made storable."""

from __future__ import annotations

from typing import Any


def without_nul(value: Any) -> Any:
    """``value`` with U+0000 removed from every string in it: PostgreSQL cannot store it in
    text or JSON. For drafts saved as typed (autosaves), which no form validates; a form's
    CharField refuses it with a message instead."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [without_nul(v) for v in value]
    return value
