"""The Celery app. Tasks take a trust id plus object ids, enter that trust's scope and call a
service; they are enqueued with transaction.on_commit so a rolled-back write sends nothing."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "growth.settings.dev")

# Every task publishes through the outbox fallback: a broker outage delays, never loses, work.
app = Celery("growth", task_cls="growth.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
