"""Build the demo trusts. Safe to run again: it finds what is there and adds only what is not."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management import BaseCommand, call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction
from django.test.utils import override_settings

from growth.demo.activity import DemoTrust, demo_seeders
from growth.demo.sample_names import FIRST, LAST
from growth.demo.scale import early_may_bank_holiday, school_year
from growth.domain.services import role_assign, staff_member_create
from growth.models import (
    CareerStage,
    Closure,
    GrowthCycle,
    PayRange,
    RoleAssignment,
    School,
    StaffMember,
    StrategicGoal,
    Term,
    Trust,
    TrustPriority,
)
from growth.reporting.progress import progress_deferred, progress_rebuild
from growth.security.tenancy import trust_scope

DEMO_PASSWORD = "growth-demo-2026"  # noqa: S105 - published demo credential, demo data only

PILLARS = [
    "Success through learning",
    "Building with confidence",
    "Growing great leaders",
    "Evolution of self",
    "Trust of choice",
]


@dataclass
class Person:
    key: str
    job_title: str
    category: str
    stage: str | None = None
    manager: str | None = None
    tlr: bool = False
    senior: bool = False
    coach: bool = False


# Where each career stage's teachers sit on the pay ranges (seed 004): the pay table then has
# teachers to progress, one at the top of the main range who may apply for the Upper Pay
# Scale (each school's maths teacher, "-t4"), and leaders on no teachers' range.
PAY_BY_STAGE: dict[str, tuple[str, int]] = {
    "ect1": (PayRange.MAIN, 1),
    "ect2": (PayRange.MAIN, 2),
    "mpr": (PayRange.MAIN, 4),
    "upr1": (PayRange.UPPER, 1),
    "upr23": (PayRange.UPPER, 2),
    "leading-practitioner": (PayRange.LEADING_PRACTITIONER, 5),
}
AT_THE_TOP_OF_THE_MAIN_RANGE = "-t4"


def pay_position(person: Person) -> dict[str, object]:
    if person.key.endswith(AT_THE_TOP_OF_THE_MAIN_RANGE):
        return {"pay_range": PayRange.MAIN, "pay_point": 6}
    if person.stage in PAY_BY_STAGE:
        pay_range, point = PAY_BY_STAGE[person.stage]
        return {"pay_range": pay_range, "pay_point": point}
    return {}


def school_people(prefix: str) -> list[Person]:
    t, s = StaffMember.Category.TEACHING, StaffMember.Category.SUPPORT
    return [
        Person(f"{prefix}-head", "Headteacher", t, "assistant-deputy-head", senior=True),
        Person(
            f"{prefix}-deputy",
            "Deputy Headteacher",
            t,
            "assistant-deputy-head",
            f"{prefix}-head",
            senior=True,
            coach=True,
        ),
        Person(
            f"{prefix}-english",
            "Head of English",
            t,
            "leading-practitioner",
            f"{prefix}-deputy",
            tlr=True,
        ),
        Person(f"{prefix}-maths", "Head of Maths", t, "upr23", f"{prefix}-deputy", tlr=True),
        Person(f"{prefix}-t1", "Teacher of English", t, "ect1", f"{prefix}-english"),
        Person(f"{prefix}-t2", "Teacher of English", t, "ect2", f"{prefix}-english"),
        Person(f"{prefix}-t3", "Teacher of English", t, "mpr", f"{prefix}-english"),
        Person(f"{prefix}-t4", "Teacher of Maths", t, "mpr", f"{prefix}-maths"),
        Person(f"{prefix}-t5", "Teacher of Maths", t, "upr1", f"{prefix}-maths"),
        Person(f"{prefix}-t6", "Teacher of Science", t, "upr23", f"{prefix}-deputy"),
        Person(f"{prefix}-t7", "Teacher of History", t, "mpr", f"{prefix}-deputy"),
        Person(f"{prefix}-t8", "Teacher of PE", t, "upr1", f"{prefix}-deputy"),
        Person(f"{prefix}-office", "Office Manager", s, None, f"{prefix}-head"),
        Person(f"{prefix}-ta1", "Teaching Assistant", s, None, f"{prefix}-deputy"),
        Person(f"{prefix}-ta2", "Teaching Assistant", s, None, f"{prefix}-deputy"),
        Person(f"{prefix}-admin", "Receptionist", s, None, f"{prefix}-office"),
    ]


def central_people(prefix: str) -> list[Person]:
    c = StaffMember.Category.CENTRAL
    return [
        Person(f"{prefix}-director", "Director of Central Services", c, senior=True),
        Person(f"{prefix}-hr", "HR Manager", c, manager=f"{prefix}-director"),
        Person(f"{prefix}-finance", "Finance Officer", c, manager=f"{prefix}-director"),
        Person(f"{prefix}-payroll", "Payroll Officer", c, manager=f"{prefix}-finance"),
        Person(f"{prefix}-it", "IT Technician", c, manager=f"{prefix}-director"),
        Person(f"{prefix}-estates", "Estates Manager", c, manager=f"{prefix}-director"),
        Person(f"{prefix}-hradv", "HR Adviser", c, manager=f"{prefix}-hr"),
    ]


class Command(BaseCommand):
    help = "Create (or complete) the demo trusts and print how to sign in."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--port",
            default=os.environ.get("PORT", "8000"),
            help="The port the printed sign-in URL names (default: $PORT, else 8000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        self.today = dt.date.today()
        self.password_hash = make_password(DEMO_PASSWORD)
        call_command("loaddata", "fixtures/career_stages.json", verbosity=0)
        self.extra_fixtures()
        today = self.today
        start_year = today.year if today.month >= 9 else today.year - 1
        # The demo's people have made-up addresses: the hundreds of notices their year would
        # send (plan agreed, self-review shared…) go nowhere rather than fill the terminal.
        # Tasks run in this process when there is no Redis: their one log line each is not news.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                big, small = self.build_trusts(start_year)
        finally:
            trace.setLevel(level)
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Demo trusts ready ({seconds:.0f} s)."))
        port = options.get("port") or "8000"
        self.stdout.write(
            f"Sign in at http://127.0.0.1:{port}/ with password {DEMO_PASSWORD!r} as:"
        )
        for trust, rows in (big, small):
            self.stdout.write(f"  {trust.name}:")
            for label, email, first in rows:
                self.stdout.write(f"    {label:<38} {email}")
                self.stdout.write(f"    {'':<38} try: {first}")

    def build_trusts(self, start_year: int) -> tuple[Any, Any]:
        big = self.build_trust(
            name="Northbridge Learning Trust",
            slug="northbridge",
            domain="northbridge.example",
            schools=["Northbridge Primary School", "Hillcrest Academy", "Riverside High School"],
            start_year=start_year,
        )
        small = self.build_trust(
            name="Fenmoor Schools Partnership",
            slug="fenmoor",
            domain="fenmoor.example",
            schools=["Fenmoor Primary"],
            start_year=start_year,
            small=True,
        )
        return big, small

    def extra_fixtures(self) -> None:
        """Load the other apps' shipped fixtures when they exist, so the demo is complete."""
        from django.conf import settings

        for path in sorted((settings.BASE_DIR / "fixtures").glob("*.json")):
            if path.name == "career_stages.json" or path.name.startswith("example"):
                continue
            try:
                with transaction.atomic():
                    call_command("loaddata", str(path), verbosity=0)
            except (DatabaseError, DeserializationError) as exc:
                # A file its app reads itself (not a loaddata fixture) must not stop the demo;
                # say so rather than hide it.
                first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                self.stderr.write(f"Skipped {path.name}: not loadable with loaddata ({first_line})")

    @transaction.atomic
    def build_trust(
        self,
        *,
        name: str,
        slug: str,
        domain: str,
        schools: list[str],
        start_year: int,
        small: bool = False,
    ) -> tuple[Trust, list[tuple[str, str]]]:
        trust, _ = Trust.objects.get_or_create(
            slug=slug, defaults={"name": name, "email_domains": domain}
        )
        with trust_scope(trust):
            for year in (start_year - 1, start_year):
                dates, terms = school_year(year)
                cycle, _ = GrowthCycle.objects.get_or_create(
                    trust=trust, name=f"{year}-{str(year + 1)[-2:]}", defaults=dates
                )
                for term_name, start, end in terms:
                    Term.objects.get_or_create(
                        trust=trust,
                        cycle=cycle,
                        name=term_name,
                        defaults={"start_date": start, "end_date": end},
                    )
                Closure.objects.get_or_create(
                    trust=trust,
                    cycle=cycle,
                    name="Early May bank holiday",
                    defaults={
                        "start_date": early_may_bank_holiday(year),
                        "end_date": early_may_bank_holiday(year),
                    },
                )
            pillars = {}
            for order, pillar in enumerate(PILLARS):
                pillars[pillar], _ = TrustPriority.objects.get_or_create(
                    trust=trust, name=pillar, defaults={"order": order}
                )
            StrategicGoal.objects.get_or_create(
                trust=trust,
                title="Teaching to Remember (meta-memory)",
                defaults={"priority": pillars["Success through learning"]},
            )
            school_rows = [
                School.objects.get_or_create(trust=trust, name=n, defaults={"kind": "school"})[0]
                for n in schools
            ]
            central, _ = School.objects.get_or_create(
                trust=trust, name="Central Services", defaults={"kind": School.Kind.CENTRAL}
            )
            people: list[tuple[School, Person]] = []
            for index, school in enumerate(school_rows):
                crowd = school_people(f"s{index + 1}")
                people += [(school, p) for p in (crowd[:6] + crowd[12:14] if small else crowd)]
            crowd = central_people("c")
            people += [(central, p) for p in (crowd[:3] if small else crowd)]
            made = self.build_people(trust, domain, people)
            signins: list[tuple[str, str, str]] = []
            for index, school in enumerate(school_rows):
                head = made[f"s{index + 1}-head"]
                role_assign(
                    actor=None, staff=head, role=RoleAssignment.Role.HEADTEACHER, school=school
                )
                signins.append(
                    (
                        f"Headteacher, {school.name}",
                        head.email,
                        "the school report: plans agreed and check-ins held, by team",
                    )
                )
            director = made["c-director"]
            role_assign(
                actor=None, staff=director, role=RoleAssignment.Role.HEADTEACHER, school=central
            )
            admin = made["c-hr"]
            role_assign(actor=None, staff=admin, role=RoleAssignment.Role.TRUST_ADMIN)
            signins += [
                (
                    "Manager, Central Services",
                    director.email,
                    "your team's plans and check-ins on your home page",
                ),
                (
                    "Trust admin (HR)",
                    admin.email,
                    "the trust report; People, to open someone and change their role",
                ),
                (
                    "Line manager (Head of English)" if not small else "Line manager (Deputy)",
                    made["s1-english" if not small else "s1-deputy"].email,
                    "a plan awaiting your agreement; your team's check-ins",
                ),
                (
                    "Teacher (ECT 1)",
                    made["s1-t1"].email,
                    "finish and submit your growth plan; record the check-in that is due",
                ),
                (
                    "Teaching assistant (support staff)",
                    made["s1-ta1"].email,
                    "your plan, check-ins and self-review",
                ),
            ]
            # A new cycle (a run in a new school year) is made row by row for people who
            # exist already: their progress in it is rebuilt as a bulk load's is.
            progress_rebuild(trust=trust)
            self.build_year(trust, made)
        return trust, signins

    def build_year(self, trust: Trust, made: dict[str, StaffMember]) -> None:
        """What the people would have done by today, through each app's services."""
        cycles = list(GrowthCycle.objects.for_trust(trust).order_by("start_date"))
        current = next((c for c in cycles if c.contains(self.today)), cycles[-1])
        earlier = [c for c in cycles if c.end_date < current.start_date]
        world = DemoTrust(
            trust=trust,
            cycle=current,
            previous_cycle=earlier[-1] if earlier else None,
            people=made,
            today=self.today,
        )
        # Each person's summary row is worked out once at the end, not after every record.
        with progress_deferred():
            for seeder in demo_seeders():
                seeder.build(world)

    def build_people(
        self, trust: Trust, domain: str, people: list[tuple[School, Person]]
    ) -> dict[str, StaffMember]:
        stages = {s.code: s for s in CareerStage.objects.all()}
        made: dict[str, StaffMember] = {}
        for n, (school, person) in enumerate(people):
            first = FIRST[(n * 7 + len(trust.slug)) % len(FIRST)]
            last = LAST[(n * 11 + 3 * len(trust.slug)) % len(LAST)]
            email = f"{first}.{last}.{person.key}@{domain}".lower()
            existing = StaffMember.objects.filter(user__email=email).first()
            if existing is None:
                existing = staff_member_create(
                    actor=None,
                    trust=trust,
                    email=email,
                    first_name=first,
                    last_name=last,
                    school=school,
                    job_title=person.job_title,
                    category=person.category,
                    career_stage=stages.get(person.stage) if person.stage else None,
                    line_manager=made.get(person.manager) if person.manager else None,
                    start_date=dt.date(2019, 9, 1),
                    email_verified=True,
                    holds_tlr=person.tlr,
                    is_senior_leader=person.senior,
                    is_coaching_facilitator=person.coach,
                    **pay_position(person),
                )
                # One hash for every demo account: hashing 70 passwords takes a minute.
                existing.user.password = self.password_hash
                existing.user.save(update_fields=["password"])
                EmailAddress.objects.filter(user=existing.user).update(verified=True)
            made[person.key] = existing
        return made
