"""Writing frames with explicit slots. What the guide's frames leave to be deleted or filled in
by hand ("Self/Others/Trust (delete as appropriate)", "(e.g. …)", "you could provide some
examples of their good work here", "Please consider …", "by …") is a named slot ``[[name]]``
with a kind, so the reviewer makes a choice or types an input and nothing is left to delete.

Pure functions: the frame is a body string plus a slot mapping."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reviews.rubric import OUTCOME_VERBS

SLOT_RE = re.compile(r"\[\[([a-z][a-z0-9_]*)\]\]")
AREAS = ["Self", "Others", "Trust"]
SLOT_KINDS = {"areas", "choice", "text"}
# Filled from the review itself, never asked of the reviewer.
AUTO_SLOTS = {"outcome"}

# Text that must never survive into a statement.
LEFTOVERS = [
    "[[",
    "]]",
    "delete as appropriate",
    "(e.g.",
    "you could provide some examples",
    "Self/Others/Trust",
]


class FrameError(ValueError):
    """A frame is badly defined, or a choice is missing; ``errors`` maps slot → message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Slot:
    name: str
    kind: str
    label: str
    help: str = ""
    options: tuple[str, ...] = ()


def slots_in(body: str) -> list[str]:
    """Slot names in order of first appearance."""
    seen: list[str] = []
    for name in SLOT_RE.findall(body):
        if name not in seen:
            seen.append(name)
    return seen


def parse_slots(body: str, definitions: Mapping[str, Any]) -> list[Slot]:
    """Check a frame: every ``[[slot]]`` in the body is defined (or automatic), and every
    definition is used and well-formed. Returns the reviewer's slots in body order."""
    errors: dict[str, str] = {}
    used = slots_in(body)
    for name in used:
        if name not in definitions and name not in AUTO_SLOTS:
            errors[name] = f"[[{name}]] is in the text but not defined."
    for name in definitions:
        if name not in used:
            errors[name] = f"{name} is defined but not used in the text."
    slots: list[Slot] = []
    for name in used:
        spec = definitions.get(name)
        if spec is None:
            continue
        if not isinstance(spec, Mapping):
            errors[name] = "Each slot is an object with kind and label."
            continue
        kind = spec.get("kind")
        if kind not in SLOT_KINDS:
            errors[name] = f"Kind must be one of {', '.join(sorted(SLOT_KINDS))}."
            continue
        options = tuple(str(o) for o in spec.get("options", ()))
        if kind == "choice" and len(options) < 2:
            errors[name] = "A choice needs at least two options."
            continue
        label = str(spec.get("label") or "").strip()
        if not label:
            errors[name] = "Each slot needs a label."
            continue
        slots.append(Slot(name, kind, label, str(spec.get("help", "")), options))
    if errors:
        raise FrameError(errors)
    return slots


def join_areas(areas: list[str]) -> str:
    ordered = [a for a in AREAS if a in areas]
    if len(ordered) <= 1:
        return "".join(ordered)
    return ", ".join(ordered[:-1]) + " and " + ordered[-1]


def _clean_text(value: str) -> str:
    # Typed inputs sit mid-sentence: the frame supplies the full stop.
    return " ".join(value.split()).rstrip(" .")


def clean_choices(slots: list[Slot], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the reviewer's choices for a frame; errors name the slot's label."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for slot in slots:
        value = raw.get(slot.name)
        if slot.kind == "areas":
            values = value if isinstance(value, list | tuple) else ([value] if value else [])
            picked = [a for a in AREAS if a in values]
            if not picked:
                errors[slot.name] = f"{slot.label}: choose at least one of Self, Others, Trust."
            cleaned[slot.name] = picked
        elif slot.kind == "choice":
            if value not in slot.options:
                errors[slot.name] = f"{slot.label}: choose one of the options."
            cleaned[slot.name] = value or ""
        else:
            text = _clean_text(str(value or ""))
            if not text:
                errors[slot.name] = f"{slot.label}: this needs your words."
            cleaned[slot.name] = text
    if errors:
        raise FrameError(errors)
    return cleaned


def render_frame(body: str, slots: list[Slot], choices: Mapping[str, Any], *, outcome: str) -> str:
    """Fill a frame. ``choices`` must have passed ``clean_choices``."""
    by_name = {s.name: s for s in slots}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "outcome":
            return OUTCOME_VERBS[outcome]
        slot = by_name[name]
        value = choices[name]
        if slot.kind == "areas":
            return join_areas(list(value))
        return str(value)

    return SLOT_RE.sub(fill, body)


def leftovers(text: str) -> list[str]:
    """Frame text a reviewer would otherwise have had to delete by hand."""
    lowered = text.lower()
    return [marker for marker in LEFTOVERS if marker.lower() in lowered]
