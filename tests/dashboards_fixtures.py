"""Helpers for the dashboards tests: grow a TrustWorld by N people at once."""

from __future__ import annotations

import csv
import io

import openpyxl

from growth.models import School, StaffMember
from growth.reporting.progress import progress_rebuild
from growth.security.tenancy import trust_scope
from tests.factories import TrustWorld, make_staff


def add_people(
    world: TrustWorld, n: int, *, school: School | None = None, manager: StaffMember | None = None
) -> list[StaffMember]:
    school = school or world.school
    manager = manager or world.manager
    return [
        make_staff(world.trust, school, line_manager=manager, last_name=f"Extra{i:03d}")
        for i in range(n)
    ]


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode() if response.streaming else None
    text = text if text is not None else response.content.decode()
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def xlsx_rows(response) -> list[list[str]]:
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def grow(world: TrustWorld, n: int) -> list[StaffMember]:
    """Add ``n`` people under the line manager and ``n`` in the other school, each with the
    records every landed app keeps (a plan with three objectives, …), so a page can be
    measured at two data sizes."""
    people = add_people(world, n) + add_people(
        world, n, school=world.other_school, manager=world.other_head
    )
    with trust_scope(world.trust):
        for extra in GROWERS:
            extra(world, people)
    # Written row by row, not through the services: rebuilt as a bulk load's are.
    progress_rebuild(trust=world.trust)
    return people


def _plans(world: TrustWorld, people: list[StaffMember]) -> None:
    from django.utils import timezone

    from objectives.models import AREA_ORDER, GrowthPlan, Objective

    for i, person in enumerate(people):
        agreed = i % 2 == 0
        plan = GrowthPlan.objects.create(
            trust=world.trust,
            staff_member=person,
            cycle=world.cycle,
            state=GrowthPlan.State.AGREED if agreed else GrowthPlan.State.SUBMITTED,
            agreed_version=1 if agreed else None,
            agreed_at=timezone.now() if agreed else None,
            agreed_by=person.line_manager if agreed else None,
        )
        for area in AREA_ORDER:
            Objective.objects.create(trust=world.trust, plan=plan, area=area, to_text="improve")


def _checkins(world: TrustWorld, people: list[StaffMember]) -> None:
    import datetime as dt

    from checkins.models import Checkin, CheckinReflection

    for i, person in enumerate(people):
        for week in range(3 if i % 2 == 0 else 1):
            day = dt.date(2026, 9, 11) + dt.timedelta(days=14 * week)
            checkin = Checkin.objects.create(
                trust=world.trust,
                staff_member=person,
                cycle=world.cycle,
                due_on=day,
                status=Checkin.Status.HELD,
                held_on=day,
            )
            CheckinReflection.objects.create(
                trust=world.trust, checkin=checkin, area="self", progress_note="Going well"
            )


def _reviews(world: TrustWorld, people: list[StaffMember]) -> None:
    from django.utils import timezone

    from reviews.models import JulyReflection, Review

    for i, person in enumerate(people):
        JulyReflection.objects.create(
            trust=world.trust,
            staff_member=person,
            cycle=world.cycle,
            submitted_at=timezone.now() if i % 2 == 0 else None,
        )
        status = [Review.Status.DRAFT, Review.Status.SUBMITTED, Review.Status.DECIDED][i % 3]
        Review.objects.create(
            trust=world.trust,
            staff_member=person,
            cycle=world.cycle,
            reviewer=person.line_manager,
            status=status,
            cell=5,
            placed_outcome="met",
            final_outcome="met" if status == Review.Status.DECIDED else "",
        )


# One function per landed app that adds its records for the given people.
GROWERS = [_plans, _checkins, _reviews]
