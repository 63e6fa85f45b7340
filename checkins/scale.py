"""The checkins app's part of ``manage.py seed_scale`` and of the benchmark: a term of
check-ins for every person (most held, some excused, some not yet recorded), the check-in
pages, and the timed daily reminder sweep."""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from checkins.models import Checkin, CheckinReflection, Recognition
from checkins.reminders import reminders_sweep_trust
from checkins.schedule import dates_for_person
from checkins.selectors import cycle_schedule
from growth.benchmark import (
    BenchJob,
    BenchPage,
    BenchPeople,
    register_bench_job,
    register_bench_page,
)
from growth.scale import BATCH, ScaleSeeder, ScaleTrust, register_scale_seeder
from growth.tenancy import trust_scope

AREAS = ("self", "others", "trust")
SWEEP_GOAL_SECONDS = 60


def seed_checkins(world: ScaleTrust) -> int:
    rng, cycle = world.rng, world.cycle
    dates = [d for d in cycle_schedule(cycle=cycle) if d < world.today]
    rows: list[Checkin] = []
    for person in world.staff:
        for due in dates_for_person(
            dates, start_date=person.start_date, leave_date=person.leave_date
        ):
            roll = rng.random()
            if roll < 0.75:
                rows.append(
                    Checkin(
                        trust=world.trust,
                        staff_member=person,
                        cycle=cycle,
                        due_on=due,
                        status=Checkin.Status.HELD,
                        held_on=due,
                        took_part_in_360=rng.random() < 0.1,
                        next_step_i_am="trying one new strategy",
                        recorded_by=person,
                    )
                )
            elif roll < 0.85:
                rows.append(
                    Checkin(
                        trust=world.trust,
                        staff_member=person,
                        cycle=cycle,
                        due_on=due,
                        status=Checkin.Status.MISSED,
                        reason="Absent",
                        recorded_by=person,
                    )
                )
    rows = Checkin.objects.bulk_create(rows, batch_size=BATCH)
    held = [c for c in rows if c.status == Checkin.Status.HELD]
    reflections = [
        CheckinReflection(
            trust=world.trust, checkin=c, area=area, progress_note="Progress this fortnight."
        )
        for c in held
        for area in AREAS
        if rng.random() < 0.6
    ]
    CheckinReflection.objects.bulk_create(reflections, batch_size=BATCH)
    staff_ids = [p.pk for p in world.staff]
    recognitions = [
        Recognition(trust=world.trust, checkin=c, colleague_id=rng.choice(staff_ids))
        for c in held
        if rng.random() < 0.15
    ]
    recognitions = [r for r in recognitions if r.colleague_id != r.checkin.staff_member_id]
    Recognition.objects.bulk_create(recognitions, batch_size=BATCH, ignore_conflicts=True)
    return len(rows) + len(reflections) + len(recognitions)


def time_reminder_sweep(people: BenchPeople) -> dict[str, Any]:
    """Claim today's reminders for the whole scale trust, timed, then roll back so nothing is
    left behind (the send fan-out is enqueued on commit, so it is not sent either)."""
    trust = people.trust
    with trust_scope(trust):
        started = time.monotonic()
        with transaction.atomic():
            claimed = reminders_sweep_trust(trust_id=trust.pk, today=timezone.localdate())
            seconds = time.monotonic() - started
            transaction.set_rollback(True)
    return {
        "seconds": round(seconds, 2),
        "claims": len(claimed),
        "summary": f"{len(claimed)} reminders claimed in {seconds:.2f} s",
        "goal": f"under {SWEEP_GOAL_SECONDS} s for 5,000 staff",
        "met": seconds < SWEEP_GOAL_SECONDS,
    }


register_scale_seeder(ScaleSeeder("checkins", seed_checkins, order=20))
register_bench_job(BenchJob("checkins_reminder_sweep", "Daily reminder sweep", time_reminder_sweep))
register_bench_page(
    BenchPage(
        "checkins_mine",
        "Check-ins: my check-ins (staff)",
        "staff",
        lambda p: reverse("checkins:person", kwargs={"public_id": p.staff.public_id}),
        order=50,
    )
)
register_bench_page(
    BenchPage(
        "checkins_team",
        "Check-ins: team (manager)",
        "manager",
        lambda p: reverse("checkins:team"),
        order=51,
    )
)
