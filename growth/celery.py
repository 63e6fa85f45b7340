"""The Celery app. Tasks take a trust id plus object ids, enter that trust's scope and call a
service; they are enqueued with transaction.on_commit so a rolled-back write sends nothing."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "growth.settings.dev")


def celery_app(**config: object) -> Celery:
    """A Celery app configured from Django's settings, with ``config`` over them (the fault
    tests make one for a Redis of their own). Every task publishes through the outbox
    fallback: a broker outage delays, never loses, work."""
    made = Celery("growth", task_cls="growth.outbox:OutboxTask")
    made.config_from_object("django.conf:settings", namespace="CELERY")
    if config:  # reading the configuration now would read Django's settings before they exist
        made.conf.update(config)
    made.autodiscover_tasks()
    return made


app = celery_app()
