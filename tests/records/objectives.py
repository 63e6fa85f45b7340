"""One of each objectives record for world.staff: a submitted plan with a version and a
comment, its objectives, and the school's focus."""

from growth.models import StrategicGoal
from objectives import services
from objectives.models import ObjectiveBankPhrase
from tests.factories import TrustWorld


def populate(world: TrustWorld) -> None:
    from django.core.management import call_command

    from tests.objectives_fixtures import BANK_FIXTURES, ready_plan

    for path in BANK_FIXTURES:
        call_command("loaddata", path, verbosity=0)
    goal = StrategicGoal.objects.for_trust(world.trust).create(
        trust=world.trust, priority=world.priority, title="Teaching to Remember"
    )
    services.school_focus_set(actor=world.head, school=world.school, cycle=world.cycle, goal=goal)
    plan = ready_plan(world)
    services.plan_submit(actor=world.staff, plan=plan)
    services.plan_request_changes(actor=world.manager, plan=plan, comment="Sharpen the impact.")
    # A phrase of the trust's own, beside the shared bank (its edit page is per phrase).
    services.bank_phrase_add(
        actor=world.admin,
        kind=ObjectiveBankPhrase.Kind.HOW,
        area="",
        text="Alpha trust's own coaching conversations",
    )
