"""Reading a framework file (YAML or JSON) a trust writes itself, as documented in
``fixtures/example_framework.yaml``. Validation happens in full before anything is written, and
every problem is reported with its place in the file, e.g. ``standards[3].code: duplicate code
'2a'``."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils.text import slugify

from growth.models import CareerStage, StaffMember

FRAMEWORK_KEYS = {"code", "name", "description", "applies_to", "order", "standards"}
STANDARD_KEYS = {
    "code",
    "text",
    "title",
    "label",
    "alt_code",
    "part",
    "descriptors",
    "standards",
}
SLUG = re.compile(r"^[-a-z0-9_]+$")
MAX_CODE = 20


class FrameworkFileError(ValueError):
    """The file cannot be loaded; ``problems`` name each place in the file."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class StandardSpec:
    code: str
    text: str
    title: str = ""
    label: str = ""
    alt_code: str = ""
    part: str = ""
    parent_code: str | None = None
    # None: the file says nothing about descriptors; {} or stages: exactly these.
    descriptors: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class FrameworkSpec:
    code: str
    name: str
    description: str = ""
    applies_to: list[str] = field(default_factory=list)
    order: int = 100
    standards: list[StandardSpec] = field(default_factory=list)


def read_framework_file(path: str | Path) -> Any:
    """Parse the file as JSON (``.json``) or YAML (anything else)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkFileError([f"{path}: cannot be read ({exc})"]) from exc
    return parse_framework_text(text, as_json=path.suffix.lower() == ".json")


def parse_framework_text(text: str, *, as_json: bool) -> Any:
    """Parse a framework file's text (a file on disk, or one uploaded in the browser)."""
    try:
        if as_json:
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise FrameworkFileError([f"line {exc.lineno}: not valid JSON ({exc.msg})"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkFileError([f"{where}: not valid YAML ({problem})"]) from exc


CSV_COLUMNS = ("code", "text", "title", "label", "alt_code", "part", "parent")


def csv_framework_data(text: str, *, name: str, applies_to: list[str]) -> dict[str, Any]:
    """A framework from a spreadsheet saved as CSV: one standard a row under the header
    ``code,text`` (and optionally ``title``, ``label``, ``alt_code``, ``part``, and ``parent``,
    the code of a standard on an earlier row). The name and the staff it is for come from the
    upload form; descriptors need a YAML or JSON file. Returns what ``validate_framework``
    checks, so a CSV is held to the same rules as the other files."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise FrameworkFileError(["line 1: the file is empty"])
    header = [cell.strip().lower().replace(" ", "_") for cell in rows[0]]
    problems = [f"line 1: missing column '{c}'" for c in ("code", "text") if c not in header]
    problems += [
        f"line 1: unknown column '{c}' (expected some of {', '.join(CSV_COLUMNS)})"
        for c in header
        if c and c not in CSV_COLUMNS
    ]
    if problems:
        raise FrameworkFileError(problems)
    standards: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {key: value.strip() for key, value in zip(header, row, strict=False) if key}
        parent = cells.pop("parent", "")
        item = {key: value for key, value in cells.items() if value}
        if parent:
            holder = by_code.get(parent)
            if holder is None:
                problems.append(f"line {line}: parent '{parent}' is not a standard above it")
                continue
            holder.setdefault("standards", []).append(item)
        else:
            standards.append(item)
        if item.get("code"):
            by_code[item["code"]] = item
    if problems:
        raise FrameworkFileError(problems)
    return {
        "code": slugify(name)[:60] or "framework",
        "name": name,
        "applies_to": applies_to,
        "standards": standards,
    }


def _text(
    data: dict, key: str, place: str, problems: list[str], *, required: bool, max_length: int = 0
) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{place}.{key}: missing text" if place else f"{key}: missing text")
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and key in ("code", "label"):
        value = str(value)
    if not isinstance(value, str):
        problems.append(f"{_join(place, key)}: expected text, found {type(value).__name__}")
        return ""
    value = value.strip()
    if max_length and len(value) > max_length:
        problems.append(f"{_join(place, key)}: longer than {max_length} characters")
    return value


def _join(place: str, key: str) -> str:
    return f"{place}.{key}" if place else key


def validate_framework(data: Any) -> FrameworkSpec:
    """Check the whole structure and return it as a spec, or raise with every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise FrameworkFileError(
            ["file: expected a mapping with code, name and standards at the top"]
        )
    for key in sorted(set(data) - FRAMEWORK_KEYS):
        problems.append(f"{key}: unknown key (expected one of {', '.join(sorted(FRAMEWORK_KEYS))})")
    code = _text(data, "code", "", problems, required=True, max_length=60)
    if code and not SLUG.match(code):
        problems.append(f"code: '{code}' must be lower-case letters, digits and hyphens")
    name = _text(data, "name", "", problems, required=True, max_length=200)
    description = _text(data, "description", "", problems, required=False)
    applies_to = data.get("applies_to", [])
    categories = set(StaffMember.Category.values)
    if isinstance(applies_to, str):
        applies_to = [applies_to]
    if not isinstance(applies_to, list):
        problems.append("applies_to: expected a list of staff categories")
        applies_to = []
    for index, category in enumerate(applies_to):
        if category not in categories:
            problems.append(
                f"applies_to[{index}]: unknown staff category {category!r} "
                f"(known: {', '.join(sorted(categories))})"
            )
    order = data.get("order", 100)
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 32767:
        problems.append("order: expected a whole number from 0 to 32767")
        order = 100
    spec = FrameworkSpec(
        code=code,
        name=name,
        description=description,
        applies_to=list(dict.fromkeys(applies_to)),
        order=order,
    )
    stages = set(CareerStage.objects.values_list("code", flat=True))
    standards = data.get("standards")
    if not isinstance(standards, list) or not standards:
        problems.append("standards: expected a list of at least one standard")
    else:
        seen: dict[str, str] = {}
        for index, item in enumerate(standards):
            _standard(item, f"standards[{index}]", None, spec, seen, stages, problems)
    if problems:
        raise FrameworkFileError(problems)
    return spec


def _standard(
    item: Any,
    place: str,
    parent: str | None,
    spec: FrameworkSpec,
    seen: dict[str, str],
    stages: set[str],
    problems: list[str],
) -> None:
    if not isinstance(item, dict):
        problems.append(f"{place}: expected a mapping with code and text")
        return
    for key in sorted(set(item) - STANDARD_KEYS):
        problems.append(
            f"{place}.{key}: unknown key (expected one of {', '.join(sorted(STANDARD_KEYS))})"
        )
    code = _text(item, "code", place, problems, required=True, max_length=MAX_CODE)
    if code and code in seen:
        problems.append(f"{place}.code: duplicate code '{code}' (first at {seen[code]})")
    elif code:
        seen[code] = place
    standard = StandardSpec(
        code=code,
        text=_text(item, "text", place, problems, required=True),
        title=_text(item, "title", place, problems, required=False, max_length=120),
        label=_text(item, "label", place, problems, required=False, max_length=MAX_CODE),
        alt_code=_text(item, "alt_code", place, problems, required=False, max_length=MAX_CODE),
        part=_text(item, "part", place, problems, required=False, max_length=120),
        parent_code=parent,
    )
    descriptors = item.get("descriptors", {})
    if descriptors is None:
        descriptors = {}
    if not isinstance(descriptors, dict):
        problems.append(f"{place}.descriptors: expected a mapping of career stage to statements")
    else:
        for stage, statements in descriptors.items():
            where = f"{place}.descriptors.{stage}"
            if stage not in stages:
                problems.append(
                    f"{where}: unknown career stage {stage!r} (known: {', '.join(sorted(stages))})"
                )
                continue
            if statements is None:
                statements = []
            if isinstance(statements, str):
                statements = [statements]
            if not isinstance(statements, list):
                problems.append(f"{where}: expected a list of statements")
                continue
            clean: list[str] = []
            for n, statement in enumerate(statements):
                if not isinstance(statement, str) or not statement.strip():
                    problems.append(f"{where}[{n}]: missing text")
                else:
                    clean.append(statement.strip())
            standard.descriptors[stage] = clean
    spec.standards.append(standard)
    children = item.get("standards")
    if children is None:
        return
    if parent is not None:
        problems.append(f"{place}.standards: sub-standards cannot have sub-standards")
        return
    if not isinstance(children, list):
        problems.append(f"{place}.standards: expected a list of sub-standards")
        return
    for index, child in enumerate(children):
        _standard(child, f"{place}.standards[{index}]", code, spec, seen, stages, problems)


def load_framework_spec(path: str | Path) -> FrameworkSpec:
    return validate_framework(read_framework_file(path))
