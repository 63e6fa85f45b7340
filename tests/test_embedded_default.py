"""The README's serve command runs on the embedded default (SQLite, tasks in-process): every
demo role's home page and every page its menu links to must work there too, not only on
PostgreSQL. Run in a subprocess with the dev settings on a fresh SQLite file, as
``make serve`` does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

CRAWL = r"""
import re, django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
failures, pages = [], 0
for user in get_user_model().objects.filter(email__endswith="@fenmoor.example"):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    home = client.get("/")
    pages += 1
    if home.status_code != 200:
        failures.append((user.email, "/", home.status_code))
        continue
    links = set(re.findall(r'href="(/[^"#?]*)"', home.content.decode()))
    for url in sorted(links):
        if url.startswith(("/static/", "/accounts/logout", "/media/")):
            continue
        status = client.get(url).status_code
        pages += 1
        if status >= 500:
            failures.append((user.email, url, status))
print("pages", pages)
for failure in failures:
    print("FAILED", *failure)
"""


SWEEP = r"""
import datetime as dt, django
django.setup()
from django.core import mail
from django.test.utils import setup_test_environment
setup_test_environment()  # mail to a list we can count, instead of the console
from checkins.models import ReminderLog
from checkins.tasks import reminders_sweep
from growth.security.rls import all_trusts
sent = []
for _ in range(2):
    mail.outbox = []
    reminders_sweep(today=dt.date(2026, 12, 7).isoformat())
    sent.append(len(mail.outbox))
with all_trusts():
    unsent = ReminderLog.objects.unscoped().filter(sent_at__isnull=True).count()
print("sent", *sent, "unsent", unsent)
"""


def run_script(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``code`` in a Python process of its own on the embedded default; it must succeed."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=settings.BASE_DIR,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.mark.slow
def test_it_serves_every_demo_role_on_the_embedded_default(tmp_path: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "growth.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    for name in ("REDIS_URL", "CELERY_WORKER_TEST_DB", "SECRET_KEY", "DEBUG"):
        env.pop(name, None)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(manage + command, env=env, check=True, capture_output=True, timeout=600)
    crawl = run_script(CRAWL, env)
    failed = [line for line in crawl.stdout.splitlines() if line.startswith("FAILED")]
    assert not failed, "\n".join(failed)
    pages = int(crawl.stdout.split("pages")[1].split()[0])
    assert pages > 50  # every demo person's home and their menu
    # The daily reminder sweep, as the beat would run it (in-process here): it sends the
    # demo's reminders once, and a second sweep that day sends nothing.
    sweep = run_script(SWEEP, env)
    line = next(x for x in sweep.stdout.splitlines() if x.startswith("sent "))
    _, first, second, _, unsent = line.split()
    assert int(first) > 0 and int(second) == 0 and int(unsent) == 0, sweep.stdout
