"""Test settings: the real PostgreSQL and Redis on this machine, never SQLite or fakes."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/growth")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")

# pytest-xdist runs the suite in several processes. pytest-django gives each its own test
# database; each also gets its own Redis database (gw0 the configured one, gw1 the next), so a
# Celery worker started by one process never takes another's tasks and a cache.clear() in one
# leaves the other's rate limits alone. The marker keeps the worker subprocesses, which inherit
# this environment, from moving on a second time.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and not os.environ.get("GROWTH_TEST_REDIS_FOR_WORKER"):
    _base, _, _number = os.environ["REDIS_URL"].rpartition("/")
    os.environ["REDIS_URL"] = f"{_base}/{int(_number or 0) + int(_xdist_worker[2:])}"
    os.environ["GROWTH_TEST_REDIS_FOR_WORKER"] = _xdist_worker

from .base import *  # noqa: E402, F403
from .base import CELERY_TASK_ROUTES  # noqa: E402

# Fast hashing in tests; the algorithm is not what is under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit and integration tests run tasks in-process unless a test starts a real worker
# (tests/celery_worker.py switches this off for its own run).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_ROUTES = CELERY_TASK_ROUTES
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media-test"))  # noqa: F405
ACCOUNT_RATE_LIMITS = False

# A worker started by the tests reads the test database, which pytest-django named.
if os.environ.get("CELERY_WORKER_TEST_DB"):
    DATABASES["default"]["NAME"] = os.environ["CELERY_WORKER_TEST_DB"]  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ["CELERY_WORKER_TEST_DB"]}  # noqa: F405
    CELERY_TASK_ALWAYS_EAGER = False
