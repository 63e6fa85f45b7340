"""Plain factory functions for tests: every object is made inside its trust, as in the app."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from growth.demo.scale import school_year
from growth.domain.services import role_assign, staff_member_create
from growth.models import (
    CareerStage,
    GrowthCycle,
    RoleAssignment,
    School,
    StaffMember,
    Term,
    Trust,
    TrustPriority,
)
from growth.reporting.progress import progress_rebuild
from growth.security.tenancy import trust_scope

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)

STAGES = [
    ("ect1", "ECT 1"),
    ("ect2", "ECT 2"),
    ("mpr", "MPR"),
    ("upr1", "UPR 1"),
    ("upr23", "UPR 2/3"),
    ("leading-practitioner", "Leading Practitioner"),
    ("assistant-deputy-head", "Assistant/Deputy Head"),
]


def career_stages() -> dict[str, CareerStage]:
    for order, (code, name) in enumerate(STAGES, start=1):
        CareerStage.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    return {s.code: s for s in CareerStage.objects.all()}


def make_trust(slug: str | None = None, **fields: Any) -> Trust:
    n = next(_counter)
    slug = slug or f"trust-{n}"
    return Trust.objects.create(
        name=fields.pop("name", f"Trust {slug}"),
        slug=slug,
        email_domains=fields.pop("email_domains", f"{slug}.example"),
        **fields,
    )


def make_school(trust: Trust, name: str | None = None, kind: str = School.Kind.SCHOOL) -> School:
    with trust_scope(trust):
        return School.objects.create(
            trust=trust, name=name or f"School {next(_counter)}", kind=kind
        )


def make_staff(
    trust: Trust,
    school: School,
    *,
    first_name: str | None = None,
    last_name: str = "Tester",
    category: str = StaffMember.Category.TEACHING,
    stage: str | None = "mpr",
    line_manager: StaffMember | None = None,
    job_title: str = "Teacher",
    password: str | None = PASSWORD,
    **flags: Any,
) -> StaffMember:
    n = next(_counter)
    first_name = first_name or f"Person{n}"
    stages = career_stages()
    if category != StaffMember.Category.TEACHING:
        stage = None
    with trust_scope(trust):
        staff = staff_member_create(
            actor=None,
            trust=trust,
            email=f"{first_name}.{n}@{trust.slug}.example".lower(),
            first_name=first_name,
            last_name=last_name,
            school=school,
            job_title=job_title,
            category=category,
            career_stage=stages[stage] if stage else None,
            line_manager=line_manager,
            start_date=flags.pop("start_date", dt.date(2020, 9, 1)),
            email_verified=True,
            **flags,
        )
    if password:
        staff.user.set_password(password)
        staff.user.save(update_fields=["password"])
    return staff


def make_cycle(trust: Trust, start_year: int = 2026, name: str | None = None) -> GrowthCycle:
    y = start_year
    dates, terms = school_year(y)
    with trust_scope(trust):
        cycle = GrowthCycle.objects.create(
            trust=trust, name=name or f"{y}-{str(y + 1)[-2:]}", **dates
        )
        for term_name, start, end in terms:
            Term.objects.create(
                trust=trust, cycle=cycle, name=term_name, start_date=start, end_date=end
            )
    return cycle


@dataclass
class TrustWorld:
    """One trust with a person in every role, the relations DESIGN.md's table names:

    head (headteacher of ``school``) → manager (line manager) → staff
    head → colleague (same school, not managed by ``manager``)
    admin (trust admin, in central services), other_head (head of ``other_school``),
    outsider_school_staff (in other_school).
    """

    trust: Trust
    school: School
    other_school: School
    central: School
    head: StaffMember
    manager: StaffMember
    staff: StaffMember
    colleague: StaffMember
    support: StaffMember
    admin: StaffMember
    other_head: StaffMember
    other_school_staff: StaffMember
    cycle: GrowthCycle
    priority: TrustPriority

    @property
    def everyone(self) -> dict[str, StaffMember]:
        return {
            "head": self.head,
            "manager": self.manager,
            "staff": self.staff,
            "colleague": self.colleague,
            "support": self.support,
            "admin": self.admin,
            "other_head": self.other_head,
            "other_school_staff": self.other_school_staff,
        }


def make_world(slug: str) -> TrustWorld:
    trust = make_trust(slug)
    school = make_school(trust, f"{slug.title()} Primary")
    other_school = make_school(trust, f"{slug.title()} Academy")
    central = make_school(trust, "Central Services", kind=School.Kind.CENTRAL)
    head = make_staff(
        trust, school, first_name="Hana", job_title="Headteacher", stage="assistant-deputy-head"
    )
    manager = make_staff(
        trust,
        school,
        first_name="Mo",
        job_title="Head of English",
        stage="upr23",
        line_manager=head,
        holds_tlr=True,
    )
    staff = make_staff(
        trust,
        school,
        first_name="Sam",
        job_title="Teacher of English",
        stage="mpr",
        line_manager=manager,
    )
    colleague = make_staff(
        trust,
        school,
        first_name="Cal",
        job_title="Teacher of Maths",
        stage="upr1",
        line_manager=head,
    )
    support = make_staff(
        trust,
        school,
        first_name="Sue",
        job_title="Teaching Assistant",
        category=StaffMember.Category.SUPPORT,
        line_manager=manager,
    )
    admin = make_staff(
        trust,
        central,
        first_name="Ada",
        job_title="HR Manager",
        category=StaffMember.Category.CENTRAL,
    )
    other_head = make_staff(
        trust,
        other_school,
        first_name="Otto",
        job_title="Headteacher",
        stage="assistant-deputy-head",
    )
    other_school_staff = make_staff(
        trust, other_school, first_name="Oli", stage="ect1", line_manager=other_head
    )
    with trust_scope(trust):
        role_assign(actor=None, staff=head, role=RoleAssignment.Role.HEADTEACHER, school=school)
        role_assign(
            actor=None, staff=other_head, role=RoleAssignment.Role.HEADTEACHER, school=other_school
        )
        role_assign(actor=None, staff=admin, role=RoleAssignment.Role.TRUST_ADMIN)
        priority = TrustPriority.objects.create(trust=trust, name="Success through learning")
    cycle = make_cycle(trust)
    # The world is built row by row, not through the services: its summaries are rebuilt
    # the way a bulk load's are.
    progress_rebuild(trust=trust)
    return TrustWorld(
        trust,
        school,
        other_school,
        central,
        head,
        manager,
        staff,
        colleague,
        support,
        admin,
        other_head,
        other_school_staff,
        cycle,
        priority,
    )


def give_every_role(world: TrustWorld) -> StaffMember:
    """Make the world's trust admin also the manager of central services and a line manager,
    as in a small trust where HR runs everything: the widest header there is."""
    with trust_scope(world.trust):
        role_assign(
            actor=None,
            staff=world.admin,
            role=RoleAssignment.Role.HEADTEACHER,
            school=world.central,
        )
    return make_staff(
        world.trust,
        world.central,
        first_name="Pat",
        job_title="HR Assistant",
        category=StaffMember.Category.CENTRAL,
        line_manager=world.admin,
    )
