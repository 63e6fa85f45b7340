from growth.models import StrategicGoal
from tests.factories import TrustWorld


def populate(world: TrustWorld) -> None:
    """The core records (people, schools, cycle, priority) are made by make_world itself; a
    strategic goal is added so the trust settings pages are covered too."""
    StrategicGoal.objects.for_trust(world.trust).create(
        trust=world.trust, priority=world.priority, title="Teaching to Remember"
    )
