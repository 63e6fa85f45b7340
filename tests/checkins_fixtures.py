"""Fixtures for the check-in tests: a real SMTP server on loopback (aiosmtpd in a thread) and
real Celery worker processes that send through it."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from growth.workers import celery_worker_argv

ROOT = Path(__file__).resolve().parent.parent


class RecordingHandler:
    """Accepts mail and keeps it; refuses chosen addresses; can fail the first N messages."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse: set[str] = set()
        self.fail_next = 0
        self.failures = 0

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                self.failures += 1
                return "451 4.3.0 Temporary failure, try again later"
            self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def message_ids(self) -> list[str]:
        """The Message-ID of every delivery, in the order the server accepted them."""
        with self.lock:
            return [str(msg["Message-ID"]) for _, msg in self.messages]

    def by_subject_and_recipient(self) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        with self.lock:
            for rcpts, msg in self.messages:
                for rcpt in rcpts:
                    key = (rcpt, str(msg["Subject"]))
                    counts[key] = counts.get(key, 0) + 1
        return counts


@pytest.fixture
def smtp_server() -> Iterator[tuple[RecordingHandler, int]]:
    handler = RecordingHandler()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def start_worker(port: int, name: str, *, concurrency: int = 2) -> subprocess.Popen:
    """A real Celery worker reading the test database and mailing through ``port``."""
    from django.db import connection

    from growth.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.checkins_worker_settings",
        "CELERY_WORKER_TEST_DB": connection.settings_dict["NAME"],
        "CHECKINS_TEST_SMTP_PORT": str(port),
        "CHECKINS_REMINDER_RETRY_BASE_SECONDS": "1",
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.Popen(
        celery_worker_argv(name=f"{name}-{os.getpid()}@%h", concurrency=concurrency),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 40
    target = f"{name}-{os.getpid()}@"
    while time.monotonic() < deadline:
        replies = app.control.inspect(timeout=0.5).ping() or {}
        if any(key.startswith(target) for key in replies):
            return worker
        if worker.poll() is not None:
            raise RuntimeError(f"The worker {name} exited with {worker.returncode}.")
    worker.kill()
    raise RuntimeError("The Celery worker did not start within 40 s.")


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, 9)
            worker.wait(timeout=10)


@pytest.fixture
def real_celery(transactional_db) -> Iterator[None]:
    """Tasks go through Redis (eager mode off) for the test; the queue starts empty."""
    from growth.celery import app

    app.control.purge()
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = previous
        app.control.purge()


def on_worker(task, **kwargs):
    """Send ``task`` through Redis asking for its result, which the app does not store by
    default (settings: CELERY_TASK_IGNORE_RESULT); ``.get()`` then waits for the worker."""
    return task.apply_async(kwargs=kwargs, ignore_result=False)


def wait_until_settled(read, *, quiet: float, timeout: float, interval: float = 0.2) -> None:
    """Wait until ``read()`` has not changed for ``quiet`` seconds (at most ``timeout``): a
    worker has sent what it could reach, without guessing how much that is."""
    deadline = time.monotonic() + timeout
    last, since = read(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(interval)
        current = read()
        if current != last:
            last, since = current, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def wait_until(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
