"""A task goes through Redis to a real worker process and its result comes back (the app stores
no results, so each call here asks for one)."""

import pytest

from growth.tasks import heartbeat, send_email


@pytest.mark.celery_worker
def test_a_task_runs_on_a_real_worker_through_redis(celery_worker):
    result = heartbeat.apply_async(ignore_result=False)
    assert result.get(timeout=30) == "ok"


@pytest.mark.celery_worker
def test_the_worker_reads_the_test_database_and_sends_mail(celery_worker, world):
    result = send_email.apply_async(
        kwargs={
            "trust_id": world.trust.pk,
            "to": [world.staff.email],
            "subject": "Hello",
            "body": "Check-in due",
        },
        ignore_result=False,
    )
    assert result.get(timeout=30) == 1
