"""Shared fixtures. Tests run on the real PostgreSQL and Redis of this machine."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from growth.models import StaffMember
from growth.security.tenancy import trust_scope
from growth.workers import celery_worker_argv
from tests.demo import Demo, demo_clock, demo_in_database
from tests.factories import TrustWorld, career_stages, make_world

# Playwright's sync API runs an event loop in the test thread; the live server's ORM calls
# happen in other threads, so this only silences Django's guard for the test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def world(db) -> TrustWorld:
    """Trust A, with a person in every role."""
    career_stages()
    return make_world("alpha")


@pytest.fixture
def other_world(db, world) -> TrustWorld:
    """Trust B, built the same way: its people must never see trust A's records."""
    return make_world("beta")


@pytest.fixture
def demo(transactional_db, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The demo trusts as seed_demo makes them (tests/demo.py): where browser tests start, on
    a school day."""
    run_folder = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run_folder = run_folder.parent  # shared by this run's test processes
    with demo_clock():
        yield demo_in_database(run_folder)


@pytest.fixture
def in_trust(world) -> Iterator[TrustWorld]:
    """Run the test body with trust A in scope, as a request or task would."""
    with trust_scope(world.trust):
        yield world


@pytest.fixture
def client_for() -> Callable[[StaffMember | None], Client]:
    """A test client signed in as the given person (anonymous for None)."""

    def make(staff: StaffMember | None) -> Client:
        client = Client()
        if staff is not None:
            client.force_login(staff.user)
        return client

    return make


# --- Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def page(page) -> Iterator:
    """Playwright's page, which at the end of the test waits for its own requests (an htmx
    panel loading, a form still posting) to be answered. The live server outlives the test:
    a request still running there while the test's rows are flushed can deadlock the flush,
    or reach the database after the test has lost its access."""
    in_flight: set = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    deadline = time.monotonic() + 15
    while in_flight and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.goto("about:blank")


@pytest.fixture
def assert_accessible() -> Callable:
    """Run axe-core on the page; fail on any serious or critical violation."""

    def check(page, context: str = "") -> None:
        page.evaluate(AXE_SOURCE + "\n;undefined")
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"axe found on {context or page.url}:\n" + "\n".join(bad)

    return check


@pytest.fixture
def sign_in(live_server) -> Callable:
    """Sign in through the real login form in the browser."""
    from tests.factories import PASSWORD

    def do(page, staff: StaffMember, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(staff.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()

    return do


@pytest.fixture
def follow_menu() -> Callable:
    """Follow a link of the header as a person does: open the menu holding it first (and on
    a narrow window the menu button too)."""

    def go(page, label: str) -> None:
        header = page.locator("header")
        link = header.get_by_role("link", name=label, exact=True)
        if not link.is_visible():
            toggler = header.get_by_role("button", name="Menu", exact=True)
            if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
                toggler.click()
                header.locator("#main-nav.show").wait_for()
            holder = header.locator("li.dropdown").filter(
                has=page.get_by_role("link", name=label, exact=True, include_hidden=True)
            )
            holder.locator("button.dropdown-toggle").click()
        link.click()
        page.wait_for_load_state()

    return go


# --- Celery --------------------------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[subprocess.Popen]:
    """A real Celery worker process on the real Redis, reading the test database. Tasks sent
    while it runs go through the broker (eager mode is switched off for the test)."""
    from django.db import connection

    from growth.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "growth.settings.test",
        "CELERY_WORKER_TEST_DB": connection.settings_dict["NAME"],
        "PYTHONPATH": str(ROOT),
    }
    app.control.purge()
    worker = subprocess.Popen(
        celery_worker_argv(name=f"test-{os.getpid()}@%h", queues="default,pdf", heartbeat=True),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if app.control.inspect(timeout=0.5).ping():
                break
            if worker.poll() is not None:
                raise RuntimeError(worker.stdout.read().decode())
        else:
            raise RuntimeError("The Celery worker did not start within 120 s.")
        yield worker
    finally:
        app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def pytest_configure(config: pytest.Config) -> None:
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)


# The files that take minutes, longest first (the `--durations` list of `make test`). They are
# handed to the xdist processes first, so that they run beside the many short files instead
# of after them, when one process would be left working alone.
SLOW_FILES = (
    "test_cross_trust_urls.py",
    "test_crawler.py",
    "test_benchmark_smoke.py",
    "test_progress.py",
    "test_seed_demo.py",
    "test_embedded_default.py",
    "test_browser_demo.py",
    "test_hostile_forms.py",
    "test_rls.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOW_FILES.index(name) if name in SLOW_FILES else len(SLOW_FILES)

    items.sort(key=rank)  # stable: each file's tests keep their order
