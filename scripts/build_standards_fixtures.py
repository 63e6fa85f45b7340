"""One-off: write ``fixtures/teachers_standards.json`` and
``fixtures/central_services_framework.json`` from the wording of the seeds.

The Teachers' Standards wording is seed 004's (its self-review appendix, letters 1a to 8d); seed
003 numbers the same sub-standards 1.1 to 8.5 and alone has 8.5, so the code is seed 003's number
and ``alt_code`` keeps seed 004's letter. "Thinking Customer First" is seed 002's.

    python scripts/build_standards_fixtures.py
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PART_ONE = "Part One: Teaching"
PART_TWO = "Part Two: Personal and professional conduct"

# (number, heading, [sub-standard texts in seed 004 order]); 8.5 is seed 003's.
PART_ONE_STANDARDS = [
    (
        "1",
        "Set high expectations which inspire, motivate and challenge pupils",
        [
            "Establish a safe and stimulating environment for pupils, rooted in mutual respect",
            "Set goals that stretch and challenge pupils of all backgrounds, abilities and "
            "dispositions",
            "Demonstrate consistently the positive attitudes, values and behaviour which are "
            "expected of pupils",
        ],
    ),
    (
        "2",
        "Promote good progress and outcomes by pupils",
        [
            # Seed 004 lost the apostrophe of "pupils'" (seed 003 has it).
            "Be accountable for pupils' attainment, progress and outcomes",
            "Be aware of pupils' capabilities and their prior knowledge, and plan teaching to "
            "build on these",
            "Guide pupils to reflect on the progress they have made and their emerging needs",
            "Demonstrate knowledge and understanding of how pupils learn and how this impacts "
            "on teaching",
            "Encourage pupils to take a responsible and conscientious attitude to their own "
            "work and study",
        ],
    ),
    (
        "3",
        "Demonstrate good subject and curriculum knowledge",
        [
            "Have a secure knowledge of the relevant subject(s) and curriculum areas, foster "
            "and maintain pupils' interest in the subject, and address misunderstandings",
            "Demonstrate a critical understanding of the developments in the subject and "
            "curriculum areas, and promote the value of scholarship",
            "Demonstrate an understanding of and take responsibility for promoting high "
            "standards of literacy, articulacy and the correct use of standard English, "
            "whatever the teacher's specialist subject",
            "If teaching early reading, demonstrate a clear understanding of systematic "
            "synthetic phonics",
            "If teaching early mathematics, demonstrate a clear understanding of appropriate "
            "teaching strategies",
        ],
    ),
    (
        "4",
        "Plan and teach well-structured lessons",
        [
            "Impart knowledge and develop understanding through effective use of lesson time",
            "Promote a love of learning and children's intellectual curiosity",
            "Set homework and plan other out-of-class activities to consolidate and extend the "
            "knowledge and understanding pupils have acquired",
            "Reflect systematically on the effectiveness of lessons and approaches to teaching",
            "Contribute to the design and provision of an engaging curriculum within the "
            "relevant subject area(s)",
        ],
    ),
    (
        "5",
        "Adapt teaching to respond to the strengths and needs of all pupils",
        [
            "Know when and how to differentiate appropriately, using approaches which enable "
            "pupils to be taught effectively",
            "Have a secure understanding of how a range of factors can inhibit pupils' ability "
            "to learn, and how best to overcome these",
            "Demonstrate an awareness of the physical, social and intellectual development of "
            "children, and know how to adapt teaching to support pupils' education at "
            "different stages of development",
            "Have a clear understanding of the needs of all pupils, including those with "
            "special educational needs; those of high ability; those with English as an "
            "additional language; those with disabilities; and be able to use and evaluate "
            "distinctive teaching approaches to engage and support them",
        ],
    ),
    (
        "6",
        "Make accurate and productive use of assessment",
        [
            "Know and understand how to assess the relevant subject and curriculum areas, "
            "including statutory assessment requirements",
            "Make use of formative and summative assessment to secure pupils' progress",
            "Use relevant data to monitor progress, set targets, and plan subsequent lessons",
            "Give pupils regular feedback, both orally and through accurate marking, and "
            "encourage pupils to respond to the feedback",
        ],
    ),
    (
        "7",
        "Manage behaviour effectively to ensure a good and safe learning environment",
        [
            "Have clear rules and routines for behaviour in classrooms, and take "
            "responsibility for promoting good and courteous behaviour both in classrooms and "
            "around the school, in accordance with the school's behaviour policy",
            "Have high expectations of behaviour, and establish a framework for discipline "
            "with a range of strategies, using praise, sanctions and rewards consistently and "
            "fairly",
            "Manage classes effectively, using approaches which are appropriate to pupils' "
            "needs in order to involve and motivate them",
            "Maintain good relationships with pupils, exercise appropriate authority, and act "
            "decisively when necessary",
        ],
    ),
    (
        "8",
        "Fulfil wider professional responsibilities",
        [
            "Make a positive contribution to the wider life and ethos of the school",
            "Develop effective professional relationships with colleagues, knowing how and "
            "when to draw on advice and specialist support",
            "Deploy support staff effectively",
            "Take responsibility for improving teaching through appropriate professional "
            "development, responding to advice and feedback from colleagues",
            # Seed 003 only: seed 004 leaves it out.
            "Communicate effectively with parents with regard to pupils' achievements and "
            "well-being",
        ],
    ),
]

PART_TWO_STANDARDS = [
    (
        "1",
        "Teachers uphold public trust in the profession and maintain high standards of ethics "
        "and behaviour, within and outside school, by:",
        [
            "treating pupils with dignity, building relationships rooted in mutual respect, and "
            "at all times observing proper boundaries appropriate to a teacher's professional "
            "position",
            "having regard for the need to safeguard pupils' well-being, in accordance with "
            "statutory provisions",
            "showing tolerance of and respect for the rights of others",
            "not undermining fundamental British values, including democracy, the rule of law, "
            "individual liberty and mutual respect, and tolerance of those with different "
            "faiths and beliefs",
            "ensuring that personal beliefs are not expressed in ways which exploit pupils' "
            "vulnerability or might lead them to break the law",
        ],
    ),
    (
        "2",
        "Teachers must have proper and professional regard for ethos, policies and practices "
        "of the school in which they teach, and maintain high standards in their own "
        "attendance and punctuality",
        [],
    ),
    (
        "3",
        "Teachers must have an understanding of, and always act within, the statutory "
        "frameworks which set out their professional duties and responsibilities",
        [],
    ),
]

# Public ids derive from the natural key so that loading the fixtures again keeps them (they are
# in URLs); a random default would change on every load.
NAMESPACE = uuid.UUID("6f1c3e0a-4b7d-4c55-9b0e-2d2f5a8e7c11")


def public_id(*key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(key)))


TEACHERS = "teachers-standards"
CENTRAL = "thinking-customer-first"


def framework(code: str, name: str, description: str, applies_to: list[str], order: int) -> dict:
    return {
        "model": "standards.framework",
        "fields": {
            "trust": None,
            "public_id": public_id(code),
            "code": code,
            "name": name,
            "description": description,
            "applies_to": applies_to,
            "order": order,
        },
    }


def standard(fw: str, code: str, text: str, order: int, **extra: object) -> dict:
    parent = extra.pop("parent", None)
    return {
        "model": "standards.standard",
        "fields": {
            "framework": [fw, None],
            "public_id": public_id(fw, code),
            "parent": [fw, None, parent] if parent else None,
            "code": code,
            "label": extra.pop("label", ""),
            "alt_code": extra.pop("alt_code", ""),
            "part": extra.pop("part", ""),
            "title": extra.pop("title", ""),
            "text": text,
            "order": order,
        },
    }


def teachers_standards() -> list[dict]:
    rows = [
        framework(
            TEACHERS,
            "Teachers' Standards",
            "The Teachers' Standards define the minimum level of practice expected of teachers "
            "from the point of being awarded qualified teacher status (QTS). Use the scale next "
            "to each standard to reflect on how well you feel you are doing against each "
            "standard and, most importantly, what you might do next to become even better. This "
            "is not a graded scale but just simply a mechanism to personally reflect on your "
            "strengths and help identify any potential next steps (+1s).",
            ["teaching"],
            10,
        )
    ]
    order = 0
    for number, heading, subs in PART_ONE_STANDARDS:
        order += 10
        rows.append(standard(TEACHERS, number, heading, order, part=PART_ONE))
        for index, text in enumerate(subs, start=1):
            order += 10
            letter = "abcde"[index - 1] if not (number == "8" and index == 5) else ""
            rows.append(
                standard(
                    TEACHERS,
                    f"{number}.{index}",
                    text,
                    order,
                    part=PART_ONE,
                    parent=number,
                    alt_code=f"{number}{letter}" if letter else "",
                )
            )
    for number, heading, subs in PART_TWO_STANDARDS:
        order += 10
        code = f"P2.{number}"
        rows.append(standard(TEACHERS, code, heading, order, part=PART_TWO, label=number))
        for index, text in enumerate(subs, start=1):
            order += 10
            rows.append(
                standard(
                    TEACHERS,
                    f"{code}.{index}",
                    text,
                    order,
                    part=PART_TWO,
                    parent=code,
                    label=f"{number}.{index}",
                )
            )
    return rows


def central_services() -> list[dict]:
    values = "We put our customers first by providing services that are"
    promises = "Three promises that we should make to our customers"
    rows = [
        framework(
            CENTRAL,
            "Thinking Customer First",
            f"{values} Trusted, Solution focused, Approachable and Timely. {promises}: we will "
            "identify services that will make a positive impact on our schools; we will provide "
            "services in an effective manner; we will use economies of scale to provide "
            "financial benefit.",
            ["central", "support"],
            20,
        )
    ]
    order = 0
    for number, title in enumerate(
        ["Trusted", "Solution focused", "Approachable", "Timely"], start=1
    ):
        order += 10
        rows.append(
            standard(
                CENTRAL,
                str(number),
                f"{values} {title.lower()}",
                order,
                part=values,
                title=title,
            )
        )
    for number, text in enumerate(
        [
            "We will identify services that will make a positive impact on our schools",
            "We will provide services in an effective manner",
            "We will use economies of scale to provide financial benefit",
        ],
        start=1,
    ):
        order += 10
        rows.append(
            standard(
                CENTRAL,
                f"P{number}",
                text,
                order,
                part=promises,
                label=f"{number})",
                title=f"Promise {number}",
            )
        )
    return rows


def main() -> None:
    for name, rows in (
        ("teachers_standards.json", teachers_standards()),
        ("central_services_framework.json", central_services()),
    ):
        path = FIXTURES / name
        path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{len(rows)} rows written to {path}")


if __name__ == "__main__":
    main()
