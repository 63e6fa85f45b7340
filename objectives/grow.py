"""The GROW professional growth plan (seed 004 appendix B), the line manager's conversation
script (appendix C) and the leadership goal plan (appendix E), worded as in the policy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    key: str
    section: str
    question: str
    guidance: str = ""


# Appendix B: the professional growth plan the member of staff writes.
GROW_PLAN: list[Prompt] = [
    Prompt(
        "strengths",
        "Reflections",
        "When I'm at my best, what are my strengths?",
        "Identified from my own reflections, results and data analysis and any feedback from "
        "my colleagues.",
    ),
    Prompt(
        "development_needs",
        "Reflections",
        "What are my development needs?",
        "Identified from my own reflections, results and data analysis and any feedback from "
        "my colleagues.",
    ),
    Prompt(
        "needs",
        "Needs",
        "What are the learning needs of my class or a class that I teach?",
        "What could I do better and more often that would help them make the most progress? "
        "What are the barriers to them becoming better learners?",
    ),
    Prompt(
        "goal",
        "Goal",
        "What do I intend to focus on so that my class make even better progress?",
        "I need to focus on the learning needs of the students not just what I do as their "
        "teacher. I need to challenge myself too. How challenging is this goal?",
    ),
    Prompt(
        "success",
        "Goal",
        "How will I know that I have been successful?",
        "What will be different? What will I notice? What will the students be able to do? "
        "What evidence of impact can I collect? What's the ideal outcome?",
    ),
    Prompt(
        "reality",
        "Reality",
        "How close to achieving this goal am I and what do I do already that helps?",
        "What's working? What have I tried already? What has made a difference previously? "
        "What have I tried that hasn't worked? What might get in the way?",
    ),
    Prompt(
        "options",
        "Options & actions",
        "How do I intend to achieve this?",
        "What knowledge and skills do I require to meet my students' needs? What research will "
        "I undertake to find out more? How could I approach this goal? What actions will I "
        "take? What will I do first? Who will help me? I need to focus on sustained and "
        "purposeful practice.",
    ),
    Prompt("summary_by", "My goal in summary for this academic year", "By…"),
    Prompt("summary_i_am", "My goal in summary for this academic year", "I am…"),
    Prompt("summary_so_that", "My goal in summary for this academic year", "so that…"),
]


@dataclass(frozen=True)
class ScriptStage:
    title: str
    purpose: str
    questions: list[str]


# Appendix C: the line manager's script for establishing a challenging focus.
LINE_MANAGER_SCRIPT: list[ScriptStage] = [
    ScriptStage(
        "Goal",
        "Establish the starting point",
        [
            "How would you describe yourself when you're at your best? When you reflected on "
            "the Teachers' Standards what did you decide were your strengths? On reflection, "
            "what do you see as your next steps in terms of your own development?",
            "What are the learning needs of the class you would like to focus on? What do you "
            "feel that you could develop further in your own practice to enable all students to "
            "make even better progress?",
            "When exploring the goal, encourage your colleague to build a detailed vision of "
            "future success.",
            "What specifically do you want to achieve? What difference will it make to you and "
            "your students? What do you want to change? How will your goal support whole "
            "school/subject/phase priorities?",
            "What's the real challenge for you here? How challenging is this goal? What can you "
            "do to help make this goal realistic and achievable? Where will your support come "
            "from? How can I help?",
            "Imagine you are successful. What would be different? What specifically would be "
            "happening when you are successful? What are the benefits for you and what are the "
            "benefits for your students? How will it feel like to achieve this goal?",
        ],
    ),
    ScriptStage(
        "Reality",
        "Establish what is working already, and any strengths and successes that can be built on.",
        [
            "What have you tried so far? What's working already? What have you tried that "
            "hasn't worked?",
            "How confident are you of achieving this goal?",
            "What might get in the way of you achieving this goal? How will you overcome any "
            "barriers?",
        ],
    ),
    ScriptStage(
        "Options",
        "Generate possibilities and options to achieve the goal as this creates greater autonomy.",
        [
            "What are your options for achieving this goal? How might you approach this goal?",
            "What else could you do? And what else?",
            "What approaches do others take in similar circumstances?",
        ],
    ),
    ScriptStage(
        "What next?",
        "Establish the focus and how to get started.",
        [
            "Having considered the options, what do you intend to achieve?",
            "What knowledge and skills do you require to achieve this goal?",
            "Who might support you? How can I help?",
            "What are your first steps? How will you get started?",
            "What will tell you that you've made a good start?",
            "How will you monitor your progress, evaluate impact and identify area for further "
            "development? When will we revisit and review this?",
            "How will you share your successes and challenges?",
            "Confirm and summarise your goal (By... I am... so that...)",
        ],
    ),
]


# Appendix E: the leadership goal (UPR teachers, TLR holders, senior leaders).
LEADERSHIP_GOAL: list[Prompt] = [
    Prompt("strengths", "Goal", "What do you see as your strengths as a leader?"),
    Prompt(
        "goal",
        "Goal",
        "What specifically do you want to achieve? What difference will it make to you and "
        "your students?",
    ),
    Prompt(
        "link",
        "Goal",
        "How does this link to your Department Learning Plan or Whole School Priorities?",
    ),
    Prompt(
        "success",
        "Goal",
        "Imagine you are successful. How will you know you have been successful? What "
        "specifically would be happening when you are successful?",
    ),
    Prompt(
        "reality_working",
        "Reality",
        "What is working already? What have you tried that hasn't worked?",
    ),
    Prompt(
        "reality_barriers",
        "Reality",
        "What might get in the way of you achieving this goal? How will you overcome any barriers?",
    ),
    Prompt("options", "Options", "What are your options for achieving this goal? And what else?"),
    Prompt("by", "What next", "By…"),
    Prompt("i_am", "What next", "I am…"),
    Prompt("so_that", "What next", "So that…"),
    Prompt("first_steps", "What next", "What are your first steps?"),
    Prompt(
        "monitoring",
        "What next",
        "How will you monitor your progress, evaluate impact and identify area for further "
        "development?",
    ),
]

LEADERSHIP_LINK_CHOICES = [
    ("", "Choose…"),
    ("department", "Department Learning Plan"),
    ("whole_school", "Whole School Strategic Priorities"),
]

LEADERSHIP_NOTE = "This leadership goal needs to be agreed with your Line Manager once completed."


LEADERSHIP_LINK_LABELS = dict(LEADERSHIP_LINK_CHOICES)


def answered(prompts: list[Prompt], answers: dict[str, str]) -> list[tuple[str, str, str]]:
    """(section, question, answer) for each prompt answered, in the plan's order."""
    return [(p.section, p.question, answers[p.key]) for p in prompts if answers.get(p.key)]


def grow_answers(notes: dict[str, str]) -> list[tuple[str, str, str]]:
    """The answered GROW prompts, less the one-line summary (shown as a sentence)."""
    return [r for r in answered(GROW_PLAN, notes) if not r[0].startswith("My goal in summary")]


def leadership_answers(goal: dict[str, str]) -> list[tuple[str, str, str]]:
    rows = answered(LEADERSHIP_GOAL, goal)
    if goal.get("link_to"):
        label = LEADERSHIP_LINK_LABELS.get(goal["link_to"], goal["link_to"])
        rows.insert(0, ("Goal", "Linked to", label))
    return rows
