"""One-off: extract the "achieved expectations" descriptors of seed 003 into
``fixtures/teachers_standards_descriptors.json`` (named to sort after
``teachers_standards.json``, which it refers to, so loading every fixture in name order works).

The seed is a table read cell by cell: every line that starts with a tab opens a new cell, and
lines without a tab continue the cell above. A sub-standard row is its "Standard N.M" cell
followed by seven cells, one per career stage (ECT 1 … Assistant/Deputy Head). Statements in a
cell start with "-"; a line without "-" continues the statement above (the extraction broke a
few sentences over lines). Empty cells stay empty lists.

    python scripts/extract_descriptors.py ../shared/seeds/003_b31ebe141179f5be.txt
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

STAGES = ["ect1", "ect2", "mpr", "upr1", "upr23", "leading-practitioner", "assistant-deputy-head"]
SUB_STANDARD = re.compile(r"^Standard:?\s*(\d)\.(\d)[.:]?\s*(.*)$", re.S)
FRAMEWORK = ["teachers-standards", None]


def cells(text: str) -> list[str]:
    found: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            found.append([line[1:]])
        elif found:
            found[-1].append(line)
    return ["\n".join(lines).strip() for lines in found]


def tidy(statement: str) -> str:
    return re.sub(r"\s+", " ", statement).strip()


def statements(cell: str) -> list[str]:
    out: list[str] = []
    for raw in cell.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("-"):
            out.append(re.sub(r"^[-\s]+", "", line))
        elif out:
            # A break after "/" split one word ("year group/\nphase"), not two.
            joiner = "" if out[-1].endswith("/") else " "
            out[-1] = out[-1] + joiner + line
        else:
            out.append(line)
    return [tidy(s) for s in out if tidy(s)]


def extract(text: str) -> list[dict]:
    all_cells = cells(text)
    rows: list[dict] = []
    for index, cell in enumerate(all_cells):
        match = SUB_STANDARD.match(cell)
        if not match:
            continue
        code = f"{match.group(1)}.{match.group(2)}"
        stage_cells = all_cells[index + 1 : index + 1 + len(STAGES)]
        for stage_cell in stage_cells:
            if stage_cell.startswith(("Standard", "Career Stage")):
                raise SystemExit(f"{code}: fewer than seven stage cells")
        if index + len(STAGES) >= len(all_cells):
            # The source ends without the last row's trailing empty cell(s).
            stage_cells += [""] * (len(STAGES) - len(stage_cells))
        for stage, stage_cell in zip(STAGES, stage_cells, strict=True):
            rows.append(
                {
                    "model": "standards.descriptor",
                    "fields": {
                        "standard": [*FRAMEWORK, code],
                        "career_stage": [stage],
                        "statements": statements(stage_cell),
                    },
                }
            )
    return rows


def main() -> None:
    source = Path(sys.argv[1]).read_text(encoding="utf-8")
    rows = extract(source)
    target = (
        Path(__file__).resolve().parent.parent / "fixtures" / "teachers_standards_descriptors.json"
    )
    target.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(rows)} descriptors written to {target}")


if __name__ == "__main__":
    main()
