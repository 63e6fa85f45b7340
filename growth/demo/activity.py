"""The demo trust's year so far (``manage.py seed_demo``), written through the services.

``seed_demo`` builds the people; each app to the right adds what those people would have done
by the day it runs (plans, self-reviews, check-ins, observations, July reflections and
reviews) in its own ``demo.py``, found by autodiscovery like ``scale.py`` and ``reports.py``,
by calling ``register_demo_seeder(DemoSeeder(...))``. Unlike the benchmark's bulk inserts,
every record goes through the app's services as a person's click would, so audit rows and
each person's ``GrowthProgress`` are what they would be in a real trust.

A seeder must be idempotent: it looks for its own records in the cycle and adds nothing when
they are there, so running ``seed_demo`` again (``make serve`` does, every time) is quick."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from growth.models import GrowthCycle, StaffMember, Trust


@dataclass
class DemoTrust:
    """What a seeder builds on. ``people`` maps the demo's keys (``s1-t1``, ``c-hr``) to the
    staff; ``cycle`` is the cycle ``today`` is in; ``review_cycle`` is the one whose July
    reflections and reviews the demo shows (this cycle once its window opens, else the one
    before)."""

    trust: Trust
    cycle: GrowthCycle
    previous_cycle: GrowthCycle | None
    people: dict[str, StaffMember]
    today: dt.date

    @property
    def review_cycle(self) -> GrowthCycle | None:
        if self.today >= self.cycle.reflection_opens:
            return self.cycle
        return self.previous_cycle

    @property
    def staff(self) -> list[StaffMember]:
        return [self.people[k] for k in sorted(self.people)]

    def person(self, key: str) -> StaffMember | None:
        return self.people.get(key)

    def rng(self, *salt: object) -> random.Random:
        """The same choices on every run and every machine (seeded by trust and cycle)."""
        return random.Random("|".join([self.trust.slug, self.cycle.name, *map(str, salt)]))

    def reviewed_keys(self) -> list[str]:
        """The people whose end-of-year review the demo shows at each of its steps."""
        wanted = ["s1-t3", "s1-t4", "s1-t5", "s1-t6", "s1-t7", "s1-t8", "s1-ta2", "c-finance"]
        return [k for k in wanted if k in self.people]


@dataclass(frozen=True)
class DemoSeeder:
    key: str
    build: Callable[[DemoTrust], int]  # returns how many records it made
    order: int = 50


_seeders: dict[str, DemoSeeder] = {}


def register_demo_seeder(seeder: DemoSeeder) -> None:
    _seeders.setdefault(seeder.key, seeder)


def demo_seeders() -> list[DemoSeeder]:
    autodiscover_modules("demo")
    return sorted(_seeders.values(), key=lambda s: s.order)


def days_ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)
