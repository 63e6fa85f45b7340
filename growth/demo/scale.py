"""Building a trust at scale for the benchmark (``manage.py seed_scale``), with bulk inserts.

The core part (schools, staff, line managers, roles, the cycle and its terms) lives here. Each
app to the right adds its records in its own ``scale.py``, found by autodiscovery like the
report registry, by calling ``register_scale_seeder(ScaleSeeder(...))``; a seeder receives a
``ScaleTrust`` and bulk-inserts its rows (never one save per row)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from growth.demo.sample_names import FIRST, LAST
from growth.models import (
    CareerStage,
    Closure,
    GrowthCycle,
    RoleAssignment,
    School,
    StaffMember,
    Term,
    Trust,
    TrustPriority,
)
from growth.security.tenancy import trust_scope

SCALE_PASSWORD = "growth-scale-2026"  # noqa: S105 - published benchmark credential, test data only
BATCH = 2000

TEACHER_STAGES = [
    "ect1",
    "ect2",
    "mpr",
    "mpr",
    "mpr",
    "upr1",
    "upr23",
    "upr23",
    "leading-practitioner",
]
SUBJECTS = ["English", "Maths", "Science", "History", "Geography", "PE", "Art", "Music", "French"]
SUPPORT_TITLES = [
    "Teaching Assistant",
    "Office Manager",
    "Receptionist",
    "Site Manager",
    "SENCO Assistant",
]
CENTRAL_TITLES = [
    "HR Adviser",
    "Finance Officer",
    "IT Technician",
    "Estates Officer",
    "Payroll Officer",
]


@dataclass
class ScaleTrust:
    """What an app's seeder builds on. ``staff`` are every active member; ``managers`` maps a
    person's id to their line manager's id; ``leaders`` are the heads of each school."""

    trust: Trust
    cycle: GrowthCycle
    schools: list[School]
    staff: list[StaffMember]
    heads: dict[int, StaffMember]  # school id → headteacher
    admins: list[StaffMember]
    today: dt.date
    rng: random.Random
    previous_cycle: GrowthCycle | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def manager_of(self, person: StaffMember) -> int | None:
        return person.line_manager_id


@dataclass(frozen=True)
class ScaleSeeder:
    key: str
    build: Callable[[ScaleTrust], int]  # returns how many rows it inserted
    order: int = 50


_seeders: dict[str, ScaleSeeder] = {}


def register_scale_seeder(seeder: ScaleSeeder) -> None:
    _seeders.setdefault(seeder.key, seeder)


def scale_seeders() -> list[ScaleSeeder]:
    autodiscover_modules("scale")
    return sorted(_seeders.values(), key=lambda s: s.order)


def copy_rows(model: type, rows: list[dict]) -> int:
    """Insert rows (dicts of attname → value; every other column takes its default) with
    PostgreSQL COPY: several times faster than ``bulk_create`` for the 100,000 check-ins of a
    large trust. Each row gets a fresh ``public_id``; ids are not returned."""
    import uuid

    from django.db import connection
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {}
    for f in fields:
        if f.attname in ("created_at", "updated_at"):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()  # "" for text columns, None if nullable
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    names = [f.attname for f in fields]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # lets the RLS wrapper set the trust for the transaction
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = {**defaults, **row, "public_id": uuid.uuid4()}
                copy.write_row([values[name] for name in names])
    return len(rows)


def cycle_start_year(today: dt.date) -> int:
    return today.year if today.month >= 9 else today.year - 1


@transaction.atomic
def build_core(
    *, slug: str, name: str, schools: int, staff: int, today: dt.date, seed: int = 2026
) -> ScaleTrust:
    """The trust, ``schools`` schools plus central services, ``staff`` people in all (about 2%
    central), each school with a headteacher, line managers of about eight people each, two
    trust admins, and the current cycle with six terms."""
    trust = Trust.objects.create(name=name, slug=slug, email_domains=f"{slug}.example")
    with trust_scope(trust):
        return _build_core(trust, schools=schools, staff=staff, today=today, seed=seed)


def early_may_bank_holiday(y: int) -> dt.date:
    """The one closure of the school year from September of ``y`` (a fixed day, for the demo
    and the scale trust)."""
    return dt.date(y + 1, 5, 3)


def school_year(y: int) -> tuple[dict[str, dt.date], list[tuple[str, dt.date, dt.date]]]:
    """A typical English school year from September of ``y``: the cycle's dates and its six
    terms. Shared by the scale trust and the tests' factories."""
    dates = {
        "start_date": dt.date(y, 9, 1),
        "end_date": dt.date(y + 1, 8, 31),
        "objectives_deadline": dt.date(y, 10, 31),
        "reflection_opens": dt.date(y + 1, 6, 21),
        "reflection_closes": dt.date(y + 1, 7, 9),
        "review_deadline": dt.date(y + 1, 7, 16),
        "final_decision_deadline": dt.date(y + 1, 7, 21),
    }
    terms = [
        ("Autumn 1", dt.date(y, 9, 2), dt.date(y, 10, 23)),
        ("Autumn 2", dt.date(y, 11, 2), dt.date(y, 12, 18)),
        ("Spring 1", dt.date(y + 1, 1, 5), dt.date(y + 1, 2, 12)),
        ("Spring 2", dt.date(y + 1, 2, 22), dt.date(y + 1, 3, 26)),
        ("Summer 1", dt.date(y + 1, 4, 12), dt.date(y + 1, 5, 28)),
        ("Summer 2", dt.date(y + 1, 6, 7), dt.date(y + 1, 7, 21)),
    ]
    return dates, terms


def _cycle(trust: Trust, y: int) -> GrowthCycle:
    """A cycle starting in September of ``y`` with its six terms and a bank holiday."""
    dates, terms = school_year(y)
    cycle = GrowthCycle.objects.create(trust=trust, name=f"{y}-{str(y + 1)[-2:]}", **dates)
    Term.objects.bulk_create(
        Term(trust=trust, cycle=cycle, name=n, start_date=s, end_date=e) for n, s, e in terms
    )
    Closure.objects.bulk_create(
        [
            Closure(
                trust=trust,
                cycle=cycle,
                name="Early May bank holiday",
                start_date=early_may_bank_holiday(y),
                end_date=early_may_bank_holiday(y),
            )
        ]
    )
    return cycle


def _build_core(trust: Trust, *, schools: int, staff: int, today: dt.date, seed: int) -> ScaleTrust:
    rng = random.Random(seed)
    domain = trust.email_domains
    y = cycle_start_year(today)
    previous = _cycle(trust, y - 1)
    cycle = _cycle(trust, y)
    TrustPriority.objects.bulk_create(
        TrustPriority(trust=trust, name=p, order=i)
        for i, p in enumerate(
            ["Success through learning", "Growing great leaders", "Trust of choice"]
        )
    )
    school_rows = School.objects.bulk_create(
        [
            School(trust=trust, name=f"School {i + 1:03d}", kind=School.Kind.SCHOOL)
            for i in range(schools)
        ]
        + [School(trust=trust, name="Central Services", kind=School.Kind.CENTRAL)]
    )
    central = school_rows[-1]
    central_n = max(3, staff // 50)
    per_school, remainder = divmod(staff - central_n, max(schools, 1))
    # Who works where, in two passes: leaders first (heads, then line managers), so everybody
    # else can point at their line manager's id.
    stages = {s.code: s for s in CareerStage.objects.all()}
    plan: list[dict] = []
    for index, school in enumerate(school_rows):
        n = central_n if school is central else max(2, per_school + (index < remainder))
        n_managers = max(1, n // 9)
        if school is central:
            plan.append(
                dict(
                    school=school, level=0, category="central", title="Director of Central Services"
                )
            )
        else:
            plan.append(
                dict(
                    school=school,
                    level=0,
                    category="teaching",
                    stage="assistant-deputy-head",
                    title="Headteacher",
                    senior=True,
                )
            )
        for m in range(n_managers):
            if school is central:
                plan.append(
                    dict(
                        school=school,
                        level=1,
                        category="central",
                        title="Team Leader",
                        manager_slot=0,
                    )
                )
            else:
                subject = SUBJECTS[m % len(SUBJECTS)]
                plan.append(
                    dict(
                        school=school,
                        level=1,
                        category="teaching",
                        stage=rng.choice(["upr23", "leading-practitioner"]),
                        title=f"Head of {subject}",
                        tlr=True,
                        manager_slot=0,
                    )
                )
        for i in range(n - 1 - n_managers):
            slot = 1 + (i % n_managers)
            if school is central:
                plan.append(
                    dict(
                        school=school,
                        level=2,
                        category="central",
                        title=rng.choice(CENTRAL_TITLES),
                        manager_slot=slot,
                    )
                )
            elif rng.random() < 0.62:
                plan.append(
                    dict(
                        school=school,
                        level=2,
                        category="teaching",
                        stage=rng.choice(TEACHER_STAGES),
                        title=f"Teacher of {rng.choice(SUBJECTS)}",
                        manager_slot=slot,
                    )
                )
            else:
                plan.append(
                    dict(
                        school=school,
                        level=2,
                        category="support",
                        title=rng.choice(SUPPORT_TITLES),
                        manager_slot=slot,
                    )
                )
    User = get_user_model()
    password = make_password(SCALE_PASSWORD)
    users = []
    for n, row in enumerate(plan):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        email = f"{first}.{last}.{n}@{domain}".lower()
        row.update(first=first, last=last, email=email)
        users.append(
            User(username=email, email=email, first_name=first, last_name=last, password=password)
        )
    users = User.objects.bulk_create(users, batch_size=BATCH)
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, primary=True, verified=True) for u in users),
        batch_size=BATCH,
    )
    start = dt.date(y - 4, 9, 1)
    by_school_level: dict[tuple[int, int], list[StaffMember]] = {}
    members: list[StaffMember] = []
    for level in (0, 1, 2):
        batch = []
        for row, user in zip(plan, users, strict=True):
            if row["level"] != level:
                continue
            manager = None
            if level:
                leaders = by_school_level[(row["school"].pk, 0)] + by_school_level.get(
                    (row["school"].pk, 1), []
                )
                manager = leaders[row["manager_slot"]]
            batch.append(
                StaffMember(
                    trust=trust,
                    user=user,
                    school=row["school"],
                    job_title=row["title"],
                    category=row["category"],
                    career_stage=stages.get(row.get("stage", "")),
                    line_manager=manager,
                    start_date=start
                    if rng.random() > 0.05
                    else dt.date(y, 9, 1) + dt.timedelta(days=rng.randrange(0, 70)),
                    holds_tlr=row.get("tlr", False),
                    is_senior_leader=row.get("senior", False),
                )
            )
        made = StaffMember.objects.bulk_create(batch, batch_size=BATCH)
        for m in made:
            by_school_level.setdefault((m.school_id, level), []).append(m)
        members += made
    heads = {school.pk: by_school_level[(school.pk, 0)][0] for school in school_rows}
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            trust=trust,
            staff_member=head,
            role=RoleAssignment.Role.HEADTEACHER,
            school_id=school_id,
        )
        for school_id, head in heads.items()
    )
    central_team = [
        m for m in members if m.school_id == central.pk and m.pk != heads[central.pk].pk
    ]
    admins = central_team[:2]
    RoleAssignment.objects.bulk_create(
        RoleAssignment(trust=trust, staff_member=a, role=RoleAssignment.Role.TRUST_ADMIN)
        for a in admins
    )
    return ScaleTrust(
        trust=trust,
        cycle=cycle,
        schools=school_rows,
        staff=members,
        heads=heads,
        admins=admins,
        today=today,
        rng=rng,
        previous_cycle=previous,
    )
