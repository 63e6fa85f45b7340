"""The Professional Growth criteria (seed 002, DESIGN.md §3): engagement rows x impact
columns numbered 1-9, plus 10 Exceptional; the outcome key; the suggested engagement level.

Everything here is pure: no database, so it is tested with plain inputs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

# --- Outcomes ---

EXCEEDED = "exceeded"
MET = "met"
PARTIALLY_MET = "partially_met"
NOT_MET = "not_met"

OUTCOME_CHOICES = [
    (EXCEEDED, "Exceeded"),
    (MET, "Met"),
    (PARTIALLY_MET, "Partially met"),
    (NOT_MET, "Not met"),
]
OUTCOME_LABELS = dict(OUTCOME_CHOICES)
OUTCOMES = [value for value, _ in OUTCOME_CHOICES]

# Part 2 of the statement (seed 002), one line per outcome, "<cycle>" filled in.
OUTCOME_SENTENCES = {
    EXCEEDED: "Exceeded your professional growth expectations for {cycle}",
    MET: "Met professional growth expectations for {cycle}",
    PARTIALLY_MET: "Partially met professional growth expectations for {cycle}",
    NOT_MET: "Not met professional growth expectations for {cycle}",
}

# How part 1 says it: "You have [[outcome]] your Professional Growth objectives".
OUTCOME_VERBS = {
    EXCEEDED: "exceeded",
    MET: "met",
    PARTIALLY_MET: "partially met",
    NOT_MET: "not met",
}

# --- The grid ---

LOW, MOST, HIGH = 1, 2, 3
ENGAGEMENT_LEVELS = {
    LOW: "Engages inconsistently with check-ins / low engagement with check-ins. "
    "Limited engagement in PG across all 3 objectives.",
    MOST: "Engages in most check-ins. Engages in PG across all 3 objectives, with more "
    "emphasis on some than on others.",
    HIGH: "Engages highly in all check-ins. Engages highly in PG across all 3 objectives "
    "with equal weighting.",
}
ENGAGEMENT_SHORT = {
    LOW: "Engages inconsistently",
    MOST: "Engages in most check-ins",
    HIGH: "Engages highly in all check-ins",
}
IMPACT_LEVELS = {
    1: "Impact on self, others, Trust is low or focussed on one objective",
    2: "Impact on self, others, Trust higher for some objectives than others",
    3: "High impact in all objectives self, others and Trust",
}
IMPACT_SHORT = {
    1: "Impact low or on one objective",
    2: "Impact higher for some objectives",
    3: "High impact in all objectives",
}
EXCEPTIONAL = 10
EXCEPTIONAL_TEXT = [
    "Engages proactively in all check-ins.",
    "Engages exceptionally in PG across all 3 objectives and goes beyond expectations",
    "Fully autonomous in personal growth agenda.",
    "Impact is high and wide reaching.",
]
CELLS = list(range(1, 11))

# Seed 002, "Exceptional (exceeding expectations)".
EXCEPTIONAL_TEACHERS = [
    "Consistently demonstrates impact on self, others and Trust that is significantly above "
    "expected impact for a teacher of their career stage and role;",
    "Frequently demonstrates exceptional teaching skills, knowledge and practice relative to "
    "their career stage and role;",
    "Has significantly exceeded professional growth objectives, adding substantial value and "
    "lasting benefits to the Trust;",
    "Demonstrates consistently outstanding quality of professional growth;",
    "Even where not a requirement of their role, acts as a role model able to offer "
    "professional guidance and cascade best practice to others in many areas;",
    "Quality of teaching is regularly outstanding.",
]
EXCEPTIONAL_SUPPORT = [
    "Professional Growth objectives are exceeded in all areas of self, others and Trust;",
    "The requirements of the role were delivered exceptionally well and the requirements of "
    "the role were exceeded;",
    "Very positive behaviours are displayed, e.g.:",
    "Customers' expectations frequently exceeded and/or exceptional customer service provided "
    "even when customer expectations could not be met;",
    "Proactively engaging and motivating others; providing significant support to others "
    "(including colleagues and customers);",
    "Consistently leading by example and acting as a role model or champion;",
    "Taking into account the implications of their activities on own initiative;",
    "Willingly taking on additional responsibilities outside role requirement",
]


def exceptional_descriptors(category: str) -> tuple[str, list[str]]:
    """The heading and examples of "high and wide-reaching impact" for the person's role."""
    if category == "teaching":
        return "Teachers - Examples of high and wide-reaching impact", EXCEPTIONAL_TEACHERS
    return "Support staff - Examples of high and wide-reaching impact", EXCEPTIONAL_SUPPORT


def cell_for(engagement: int, impact: int) -> int:
    """Row (engagement 1-3) x column (impact 1-3) → the guide's cell number 1-9."""
    if engagement not in ENGAGEMENT_LEVELS or impact not in IMPACT_LEVELS:
        raise ValueError(f"No cell for engagement {engagement}, impact {impact}.")
    return (impact - 1) * 3 + engagement


def engagement_of(cell: int) -> int:
    """The engagement row of a cell; 10 Exceptional sits above the top row."""
    if cell == EXCEPTIONAL:
        return HIGH
    return (cell - 1) % 3 + 1


def impact_of(cell: int) -> int:
    if cell == EXCEPTIONAL:
        return 3
    return (cell - 1) // 3 + 1


def cell_label(cell: int) -> str:
    if cell == EXCEPTIONAL:
        return "10 — Exceptional"
    return f"{cell} — {ENGAGEMENT_SHORT[engagement_of(cell)]}; {IMPACT_SHORT[impact_of(cell)]}"


# The default key (DESIGN.md §3); a trust may edit it.
DEFAULT_OUTCOME_KEY: dict[int, str] = {
    1: NOT_MET,
    2: MET,
    3: MET,
    4: PARTIALLY_MET,
    5: MET,
    6: MET,
    7: PARTIALLY_MET,
    8: MET,
    9: MET,
    10: EXCEEDED,
}


def outcome_for_cell(cell: int, overrides: Mapping[int, str] | None = None) -> str:
    if cell not in CELLS:
        raise ValueError(f"There is no cell {cell}.")
    return {**DEFAULT_OUTCOME_KEY, **(overrides or {})}[cell]


def grid_rows() -> list[dict]:
    """The grid as the guide draws it: one row per engagement level, three cells each."""
    return [
        {
            "engagement": level,
            "label": ENGAGEMENT_LEVELS[level],
            "short": ENGAGEMENT_SHORT[level],
            "cells": [cell_for(level, impact) for impact in (1, 2, 3)],
        }
        for level in (LOW, MOST, HIGH)
    ]


# --- The suggested engagement level ---


class EngagementLike(Protocol):
    """What the suggestion reads: checkins.selectors.EngagementSummary has this shape."""

    expected: int
    held: int
    excused: int
    reflecting_on_objectives: int
    recognitions: int
    tools_used: int
    took_part_in_360: bool

    @property
    def held_ratio(self) -> float: ...

    @property
    def objective_share(self) -> float: ...

    @property
    def balance(self) -> str: ...


# Thresholds: "all check-ins" allows one missed in ten; "most" is at least six in ten.
HIGH_HELD = 0.9
MOST_HELD = 0.6
HIGH_SHARE = 0.75
MOST_SHARE = 0.5


@dataclass(frozen=True)
class Suggestion:
    level: int | None
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ENGAGEMENT_SHORT[self.level] if self.level else "No suggestion"


def suggest_engagement(summary: EngagementLike | None) -> Suggestion:
    """Suggest the engagement row from the check-in record: check-ins held against those
    expected, the share that reflect on objectives, and the balance across the three areas.
    Each criterion caps the level; the lowest cap wins. Reasons say which figure set it."""
    if summary is None or summary.expected - summary.excused <= 0:
        return Suggestion(None, ["No check-ins were expected yet, so there is no suggestion."])
    held = summary.held_ratio
    share = summary.objective_share
    balance = summary.balance
    reasons: list[str] = []

    if held >= HIGH_HELD:
        held_cap = HIGH
    elif held >= MOST_HELD:
        held_cap = MOST
    else:
        held_cap = LOW
    reasons.append(
        f"Held {summary.held} of {summary.expected - summary.excused} expected check-ins "
        f"({held:.0%}; {summary.excused} excused)."
    )

    if share >= HIGH_SHARE:
        share_cap = HIGH
    elif share >= MOST_SHARE:
        share_cap = MOST
    else:
        share_cap = LOW
    reasons.append(
        f"{summary.reflecting_on_objectives} of {summary.held} held check-ins reflected on "
        f"the objectives ({share:.0%})."
    )

    balance_cap = {"equal": HIGH, "some": MOST}.get(balance, LOW)
    reasons.append(
        {
            "equal": "Attention was balanced equally across Self, Others and Trust.",
            "some": "Some objectives had more attention than others.",
        }.get(balance, "Engagement across the three objectives was limited.")
    )
    return Suggestion(min(held_cap, share_cap, balance_cap), reasons)
