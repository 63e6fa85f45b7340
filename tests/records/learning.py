"""One of each learning record for ``world.staff``, for the cross-trust test."""

from __future__ import annotations

from tests.factories import TrustWorld
from tests.learning_fixtures import coach_with_session


def populate(world: TrustWorld) -> None:
    coach_with_session(world)
