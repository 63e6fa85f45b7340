"""The plan's rules, as pure functions over loaded rows: who writes a plan, the automatic
checks that gate submission, and the coaching rule (seed 002)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Exists, Q
from django.utils.formats import date_format

from growth.models import CareerStage, GrowthCycle, StaffMember, Trust
from objectives.models import AREA_ORDER, Area, GrowthPlan, Objective

COACHING_WINDOW_CYCLES = 3

# The objectives bank's phrases hold "x" (or "X") where the person names their own subject,
# class or colleague, e.g. "Results of x"; an objective still holding one is not finished.
BANK_PLACEHOLDER = re.compile(r"\b[xX]\b")


def unfilled_placeholders(objective: Objective) -> list[str]:
    """The parts of the objective that still hold the bank's unfilled ``x``."""
    parts = [objective.to_text, *objective.through, *objective.in_order_to]
    return [p.strip() for p in parts if p and BANK_PLACEHOLDER.search(p)]


def plan_required(staff: StaffMember) -> bool:
    """Seed 002: "3 objectives and check-ins for all", early career teachers included. Seed
    004's exemption covers the GROW plan only (``grow_plan_required``); a trust setting may
    still widen it to the objectives and check-ins."""
    if not staff.is_active:
        return False
    stage = staff.career_stage
    if stage is not None and stage.is_early_career:
        return not staff.trust.early_career_exempt_from_objectives
    return True


def grow_plan_required(staff: StaffMember) -> bool:
    """Seed 004 exempts early career teachers from the GROW professional growth plan; a trust
    setting may ask them to write it."""
    stage = staff.career_stage
    if stage is not None and stage.is_early_career:
        return staff.trust.early_career_teachers_write_plan
    return True


def plan_required_q(trust: Trust) -> Q:
    """``plan_required`` as a filter on StaffMember, for counting in the database."""
    required = Q(is_active=True)
    if trust.early_career_exempt_from_objectives:
        required &= Q(career_stage__isnull=True) | ~Q(
            career_stage__code__in=CareerStage.EARLY_CAREER_CODES
        )
    return required


@dataclass(frozen=True)
class Check:
    area: str  # an Area value, or "" for the whole plan
    label: str
    ok: bool
    why: str = ""

    @property
    def area_label(self) -> str:
        return Area(self.area).label if self.area else "Whole plan"

    @property
    def heading(self) -> str:
        """ "Impact on Trust: Linked to a trust priority." """
        end = "" if self.label.endswith(("?", ".")) else "."
        return f"{self.area_label}: {self.label}{end}"


@dataclass(frozen=True)
class CoachingRequirement:
    """What the coaching rule asks of one person in one cycle."""

    applies: bool
    met: bool
    due_this_cycle: bool
    text: str

    @property
    def failing(self) -> bool:
        return self.applies and self.due_this_cycle and not self.met


NO_REQUIREMENT = CoachingRequirement(applies=False, met=True, due_this_cycle=False, text="")


def coaching_requirement(
    *,
    staff: StaffMember,
    cycle: GrowthCycle,
    cycles: list[GrowthCycle],
    is_line_manager: bool,
    coaching_this_cycle: bool,
    coaching_before: bool,
) -> CoachingRequirement:
    """Seed 002: a trained facilitator must have "complete the coaching qualification" as one
    of this cycle's objectives; a line manager who is not trained must make it one of their
    objectives in one of three consecutive cycles. The three cycles start with the first cycle
    the person was in the trust for. ``cycles`` is every cycle of the trust, oldest first."""
    if staff.coaching_qualified:
        return NO_REQUIREMENT
    if staff.is_coaching_facilitator:
        return CoachingRequirement(
            applies=True,
            met=coaching_this_cycle,
            due_this_cycle=True,
            text="As a trained coaching facilitator, one of your objectives this cycle must be "
            "to complete the coaching qualification.",
        )
    if not is_line_manager:
        return NO_REQUIREMENT
    if coaching_before:
        return CoachingRequirement(
            applies=True,
            met=True,
            due_this_cycle=False,
            text="You have already made the coaching qualification one of your objectives.",
        )
    # Cycles (the trust's, oldest first) since the person joined; cycles to come may not
    # have been set up yet, so count positions rather than look the third one up.
    joined = [c for c in cycles if c.end_date >= staff.start_date]
    position = sum(1 for c in joined if c.start_date < cycle.start_date)
    remaining = COACHING_WINDOW_CYCLES - 1 - position
    due_now = remaining <= 0
    if due_now:
        text = (
            "As a line manager not yet trained as a coaching facilitator, you must make "
            "completing the coaching qualification one of your objectives this cycle "
            f"({cycle.name}): it is the last of your three cycles."
        )
    else:
        text = (
            "As a line manager not yet trained as a coaching facilitator, you need to make "
            "completing the coaching qualification one of your objectives in this cycle or in "
            f"one of the next {remaining} cycle{'s' if remaining != 1 else ''}."
        )
    return CoachingRequirement(
        applies=True, met=coaching_this_cycle, due_this_cycle=due_now, text=text
    )


def coaching_due_q(*, manages: Q, coaching_this: Exists, coaching_before: Exists) -> Q:
    """``coaching_requirement``'s "applies and not yet met" as a filter on StaffMember, for
    counting in the database (as ``plan_required_q`` is ``plan_required``): not qualified, no
    coaching objective this cycle, and a trained facilitator, or a line manager (``manages``)
    who has never had one. Which of their three cycles it is changes only what they are
    told, not whether they must act."""
    return (
        Q(coaching_qualified=False)
        & ~Q(coaching_this)
        & (Q(is_coaching_facilitator=True) | (manages & ~Q(coaching_before)))
    )


def objective_checks(objective: Objective, *, answers: dict[int, bool | None]) -> list[Check]:
    """The automatic checks for one objective, plus its checklist answers."""
    cycle = objective.plan.cycle
    area = objective.area
    checks = [
        Check(
            area,
            "Says what you will do (To…)",
            bool(objective.to_text.strip()),
            "Write the To… part.",
        ),
        Check(
            area,
            "At least one key activity (Through…)",
            any(p.strip() for p in objective.through),
            "Add at least one activity from the Through… columns, or your own.",
        ),
        Check(
            area,
            "At least one impact (In order to…)",
            any(p.strip() for p in objective.in_order_to),
            "Add at least one impact from the In order to… list, or your own.",
        ),
        Check(
            area,
            "A date inside the cycle (By…)",
            objective.by_date is not None and cycle.contains(objective.by_date),
            f"Choose a date between {date_format(cycle.start_date)} and "
            f"{date_format(cycle.end_date)}.",
        ),
        Check(
            area,
            "Says how you will know you have been successful",
            bool(objective.success_criteria.strip()),
            "Write the success criteria.",
        ),
    ]
    unfilled = unfilled_placeholders(objective)
    checks.append(
        Check(
            area,
            "Every x from the objectives bank is filled in",
            not unfilled,
            "Replace the x with your own words in: " + "; ".join(f"“{p}”" for p in unfilled),
        )
    )
    if area == Area.TRUST:
        checks.append(
            Check(
                area,
                "Linked to a trust priority",
                objective.priority_id is not None,
                "Choose the trust priority this objective supports.",
            )
        )
    return checks


def plan_checks(
    plan: GrowthPlan,
    *,
    objectives: list[Objective],
    questions: list,
    answers: dict[tuple[int, int], bool | None],
    coaching: CoachingRequirement,
) -> list[Check]:
    """Every check that gates submission, in page order. ``answers`` maps
    (objective id, question id) to the person's yes/no."""
    checks: list[Check] = []
    by_area = {o.area: o for o in objectives}
    missing = [a for a in AREA_ORDER if a not in by_area]
    checks.append(
        Check(
            "",
            "Exactly three objectives: Impact on Self, Others and Trust",
            not missing and len(objectives) == len(AREA_ORDER),
            "Missing: " + ", ".join(Area(a).label for a in missing) if missing else "",
        )
    )
    for area in AREA_ORDER:
        objective = by_area.get(area)
        if objective is None:
            continue
        checks += objective_checks(objective, answers={})
        for question in (q for q in questions if q.area == area):
            answer = answers.get((objective.pk, question.pk))
            checks.append(
                Check(
                    area,
                    f"Checklist: {question.text}",
                    answer is True,
                    "Not answered yet."
                    if answer is None
                    else "You answered No: revise the objective or talk it through with your "
                    "line manager.",
                )
            )
    if coaching.applies:
        checks.append(
            Check(
                "",
                "Coaching qualification",
                coaching.met or not coaching.due_this_cycle,
                coaching.text
                + " Tick “This objective is completing the coaching qualification” on it.",
            )
        )
    if plan.staff_member.writes_leadership_goal:
        checks.append(
            Check(
                "",
                "Leadership goal written",
                bool(str(plan.leadership_goal.get("goal", "")).strip()),
                "As a UPR teacher, TLR holder or senior leader you also write a leadership goal "
                "linked to department or whole-school priorities.",
            )
        )
    return checks
