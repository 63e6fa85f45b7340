"""The benchmark's server: the production settings served over plain HTTP on loopback, with
the reference page mounted (bench/urls.py) and no figures cache. Never for a real deployment."""

import datetime as dt
import os
import warnings
from zoneinfo import ZoneInfo

os.environ.setdefault("SECRET_KEY", "benchmark-only-key")

from growth.settings.production import *  # noqa: F403
from growth.settings.production import INSTALLED_APPS, TIME_ZONE

# ``python -m bench --on DAY``: the pages are served as on that day, from 11:00 with the clock
# ticking, in every process that serves or prepares them: in July, say, when the scale
# trust's year (seeded as the cycle before today's) has its reflections and reviews.
if os.environ.get("BENCH_ON"):
    import time_machine

    _day = dt.date.fromisoformat(os.environ["BENCH_ON"])
    _eleven = dt.datetime.combine(_day, dt.time(11), ZoneInfo(TIME_ZONE))
    time_machine.travel(_eleven, tick=True).start()

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# "testserver" for the query counts, taken in-process with Django's test client.
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # the reference page's template

# Every page is measured as on a first view after a change: nothing is kept between
# requests. Sessions are in the database, so they do not need a cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No collectstatic before a run: the manifest is not needed to measure pages.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
warnings.filterwarnings("ignore", "No directory at", UserWarning)  # whitenoise's, as above
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
