from tests.factories import TrustWorld


def populate(world: TrustWorld) -> None:
    """The core records (people, schools, cycle) are made by make_world itself."""
