"""The Celery app. Tasks take a trust id plus object ids, enter that trust's scope and call a
service; they are enqueued with transaction.on_commit so a rolled-back write sends nothing."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "growth.settings.dev")

app = Celery("growth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
