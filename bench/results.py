"""The benchmark's goals (issue 15), judged on one run's figures, and the two forms the
results are written in: JSON for machines, a Markdown table for people."""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

PAGE_TO_REFERENCE = 2.0  # a page's p95 ÷ the reference's p95, at full size
SIZE_GROWTH = 1.3  # a page's p95 at full size ÷ at a tenth of it
CROWD_GROWTH = 1.2  # a page's p95 with other trusts in the database ÷ alone
MAX_QUERIES = 15
SWEEP_SHARE = 0.5  # the sweep's throughput ÷ a bare smtplib loop's
PDF_P50_MS = 300.0
IMPORT_SECONDS = 30.0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: a value that was measured, never an interpolation."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))]


def latency(times: list[float], errors: int, queries: int) -> dict[str, Any]:
    return {
        "requests": len(times),
        "errors": errors,
        "p50_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 95), 1) if times else None,
        "queries": queries,
    }


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def judge(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every goal as a row: what, of what, the figure, the limit, met or not (None when the
    run did not measure it). Also fills each page's ratios in ``result["pages"]``."""
    roles = {v["role"]: v["key"] for v in result["variants"]}
    primary, small, crowded = roles["primary"], roles.get("small"), roles.get("crowded")
    pages = {p["key"]: p for p in result["pages"]}
    reference = pages["reference"]["by_variant"]
    goals: list[dict[str, Any]] = []

    def goal(name: str, subject: str, value: Any, limit: str, met: bool | None) -> None:
        goals.append({"goal": name, "subject": subject, "value": value, "limit": limit, "met": met})

    for page in result["pages"]:
        at = page["by_variant"]
        page["ratio_to_reference"] = _ratio(at[primary]["p95_ms"], reference[primary]["p95_ms"])
        page["size_ratio"] = _ratio(at[primary]["p95_ms"], small and at[small]["p95_ms"])
        page["crowd_ratio"] = (
            _ratio(at[crowded]["p95_ms"], at[primary]["p95_ms"]) if crowded else None
        )
        if page["key"] == "reference":
            continue
        r = page["ratio_to_reference"]
        goal(
            "p95 ÷ reference p95",
            page["label"],
            r,
            f"≤ {PAGE_TO_REFERENCE}",
            None if r is None else r <= PAGE_TO_REFERENCE,
        )
        if small:
            r = page["size_ratio"]
            goal(
                "p95 at full size ÷ at small size",
                page["label"],
                r,
                f"≤ {SIZE_GROWTH}",
                None if r is None else r <= SIZE_GROWTH,
            )
        if crowded:
            r = page["crowd_ratio"]
            goal(
                "p95 with other trusts ÷ alone",
                page["label"],
                r,
                f"≤ {CROWD_GROWTH}",
                None if r is None else r <= CROWD_GROWTH,
            )
        counts = sorted({v["queries"] for v in at.values()})
        goal(
            "queries per page (every size)",
            page["label"],
            "/".join(map(str, counts)),
            f"≤ {MAX_QUERIES}, same at every size",
            len(counts) == 1 and counts[0] <= MAX_QUERIES,
        )
        errors = sum(v["errors"] for v in at.values())
        if errors:
            goal("errors", page["label"], errors, "0", False)

    jobs = result.get("jobs", {})
    if sweep := jobs.get("reminder_sweep"):
        share = _ratio(sweep.get("per_second"), sweep.get("bare_per_second"))
        sweep["throughput_share"] = share
        goal(
            "reminder sweep throughput ÷ bare smtplib loop",
            f"{sweep['emails']} emails",
            share,
            f"≥ {SWEEP_SHARE}",
            None if share is None else share >= SWEEP_SHARE,
        )
        goal(
            "reminder sweep rerun sends nothing",
            f"{sweep['emails']} emails",
            f"{sweep['sent_on_rerun']} resent, {sweep['duplicates']} duplicates",
            "0, 0",
            sweep["emails"] > 0 and sweep["sent_on_rerun"] == 0 and sweep["duplicates"] == 0,
        )
    if pdf := jobs.get("statement_pdf"):
        p50 = pdf.get("p50_ms")
        goal(
            "statement PDF p50 (ms)",
            f"{pdf['renders']} statements",
            p50,
            f"≤ {PDF_P50_MS:.0f}",
            None if p50 is None else p50 <= PDF_P50_MS,
        )
    if staff_import := jobs.get("staff_import"):
        seconds = staff_import["seconds"]
        whole = staff_import["created"] == staff_import["rows"]
        goal(
            "staff import (s)",
            f"{staff_import['rows']} rows",
            seconds,
            f"≤ {IMPORT_SECONDS:.0f}, every row created",
            whole and seconds <= IMPORT_SECONDS,
        )
    return goals


def _cell(value: Any) -> str:
    return "—" if value is None else str(value)


def _met(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "—"}[met]


def markdown(result: dict[str, Any]) -> str:
    variants = result["variants"]
    primary = next(v for v in variants if v["role"] == "primary")
    s = result["settings"]
    lines = [
        f"# Benchmark {result['started_at']}",
        "",
        "Databases (the scale trust measured in each):",
        "",
        "| database | role | schools | staff | trusts | staff in database | seeded in |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for v in variants:
        size = v["size"]
        seeded = "reused" if v["seed_seconds"] is None else f"{v['seed_seconds']:.0f} s"
        lines.append(
            f"| {v['database']} | {v['role']} | {size['schools']} | {size['staff']} | "
            f"{size['trusts']} | {size['staff_in_database']} | {seeded} |"
        )
    lines += [
        "",
        f"gunicorn {s['workers']} sync workers per database, {s['readers']} Locust readers "
        f"requesting every page of every database in turn, {s['rounds']} rounds after "
        f"{s['warmup_rounds']} warm-up ({s['seconds']:.0f} s); cache backend DummyCache; a "
        "writer per database records a check-in every second "
        f"({_writers(result)}). Reference: {primary['size']['reference_rows']} staff of one "
        "school, 100 a page." + (f" Pages served as on {s['on']} (`--on`)." if s.get("on") else ""),
        "",
    ]
    keys = [v["key"] for v in variants]
    head = ["page", "queries"]
    for v in variants:
        head += [f"p50 {v['key']}", f"p95 {v['key']}"]
    head += ["÷ reference (≤ 2)"]
    roles = {v["role"] for v in variants}
    if "small" in roles:
        head += ["size ratio (≤ 1.3)"]
    if "crowded" in roles:
        head += ["crowd ratio (≤ 1.2)"]
    lines += ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for page in result["pages"]:
        at = page["by_variant"]
        row = [page["label"], "/".join(str(at[k]["queries"]) for k in keys)]
        for k in keys:
            row += [_cell(at[k]["p50_ms"]), _cell(at[k]["p95_ms"])]
        mark = _marker(page["key"] == "reference")
        row.append(mark(page["ratio_to_reference"], PAGE_TO_REFERENCE))
        if "small" in roles:
            row.append(mark(page["size_ratio"], SIZE_GROWTH))
        if "crowded" in roles:
            row.append(mark(page["crowd_ratio"], CROWD_GROWTH))
        lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "Times in ms. Ratios of p95s; **bold** where the goal is missed (the reference's own "
        "ratios show how much this machine drifted between databases, not a goal).",
        "",
        "| goal | of | figure | limit | |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for g in result["goals"]:
        lines.append(
            f"| {g['goal']} | {g['subject']} | {_cell(g['value'])} | {g['limit']} | "
            f"{_met(g['met'])} |"
        )
    met = sum(1 for g in result["goals"] if g["met"])
    lines += ["", f"{met} of {len(result['goals'])} goals met."]
    if sweep := result.get("jobs", {}).get("reminder_sweep"):
        lines += [
            "",
            f"Reminder sweep: {sweep['emails']} emails in {sweep['seconds']} s through a "
            f"{sweep['worker_processes']}-process Celery worker ({_cell(sweep['per_second'])}/s); "
            f"the bare smtplib loop sent the same {sweep['messages']} messages in "
            f"{sweep['bare_seconds']} s ({_cell(sweep['bare_per_second'])}/s).",
        ]
    return "\n".join(lines) + "\n"


def _marker(is_reference: bool):
    def mark(value: float | None, limit: float) -> str:
        if value is None:
            return "—"
        return f"**{value}**" if value > limit and not is_reference else str(value)

    return mark


def _writers(result: dict[str, Any]) -> str:
    parts = []
    for key, w in result["writers"].items():
        parts.append(f"{key}: {w['requests']} saved, {w['errors']} failed")
    return "; ".join(parts)


def write(result: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    """``latest.json`` and ``latest.md``, plus a dated copy of each so runs can be compared."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = result["started_at"].replace(":", "").replace("-", "")
    text, table = json.dumps(result, indent=2), markdown(result)
    for name in ("latest", f"run-{stamp}"):
        (directory / f"{name}.json").write_text(text)
        (directory / f"{name}.md").write_text(table)
    return directory / "latest.json", directory / "latest.md"
