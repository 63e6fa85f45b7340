"""Settings of the Celery workers the check-in reminder tests start: the test settings, with
mail going to the test's own SMTP server on loopback."""

import os

from growth.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["CHECKINS_TEST_SMTP_PORT"])
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 10
CHECKINS_REMINDER_RETRY_BASE_SECONDS = int(
    os.environ.get("CHECKINS_REMINDER_RETRY_BASE_SECONDS", "1")
)
