"""Settings shared by every environment. Values come from the environment (12-factor)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    # Project apps, in dependency order: each may import only from those above it.
    "growth",
    "standards",
    "objectives",
    "checkins",
    "reviews",
    "learning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "growth.security.middleware.TrustScopeMiddleware",
    "growth.security.middleware.RequireLeaderMFAMiddleware",
]

ROOT_URLCONF = "growth.urls"
WSGI_APPLICATION = "growth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "growth.navigation.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query whose estimated cost passes a threshold; for the
    # dashboards' aggregates over a large trust that compilation took 50-70 ms of a 25 ms
    # query. Web pages run short queries many times, where JIT never pays for itself.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = (_db_options.get("options", "") + " -c jit=off").strip()
    # Server-side binding lets psycopg prepare a statement once a connection has run it five
    # times, so PostgreSQL stops planning it again on every request: planning a home page's
    # six-table join took 1.8 ms of its 3.4 ms. It pays off with persistent connections
    # (CONN_MAX_AGE); behind a transaction-pooling PgBouncer, set DB_PREPARE_THRESHOLD=0.
    _prepare_threshold = env.int("DB_PREPARE_THRESHOLD", default=5)
    if _prepare_threshold > 0:
        _db_options.setdefault("server_side_binding", True)
        _db_options.setdefault("prepare_threshold", _prepare_threshold)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
# Where sign-in rate limits are kept while Redis is unreachable (growth/security/cache.py): a
# table in PostgreSQL (migration growth 0004), shared by every web process.
RATE_LIMIT_FALLBACK_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "growth_rate_limit_cache",
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "growth.security.cache.RedisCacheWithRateLimitFallback",
            "LOCATION": REDIS_URL,
            # A cache outage must not take pages down: misses instead of errors; sign-in's
            # rate limits move to the "rate_limits" cache rather than refusing everybody.
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
                "RATE_LIMIT_FALLBACK": "rate_limits",
                "RATE_LIMIT_RETRY_SECONDS": env.int("RATE_LIMIT_REDIS_RETRY_SECONDS", default=30),
            },
        },
        "rate_limits": RATE_LIMIT_FALLBACK_CACHE,
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "rate_limits": RATE_LIMIT_FALLBACK_CACHE,
    }

# Sessions live in the database so web processes stay stateless and survive a Redis outage.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept explicit

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-gb"
# UK English only: a browser asking for US English must still see "23 Nov 2026".
LANGUAGES = [("en-gb", "English (UK)")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Every date shown to a person: "1 Dec 2026" (templates' ``|date``, ``date_format(day)``).
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
# ISO first: it is what a date input sends and the only value it shows; the others are what
# people type into text (CSV imports, older browsers).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y"]
# growth/formats/en_GB makes the lines above win over Django's own en_GB formats.
FORMAT_MODULE_PATH = ["growth.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm (package-lock.json), never a CDN and never hand-copied.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media-not-served/"  # files are served through access-checked views only
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Professional Growth <growth@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# django-allauth: staff are invited; nobody signs up on their own.
SITE_ID = 1
ACCOUNT_ADAPTER = "growth.security.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "growth.security.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Tell people when their password, email address or two-factor sign-in changes (and list it
# in their notifications: growth.notifications.services.ACCOUNT_EMAILS).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "reset_password": "5/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "3/m/key",
}
# Sign-in rate limits count per client address
# (growth.security.adapters.AccountAdapter.get_client_ip).
# Behind a load balancer or reverse proxy, say how to find the client: the number of proxies
# of ours that append to X-Forwarded-For, or a header the proxy sets (e.g. X-Real-IP). Left at
# 0 and empty, the connection's own address counts (correct only with no proxy in front).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="")
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Professional Growth] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Professional Growth"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = {
    "google": {"SCOPE": ["profile", "email"], "AUTH_PARAMS": {"prompt": "select_account"}},
    "microsoft": {"SCOPE": ["User.Read"], "TENANT": "organizations"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content Security Policy: no inline script anywhere; assets are served by us. The one inline
# style is the trust's validated header colour (base.html), allowed by the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Celery: Redis when REDIS_URL is set; otherwise tasks run in-process (embedded default).
# (A host named for the in-memory transport only keeps kombu from warning that none was.)
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Nothing in the app reads a task's result (tasks write their outcome to the database), so none
# is stored and publishing never touches the result store: a Redis outage can only fail the
# publish itself, which growth.outbox keeps. A caller that wants one asks per call
# (``apply_async(..., ignore_result=False)``, as the worker tests do).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"reviews.tasks.*": {"queue": "pdf"}}
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
# The beat schedule is static and in code; each entry names a task of an app.
CELERY_BEAT_SCHEDULE: dict = {
    "growth-heartbeat": {"task": "growth.tasks.heartbeat", "schedule": crontab(minute="*/30")},
}
# Progress summaries (growth/reporting/progress.py): the day's check-ins fall due and overdue.
CELERY_BEAT_SCHEDULE["growth-progress-move-on"] = {
    "task": "growth.tasks.progress_move_on",
    "schedule": crontab(hour=0, minute=5),
}
CELERY_BEAT_SCHEDULE["objectives-plans-not-agreed"] = {
    "task": "objectives.tasks.remind_plans_not_agreed",
    "schedule": crontab(hour=7, minute=15),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# Check-ins (checkins app): reminders sweep daily; a claimed-but-unsent reminder older than
# the reclaim age is sent again by the next sweep (its claim row stops it being sent twice).
CHECKINS_DEFAULT_TIME = env("CHECKINS_DEFAULT_TIME", default="15:30")
CHECKINS_REMINDER_RECLAIM_MINUTES = env.int("CHECKINS_REMINDER_RECLAIM_MINUTES", default=30)
CHECKINS_REMINDER_RETRY_BASE_SECONDS = env.int("CHECKINS_REMINDER_RETRY_BASE_SECONDS", default=60)
CHECKINS_EVIDENCE_MAX_BYTES = env.int("CHECKINS_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
CELERY_BEAT_SCHEDULE["checkins-reminders-sweep"] = {
    "task": "checkins.tasks.reminders_sweep",
    "schedule": crontab(hour=6, minute=30),
}

# Choosing a password from an emailed link (an invitation or a reset) verifies the address.
ACCOUNT_FORMS = {
    "login": "growth.domain.forms.SignInForm",
    "reset_password_from_key": "growth.domain.forms.SetPasswordFromKeyForm",
}
# Anyone using the Django admin must have set up TOTP first (growth.security.middleware).
ADMIN_REQUIRES_MFA = env.bool("ADMIN_REQUIRES_MFA", default=True)

# --- Hardening (issue 8) ---------------------------------------------------------------------
# PostgreSQL row-level security (growth/security/rls.py): the role the app and workers connect
# as, and the middleware that lets the membership lookup and platform admins through the policies.
GROWTH_RLS = env.bool("GROWTH_RLS", default=True)
GROWTH_DB_APP_ROLE = env("GROWTH_DB_APP_ROLE", default="growth_app")
MIDDLEWARE.insert(
    MIDDLEWARE.index("growth.security.middleware.TrustScopeMiddleware"),
    "growth.security.rls.RLSUserMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("growth.security.middleware.TrustScopeMiddleware") + 1,
    "growth.security.rls.RLSPlatformAdminMiddleware",
)
# Nothing shown to a signed-in person is kept by a browser or proxy (issue 20).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "growth.security.middleware.NoStoreForSignedInMiddleware",
)
# Uploads (growth/security/uploads.py): the largest file a form accepts.
GROWTH_UPLOAD_MAX_BYTES = env.int("GROWTH_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Data protection (growth/privacy/services.py): days a leaver stays on the retention dry-run report
# before the scheduled task deletes their growth records.
GROWTH_RETENTION_NOTICE_DAYS = env.int("GROWTH_RETENTION_NOTICE_DAYS", default=14)
CELERY_BEAT_SCHEDULE["growth-retention-sweep"] = {
    "task": "growth.privacy.retention_sweep",
    "schedule": crontab(hour=2, minute=15),
}
CELERY_BEAT_SCHEDULE["growth-outbox-flush"] = {
    "task": "growth.outbox.flush",
    "schedule": crontab(minute="*"),
}
# Redelivery of a task whose worker died (acks_late): the broker gives it to another worker
# after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=60 * 60
)
# A Redis outage must not hold a web request for long: give up publishing quickly and let
# growth.outbox keep the task (the defaults retry the result store for ~20 s).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
