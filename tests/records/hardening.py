from growth.models import RetentionRun
from growth.privacy import subject_export_request
from tests.factories import TrustWorld


def populate(world: TrustWorld) -> None:
    """A subject access export of the staff member (built in-process) and a retention run."""
    subject_export_request(actor=world.admin, subject=world.staff)
    RetentionRun.objects.for_trust(world.trust).create(trust=world.trust, dry_run=True)
