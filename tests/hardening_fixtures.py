"""Fixtures and helpers of the hardening tests (RLS, privacy, hostile input, faults)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from celery import Celery
from django.db import connection

from growth.security.rls import app_role
from growth.workers import celery_worker_argv


@contextmanager
def as_app_role() -> Iterator[None]:
    """Run the block as the application role (not superuser, not owner, NOBYPASSRLS), the
    way production connects. Must be inside the test's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{app_role()}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def current_role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


# --- Fault injection: our own throwaway servers, never the machine's shared ones -----------

import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402


def free_port() -> int:
    """A loopback port nobody listens on (other engineers' test servers use the usual ones)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, *, up: bool = True, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.3)
            is_up = s.connect_ex(("127.0.0.1", port)) == 0
        if is_up == up:
            return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} did not go {'up' if up else 'down'}")


class PrivateRedis:
    """A redis-server of our own on a loopback port (no persistence)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server could not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
        wait_for_port(self.port, up=False)


@contextmanager
def celery_on(url: str) -> Iterator[Celery]:
    """Tasks this thread sends go through a Celery app of their own on ``url`` (the test's own
    Redis), not eagerly; the project's app is the current one again afterwards."""
    from growth.celery import app as project_app
    from growth.celery import celery_app

    own = celery_app(broker_url=url, result_backend=url, task_always_eager=False)
    own.set_current()
    try:
        yield own
    finally:
        project_app.set_current()
        own.close()


def start_worker(
    db_name: str, *, redis_url: str, extra_env: dict | None = None
) -> subprocess.Popen:
    """A real worker (its own process group, so it can be killed whole) on ``redis_url``,
    started once it answers a ping sent through the current app (``celery_on(redis_url)``)."""
    from celery import current_app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "growth.settings.test",
        "CELERY_WORKER_TEST_DB": db_name,
        "PYTHONPATH": str(ROOT),
        "REDIS_URL": redis_url,
        **(extra_env or {}),
    }
    worker = subprocess.Popen(
        celery_worker_argv(
            name=f"fault-{os.getpid()}-{time.monotonic_ns()}@%h",
            queues="default,pdf",
            extra=["-I", "tests.fault_tasks"],
        ),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if current_app.control.inspect(timeout=0.5).ping():
            return worker
        if worker.poll() is not None:
            raise RuntimeError(worker.stdout.read().decode())
    raise RuntimeError("The Celery worker did not start within 40 s.")


def kill_worker(worker: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    with suppress(ProcessLookupError):
        os.killpg(worker.pid, sig)
    worker.wait(timeout=20)


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill_worker(worker)
