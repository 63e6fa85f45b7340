"""The check-ins app's part of ``manage.py seed_scale``: about twenty check-ins a year for
everyone (the whole of last cycle, this cycle so far), a reflection on this cycle's held ones,
observations."""

from __future__ import annotations

import datetime as dt

from checkins.models import Checkin, CheckinReflection, Observation
from checkins.schedule import dates_for_person
from checkins.selectors import cycle_schedule
from growth.demo.scale import BATCH, ScaleSeeder, ScaleTrust, copy_rows, register_scale_seeder

AREAS = ("self", "others", "trust")


def seed_checkins(world: ScaleTrust) -> int:
    rng = world.rng
    rows: list[dict] = []
    for cycle in (world.previous_cycle, world.cycle):
        if cycle is None:
            continue
        dates = [d for d in cycle_schedule(cycle=cycle) if d < world.today]
        for person in world.staff:
            engagement = rng.choice((0.95, 0.9, 0.8, 0.6, 0.3))
            for due in dates_for_person(
                dates, start_date=person.start_date, leave_date=person.leave_date
            ):
                roll = rng.random()
                if roll < engagement:
                    rows.append(
                        {
                            "trust_id": world.trust.pk,
                            "staff_member_id": person.pk,
                            "cycle_id": cycle.pk,
                            "due_on": due,
                            "status": "held",
                            "held_on": due,
                            "next_step_i_am": "trying a new questioning routine",
                            "recorded_by_id": person.line_manager_id,
                        }
                    )
                elif roll < engagement + 0.04:
                    rows.append(
                        {
                            "trust_id": world.trust.pk,
                            "staff_member_id": person.pk,
                            "cycle_id": cycle.pk,
                            "due_on": due,
                            "status": "missed",
                            "reason": "Covering a colleague's lesson",
                            "recorded_by_id": person.line_manager_id,
                        }
                    )
    copy_rows(Checkin, rows)
    # One reflection on an objective area per check-in held this cycle, made in the database.
    reflections = _reflect(world)
    observations = []
    teachers = [p for p in world.staff if p.category == "teaching" and p.line_manager_id]
    for person in teachers:
        if world.previous_cycle is not None:
            observations.append(
                Observation(
                    trust=world.trust,
                    cycle=world.previous_cycle,
                    observee=person,
                    observer_id=person.line_manager_id,
                    date=world.previous_cycle.start_date
                    + dt.timedelta(days=rng.randrange(40, 280)),
                    minutes=30,
                    purpose=Observation.Purpose.SUPPORT,
                    focus_area=rng.choice(AREAS),
                    status=Observation.Status.DONE,
                )
            )
    Observation.objects.bulk_create(observations, batch_size=BATCH)
    return len(rows) + reflections + len(observations)


def _reflect(world: ScaleTrust) -> int:
    from django.db import connection

    table = connection.ops.quote_name(CheckinReflection._meta.db_table)
    checkins = connection.ops.quote_name(Checkin._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (trust_id, public_id, created_at, updated_at, checkin_id, "  # noqa: S608
            "area, progress_note) SELECT trust_id, gen_random_uuid(), now(), now(), id, "
            "(ARRAY['self','others','trust'])[1 + id %% 3], %s "
            f"FROM {checkins} WHERE trust_id = %s AND cycle_id = %s AND status = 'held'",
            ["Progress noted against the objective.", world.trust.pk, world.cycle.pk],
        )
        return cursor.rowcount


register_scale_seeder(ScaleSeeder("checkins", seed_checkins, order=20))
