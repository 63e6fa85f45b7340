"""What the benchmark measures: every role's home page and every report and export, each as
the person who would open it, plus the reference page. Runs in a Django process on one
benchmark database (bench/prepare.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from django.urls import reverse

from growth.models import RoleAssignment, School, StaffMember, Trust

REFERENCE = "reference"


@dataclass
class BenchPeople:
    """Who opens the pages: a staff member, their line manager, the headteacher of the first
    school and a trust admin, all of the trust being measured."""

    trust: Trust
    staff: StaffMember
    manager: StaffMember
    head: StaffMember
    admin: StaffMember
    school: School


@dataclass(frozen=True)
class BenchPage:
    key: str
    label: str
    role: str  # "staff", "manager", "head" or "admin": an attribute of BenchPeople
    url: Callable[[BenchPeople], str]


def _export(name: str, table: str, fmt: str) -> Callable[[BenchPeople], str]:
    def url(people: BenchPeople) -> str:
        if name == "reports:school":
            base = reverse(name, args=[people.school.public_id])
        else:
            base = reverse(name)
        return f"{base}?export={table}&format={fmt}"

    return url


PAGES: list[BenchPage] = [
    BenchPage(
        REFERENCE,
        "Reference: a school's staff, 100 a page",
        "head",
        lambda p: reverse("bench_reference", args=[p.school.public_id]),
    ),
    BenchPage("home_staff", "Home: staff member", "staff", lambda p: reverse("home")),
    BenchPage("home_manager", "Home: line manager", "manager", lambda p: reverse("home")),
    BenchPage("home_head", "Home: headteacher", "head", lambda p: reverse("home")),
    BenchPage("home_admin", "Home: trust admin", "admin", lambda p: reverse("home")),
    # The parts of the home page loaded after it (htmx), each measured as a page of its own.
    BenchPage(
        "panel_inbox_head", "Panel: waiting for me", "head", lambda p: reverse("inbox_panel")
    ),
    BenchPage(
        "inbox_count_admin", "Header: waiting count", "admin", lambda p: reverse("inbox_count")
    ),
    BenchPage(
        "panel_feedback_head",
        "Panel: feedback on growth focus",
        "head",
        lambda p: reverse("checkins:growth_feedback_panel"),
    ),
    *(
        BenchPage(
            f"panel_team_plans_{role}",
            f"Panel: team growth plans ({role})",
            role,
            lambda p: reverse("objectives:team_panel"),
        )
        for role in ("head", "admin")
    ),
    BenchPage(
        "panel_follow_up_admin",
        "Panel: schools to follow up (admin)",
        "admin",
        lambda p: reverse("reports:trust_panel"),
    ),
    BenchPage("report_team", "Report: team", "manager", lambda p: reverse("reports:team")),
    BenchPage(
        "report_school",
        "Report: school",
        "head",
        lambda p: reverse("reports:school", args=[p.school.public_id]),
    ),
    BenchPage("report_trust", "Report: trust", "admin", lambda p: reverse("reports:trust")),
    BenchPage(
        "objectives_team", "Objectives: team plans", "manager", lambda p: reverse("objectives:team")
    ),
    BenchPage("checkins_team", "Check-ins: team", "manager", lambda p: reverse("checkins:team")),
    BenchPage(
        "reviews_moderation",
        "Reviews: moderation",
        "head",
        lambda p: reverse("reviews:moderation"),
    ),
    BenchPage(
        "reviews_calibration",
        "Reviews: calibration",
        "admin",
        lambda p: reverse("reviews:calibration"),
    ),
    *(
        BenchPage(
            f"export_{scope}_{table}_{fmt}",
            f"Export: {scope} {table} ({fmt.upper()})",
            role,
            _export(name, table, fmt),
        )
        for scope, table, role, name in (
            ("team", "team", "manager", "reports:team"),
            ("school", "summary", "head", "reports:school"),
            ("school", "people", "head", "reports:school"),
            ("trust", "schools", "admin", "reports:trust"),
        )
        for fmt in ("csv", "xlsx")
    ),
]


def bench_people(slug: str) -> BenchPeople:
    """The trust's people who open the pages, chosen the same way at every size: the first
    school's headteacher, the line manager in that school with the largest team, the first
    person of that team, and the first trust admin."""
    trust = Trust.objects.get(slug=slug)
    staff_qs = StaffMember.objects.for_trust(trust).select_related("user", "school")
    roles = RoleAssignment.objects.for_trust(trust).select_related("staff_member__user", "school")
    admin = roles.filter(role=RoleAssignment.Role.TRUST_ADMIN).order_by("pk").first().staff_member
    head_role = (
        roles.filter(role=RoleAssignment.Role.HEADTEACHER, school__kind=School.Kind.SCHOOL)
        .order_by("school__name")
        .first()
    )
    head, school = head_role.staff_member, head_role.school
    manager = (
        staff_qs.filter(school=school, line_manager=head)
        .annotate(n=Count("reports"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    ) or head
    staff = staff_qs.filter(line_manager=manager).order_by("pk").first()
    return BenchPeople(trust, staff, manager, head, admin, school)


def session_key(staff: StaffMember) -> str:
    """A signed-in session for ``staff``, made the way ``Client.force_login`` makes one, so
    that the load test measures pages rather than the sign-in form's password hashing."""
    session = SessionStore()
    session[SESSION_KEY] = str(staff.user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = staff.user.get_session_auth_hash()
    session.create()
    return session.session_key
