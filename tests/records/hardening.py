from growth.models import RetentionRun
from growth.privacy.services import export_build_run, subject_export_request
from tests.factories import TrustWorld


def populate(world: TrustWorld) -> None:
    """A built subject access export of the staff member, and a retention run."""
    export = subject_export_request(actor=world.admin, subject=world.staff)
    export_build_run(export_id=export.pk)
    RetentionRun.objects.for_trust(world.trust).create(trust=world.trust, dry_run=True)
