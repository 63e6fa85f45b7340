"""Faults: Redis down (pages load, queued work goes out when it is back), PostgreSQL restarted
under a running app (it reconnects by itself), a Celery worker killed in the middle of a batch
(nothing lost, nothing doubled). Each fault uses servers this test starts on its own loopback
ports; the machine's shared PostgreSQL (5432) and Redis (6379) are never touched."""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from growth.models import AuditEvent, DataExport, TaskOutbox
from growth.outbox import outbox_flush
from growth.security.tenancy import trust_scope
from tests.factories import PASSWORD
from tests.hardening_fixtures import (
    ROOT,
    PrivateRedis,
    celery_on,
    free_port,
    kill_worker,
    start_worker,
    stop_worker,
    wait_for_port,
)

REDIS_PORT = int(os.environ.get("FAULT_REDIS_PORT", "0")) or free_port()
PG_PORT = int(os.environ.get("FAULT_PG_PORT", "0")) or free_port()


def _wait(condition, timeout: float = 60, every: float = 0.3) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


@pytest.fixture
def private_redis():
    redis = PrivateRedis(REDIS_PORT)
    redis.start()
    caches = {
        **settings.CACHES,
        "default": {
            **settings.CACHES["default"],
            "LOCATION": redis.url,
        },
    }
    try:
        with override_settings(CACHES=caches), celery_on(redis.url):
            yield redis
    finally:
        redis.stop()


@pytest.mark.celery_worker
def test_it_keeps_pages_up_without_redis_and_sends_queued_work_when_it_is_back(
    transactional_db, world, client_for, private_redis
):
    worker = start_worker(connection.settings_dict["NAME"], redis_url=private_redis.url)
    try:
        admin = client_for(world.admin)
        cache.set("probe", "up")
        assert cache.get("probe") == "up"
        private_redis.stop()

        # Redis is down: pages load; the cache misses instead of failing.
        assert cache.get("probe") is None
        for path in ("/", "/people/", f"/people/{world.staff.public_id}/", "/privacy/exports/"):
            assert admin.get(path).status_code == 200, path
        # Work enqueued now is kept, not lost, and the request still succeeds.
        response = admin.post(f"/privacy/people/{world.staff.public_id}/export/")
        assert response.status_code == 302
        with trust_scope(world.trust):
            export = DataExport.objects.get(subject=world.staff)
        assert export.status == DataExport.Status.REQUESTED
        waiting = TaskOutbox.objects.filter(sent_at__isnull=True)
        assert waiting.count() == 1 and waiting.get().task_name == "growth.privacy.export_build"
        assert outbox_flush() == 0  # still down: nothing sent, nothing dropped
        assert waiting.count() == 1

        # Redis is back: the next flush (beat runs it every minute) sends it; the worker,
        # which survived the outage, builds the export.
        private_redis.start()  # same app, same connections: no restart, no reset
        assert outbox_flush() == 1
        assert not TaskOutbox.objects.filter(sent_at__isnull=True).exists()
        assert _wait(
            lambda: (
                DataExport.objects.for_trust(world.trust).get(pk=export.pk).status
                == DataExport.Status.BUILT
            )
        ), worker
        assert outbox_flush() == 0  # sent once only
    finally:
        stop_worker(worker)


@pytest.mark.celery_worker
def test_it_loses_and_doubles_nothing_when_a_worker_is_killed_mid_batch(
    transactional_db, world, private_redis
):
    from tests.fault_tasks import batch

    items = 6
    db_name = connection.settings_dict["NAME"]
    fast_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    worker = start_worker(db_name, redis_url=private_redis.url, extra_env=fast_redelivery)
    probes = AuditEvent.objects.for_trust(world.trust).filter(action__startswith="probe.kill.")
    try:
        batch.delay(trust_id=world.trust.pk, key="kill", items=items, pause=0.7)
        assert _wait(lambda: probes.count() >= 2, timeout=60), worker
        kill_worker(worker)  # SIGKILL to the whole worker: no chance to ack or clean up
        partial = probes.count()
        assert 2 <= partial < items
        time.sleep(1.5)
        assert probes.count() == partial  # nothing runs while no worker is alive
        # A new worker gets the unacknowledged message back once its visibility timeout
        # passes, and finishes the batch without redoing what was done.
        worker = start_worker(db_name, redis_url=private_redis.url, extra_env=fast_redelivery)
        assert _wait(lambda: probes.count() >= items, timeout=90), probes.count()
        time.sleep(2)
    finally:
        stop_worker(worker)
    actions = list(probes.values_list("action", flat=True))
    assert sorted(actions) == sorted(f"probe.kill.{i}" for i in range(items))


PG_SCRIPT = r"""
import os, sys
import django
django.setup()
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
connection.settings_dict["CONN_MAX_AGE"] = 600  # persistent: the dead connection is reused
call_command("migrate", verbosity=0, interactive=False)
from tests.factories import career_stages, make_world
from growth.models import StaffMember
career_stages()
world = make_world("gamma")
client = Client()
client.force_login(world.admin.user)
assert client.get("/people/").status_code == 200
print("READY", flush=True)
sys.stdin.readline()  # the test restarts PostgreSQL here
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

handler = WSGIHandler()  # the real handler: request_started closes dead connections
cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())


def get(path):
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD="GET", HTTP_COOKIE=cookie
    )
    status = []
    handler(environ, lambda s, h, *a: status.append(int(s.split()[0])))
    return status[0]


statuses = [get("/people/") for _ in range(3)]
close_old_connections()  # what Celery's Django fixup does around every task
count = StaffMember.objects.for_trust(world.trust).count()
print("RESULT", statuses, count, flush=True)
"""


@pytest.fixture
def private_postgres():
    """A throwaway PostgreSQL cluster of our own on a loopback port."""
    bindir = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1])
    base = Path(tempfile.mkdtemp(prefix="growth-faultpg-"))
    data = base / "data"
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(base, "postgres", "postgres")

    def pg_ctl(*args: str) -> None:
        subprocess.run(
            [
                *as_postgres,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(base / "log"),
                *args,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )

    subprocess.run(
        [
            *as_postgres,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    options = (
        f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories={base} -c fsync=off"
    )
    pg_ctl("start", "-o", options)
    subprocess.run(
        [
            str(bindir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(PG_PORT),
            "-U",
            "postgres",
            "growth",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    try:
        yield pg_ctl, options
    finally:
        subprocess.run(
            [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


def test_it_recovers_from_a_postgresql_restart_without_a_restart_of_its_own(private_postgres):
    pg_ctl, options = private_postgres
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "growth.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/growth",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "PYTHONPATH": str(ROOT),
    }
    app = subprocess.Popen(
        [sys.executable, "-c", PG_SCRIPT],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = app.stdout.readline()
        assert line.strip() == "READY", line + app.stderr.read()
        pg_ctl("restart", "-m", "fast", "-o", options)
        wait_for_port(PG_PORT)
        app.stdin.write("go\n")
        app.stdin.flush()
        out, err = app.communicate(timeout=120)
    finally:
        if app.poll() is None:
            app.kill()
    assert "RESULT [200, 200, 200] 8" in out, out + err


def test_it_signs_in_out_and_resets_passwords_with_redis_unreachable(world, caplog):
    """The cache points at a port nobody listens on: sign-in, sign-out and password reset work
    as usual, the rate limits still hold (kept in PostgreSQL meanwhile), and the log says why."""
    limits = importlib.import_module("growth.settings.base").ACCOUNT_RATE_LIMITS
    closed = f"redis://127.0.0.1:{free_port()}/0"
    caches = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": closed}}
    with override_settings(CACHES=caches, ACCOUNT_RATE_LIMITS=limits):
        cache.set("probe", "up")
        assert cache.get("probe") is None  # Redis really is unreachable
        client = Client()
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="growth.security.cache"):
            response = client.post(
                "/accounts/login/", {"login": world.staff.email, "password": PASSWORD}
            )
        assert response.status_code == 302, response.content.decode()[:500]
        assert "_auth_user_id" in client.session
        assert time.monotonic() - started < 5
        assert "Redis is unreachable" in caplog.text
        assert client.get("/").status_code == 200

        response = client.post("/accounts/logout/")
        assert response.status_code == 302 and "_auth_user_id" not in client.session

        response = client.post("/accounts/password/reset/", {"email": world.staff.email})
        assert response.status_code == 302
        assert len(mail.outbox) == 1 and world.staff.email in mail.outbox[0].to

        # The limits did not go away with Redis: five wrong passwords still lock the account.
        for attempt in range(5):
            wrong = Client(REMOTE_ADDR=f"10.9.0.{attempt}").post(
                "/accounts/login/", {"login": world.manager.email, "password": "wrong-password"}
            )
            assert wrong.status_code == 200
        locked = Client(REMOTE_ADDR="10.9.1.1")
        response = locked.post(
            "/accounts/login/", {"login": world.manager.email, "password": PASSWORD}
        )
        assert "_auth_user_id" not in locked.session
        assert "Too many failed login attempts" in response.content.decode()
