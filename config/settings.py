"""Plus Web3 settings: one module, driven by the environment (README has the table)."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from xstatic.pkg import bootstrap as xstatic_bootstrap

from config.env import env_bool, env_int, env_list, env_str, redis_url_moved

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# ------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG off, the default) "
            "refuses to start with a guessable key; set it, or set DJANGO_DEBUG=1 for development."
        )
    # Development only: a fixed key is harmless when nothing is exposed.
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - DEBUG-only fallback

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # The pg_trgm index behind article search; inert on SQLite.
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "core",
    "reversion",
    "reversion_compare",
    "outbox",
    "news",
    "careers",
    "newsletter",
    "projects",
    "base",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the security and CSP middleware, so a cached page gets their headers as a
    # fresh one does; outside everything a cached page does not need (news/cache.py).
    "news.cache.PageCacheMiddleware",
    # Outside the session and auth middleware, which query the database first.
    "config.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# ------------------------------------------------------------------------------
# Database
# ------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        # Persistent connections save a TCP and auth round trip per request;
        # health checks drop a connection that died while idle (database restart).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let the dev server and an eager task write
    # at once without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The lead list's covering index (INCLUDE columns) is a PostgreSQL speed-up; SQLite
    # builds it as a plain index on created_at, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast while PostgreSQL is down, so a request gets the 503 page in
    # seconds instead of hanging on the kernel's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 3, minimum=1
    )
    if env_bool("DATABASE_POOL", False):
        # One psycopg pool per process, shared by its threads, instead of a persistent
        # connection per thread. Waiting for a free connection gives up as fast as
        # connecting does, so a request still gets the 503 page while PostgreSQL is down.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": env_int("DATABASE_POOL_SIZE", 4, minimum=1),
            "timeout": DATABASES["default"]["OPTIONS"]["connect_timeout"],
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------
# Redis: broker, cache and rate-limit counters
# ------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "plusweb3",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rate-limit and admin-lockout counters ("counters"), apart from the page cache so that its
# growth or a flush never resets a limit. By default the next-but-seven database of REDIS_URL's
# server (0 → 8), so checkouts that each use a low database number never share counters; give
# RATELIMIT_REDIS_URL its own Redis server in production, since maxmemory eviction is per server.
# Not the resilient cache: the admin login must see an outage and refuse.
RATELIMIT_REDIS_URL = env_str("RATELIMIT_REDIS_URL") or (
    redis_url_moved(REDIS_URL, databases=8) if REDIS_URL else ""
)
if RATELIMIT_REDIS_URL:
    CACHES["counters"] = {
        "BACKEND": "config.cache.CountersRedisCache",
        "LOCATION": RATELIMIT_REDIS_URL,
        "KEY_PREFIX": "plusweb3",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
else:
    # Per process, like the default cache without Redis: enough for `make run`.
    CACHES["counters"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "counters",
    }

# The database stays the source of truth for sessions; the cache only speeds them up.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Only a staff login creates one: a form's first touch and its thank-you page's proof of who
# sent it are signed cookies (careers/attribution.py, careers/views.py), so neither reading
# nor sending a form writes a session. Expired rows are deleted nightly (see Housekeeping).

# ------------------------------------------------------------------------------
# Celery
# ------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
# No broker configured: run tasks in-process so `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# JSON only: tasks take ids, and pickle from a shared broker would be code execution.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Results are never read; the database records what a task did.
CELERY_TASK_IGNORE_RESULT = True
# Acknowledge after the task ran, so a crash mid-task means redelivery, not loss.
CELERY_TASK_ACKS_LATE = True
# Without this, acks_late still acks a task whose pool child was SIGKILLed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Take one message at a time, so a dying worker holds at most one per process.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fixup closes every database connection before and after each task unless
# this is set: a new PostgreSQL connection (and a server process) per task. config/celery.py
# closes a failed or old connection at those moments instead, as Django does per request;
# the fixup still starts afresh after this many tasks.
CELERY_DB_REUSE_MAX = 1000
# No task of ours should run for a minute; a hung SMTP call must not pin a worker.
CELERY_TASK_SOFT_TIME_LIMIT = 45
CELERY_TASK_TIME_LIMIT = 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Just above the hard time limit: an unacked message of a dead worker comes
    # back after 2 minutes instead of the default hour.
    "visibility_timeout": 120,
    # Look for expired unacked messages every 10 s (default: about every 100 s).
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    # A broker that accepts connections but never answers holds a publishing web request
    # this long per try (measured: about 4 s with the retry below, for the first request;
    # core.doorbell then stops publishing for 15 s and the sweeps take over).
    "socket_timeout": 2,
    "socket_connect_timeout": 2,
}
# A web request must not wait for a broker that is down: one quick retry, then
# the outbox sweep takes over.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
# Separate queues so an email backlog never delays routing (README: dedicated workers).
CELERY_TASK_ROUTES = {
    "careers.tasks.routing.*": {"queue": "routing"},
    "outbox.tasks.*": {"queue": "email"},
    "newsletter.tasks.*": {"queue": "email"},
}
# Periodic jobs are code, reviewed like code; each feature adds its entries here.
CELERY_BEAT_SCHEDULE = {}
CELERY_TIMEZONE = "Asia/Tokyo"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# ------------------------------------------------------------------------------
# Article revisions (django-reversion, diffs by django-reversion-compare)
# ------------------------------------------------------------------------------
# Compare a CTA or an author by which one is chosen, not by every field of the
# article's revision, which would mark an unchanged CTA as changed.
REVERSION_COMPARE_FOREIGN_OBJECTS_AS_ID = True

# ------------------------------------------------------------------------------
# Passwords and authentication
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# ------------------------------------------------------------------------------
# Language and time
# ------------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Staff read every date as 2026-12-02 14:05 (JST), not Django's 2026年12月2日14:05.
FORMAT_MODULE_PATH = ["config.formats"]

# ------------------------------------------------------------------------------
# Static and media files
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap from a Python package, not a CDN: a strict CSP holds and the site works offline.
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads (hero images and their variants, author photos): the local disk for one web node,
# served at MEDIA_URL by config.views.media (or the web server in front); S3-compatible object
# storage when several nodes must see the same files.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "filesystem":
    _MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MEDIA_S3_BUCKET"),
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": env_str("MEDIA_S3_CUSTOM_DOMAIN") or None,
            # Public, unsigned URLs: a signed one differs per render and defeats the page cache.
            "querystring_auth": False,
            # Never overwrite an upload that a cached page may still point at.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    if not _MEDIA_BACKEND["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET.")
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": _MEDIA_BACKEND,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Hashed names never change content, so browsers may keep them for a year.
WHITENOISE_MAX_AGE = 31536000
# Files browsers ask for at the site's root (/favicon.ico, /apple-touch-icon.png, the manifest).
WHITENOISE_ROOT = BASE_DIR / "public"

# ------------------------------------------------------------------------------
# Email
# ------------------------------------------------------------------------------
_EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "config.mail.ReadableConsoleEmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_MAILER_OPTIONS = {
    "django.core.mail.backends.smtp.EmailBackend": {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        # A stuck SMTP server must not hold a worker until the task's time limit.
        "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
    },
    # Each message lands as a file: the drills and integration tests read them.
    "django.core.mail.backends.filebased.EmailBackend": {
        "file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")),
    },
}
MAILERS = {
    "default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _MAILER_OPTIONS.get(_EMAIL_BACKEND, {})},
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Plus Web3 <noreply@plusweb3.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "support@plusweb3.example")
# Reader views: Redis counters into daily rows, 人気記事 refreshed (news/readership.py).
# Always on in the site; the bench (tests/bench/settings.py) turns it off to weigh its cost.
NEWS_VIEW_COUNTING = True
CELERY_BEAT_SCHEDULE["news-views-flush"] = {
    "task": "news.tasks.views_flush_task",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# An X post's words for its static card, fetched once by a worker after an article's save
# (news/oembed.py); empty turns the fetch off, leaving the words to the editors.
NEWS_OEMBED_ENDPOINT = env_str("NEWS_OEMBED_ENDPOINT", "https://publish.twitter.com/oembed")
# Short: a worker waiting on X holds no one up, but it holds the worker.
NEWS_OEMBED_TIMEOUT_SECONDS = env_int("NEWS_OEMBED_TIMEOUT_SECONDS", 3, minimum=1)
# A post that could not be fetched is asked for again on a later save, no sooner than this.
NEWS_OEMBED_RETRY_SECONDS = env_int("NEWS_OEMBED_RETRY_SECONDS", 24 * 60 * 60, minimum=60)
# The outbox (outbox/): a doorbell may be lost with the broker; this sweep sends what is
# still pending. Every minute; `expires` drops sweeps that queued up while no worker ran.
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {
    "task": "outbox.tasks.email_sweep_task",
    "schedule": 60.0,
    "options": {"expires": 55},
}

# ------------------------------------------------------------------------------
# Security
# ------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Proxies in front of gunicorn that append to X-Forwarded-For and set X-Forwarded-Proto.
# 0 (no proxy): the client is REMOTE_ADDR and both headers are whatever the client sent.
# Behind a load balancer, REMOTE_ADDR is the balancer and every reader would share one limit.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# __Host- cookies are bound to this exact host over HTTPS; browsers refuse
# them over plain HTTP, so the development server keeps the plain names.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Large enough for a 2,000-character message several times over, small enough
# that a flood of huge bodies costs nothing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# ------------------------------------------------------------------------------
# Forms
# ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ------------------------------------------------------------------------------
# Careers: capture, routing and the first-contact promise
# ------------------------------------------------------------------------------

# Consultation form (careers/views.py, forms.py, services/capture.py).
# A form sent back sooner than this after it was shown is a bot: stored as spam, never routed.
FORM_MIN_FILL_SECONDS = env_int("FORM_MIN_FILL_SECONDS", 3, minimum=0)
# Submissions per client IP address and per email address, counted in the cache (Redis).
# RATELIMIT_ENABLE=0 turns both off for load tests and benchmarks.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
RATELIMIT_IP_LIMIT = env_int("RATELIMIT_IP_LIMIT", 5, minimum=1)
RATELIMIT_IP_WINDOW_SECONDS = env_int("RATELIMIT_IP_WINDOW_SECONDS", 10 * 60, minimum=1)
RATELIMIT_EMAIL_LIMIT = env_int("RATELIMIT_EMAIL_LIMIT", 3, minimum=1)
RATELIMIT_EMAIL_WINDOW_SECONDS = env_int("RATELIMIT_EMAIL_WINDOW_SECONDS", 60 * 60, minimum=1)
# Article searches per client (uncached, a scan of every body): enough for a person typing.
RATELIMIT_SEARCH_LIMIT = env_int("RATELIMIT_SEARCH_LIMIT", 30, minimum=1)
RATELIMIT_SEARCH_WINDOW_SECONDS = env_int("RATELIMIT_SEARCH_WINDOW_SECONDS", 60, minimum=1)

# Staff admin (careers/admin/): login lockout and personal-data retention.
# Admin login attempts counted in the counters cache (core/admin_login.py), per username and
# per client network, within a window; past the limit the login is refused, even with the right
# password, for a lockout that starts short and doubles with each one in a day, up to the cap.
ADMIN_LOGIN_MAX_FAILURES = env_int("ADMIN_LOGIN_MAX_FAILURES", 5, minimum=1)
ADMIN_LOGIN_MAX_FAILURES_PER_IP = env_int("ADMIN_LOGIN_MAX_FAILURES_PER_IP", 20, minimum=1)
ADMIN_LOGIN_WINDOW_SECONDS = env_int("ADMIN_LOGIN_WINDOW_SECONDS", 15 * 60, minimum=1)
ADMIN_LOGIN_FIRST_LOCKOUT_SECONDS = env_int("ADMIN_LOGIN_FIRST_LOCKOUT_SECONDS", 60, minimum=1)
ADMIN_LOGIN_MAX_LOCKOUT_SECONDS = env_int("ADMIN_LOGIN_MAX_LOCKOUT_SECONDS", 15 * 60, minimum=1)
# Personal-data retention per lead state (careers/retention.py), counted from the lead's last
# activity; `manage.py purge_leads` (daily beat) anonymises what is older, and /privacy/
# states the same numbers. Closed leads:
LEAD_RETENTION_DAYS = env_int("LEAD_RETENTION_DAYS", 730, minimum=1)
# Placements: the 職業紹介 records (求職管理簿) must outlive the placement by two years.
LEAD_RETENTION_PLACED_DAYS = env_int("LEAD_RETENTION_PLACED_DAYS", 1095, minimum=1)
# Nobody could take it: the candidate heard from us only that we could not help.
LEAD_RETENTION_UNASSIGNED_DAYS = env_int("LEAD_RETENTION_UNASSIGNED_DAYS", 365, minimum=1)
# Still open (new, assigned, contacted, interviewing) but untouched this long: stalled.
LEAD_RETENTION_OPEN_DAYS = env_int("LEAD_RETENTION_OPEN_DAYS", 730, minimum=1)
# Spam is kept only long enough to study an attack.
LEAD_RETENTION_SPAM_DAYS = env_int("LEAD_RETENTION_SPAM_DAYS", 90, minimum=1)
CELERY_BEAT_SCHEDULE["careers-purge-expired-leads"] = {
    "task": "careers.tasks.personal_data.purge_expired_leads_task",
    # At night, Japan time (CELERY_TIMEZONE), when nobody is working the leads.
    "schedule": crontab(hour=3, minute=30),
    "options": {"expires": 6 * 3600},
}

# Routing and the first-contact promise (careers/services/pipeline/, sla.py).
# Business hours in Japan time; weekends and national holidays (jpholiday) are skipped.
CAREERS_BUSINESS_HOURS_START = "10:00"
CAREERS_BUSINESS_HOURS_END = "19:00"
# The advisor's first call is due this many business days after assignment.
CAREERS_FIRST_CONTACT_BUSINESS_DAYS = 1
# The advisor is reminded this long before the deadline.
CAREERS_SLA_REMINDER_MINUTES = 120
# At the first breach the managers are emailed; at this one the lead goes to someone else.
CAREERS_SLA_REROUTE_AT_BREACH = 2
# A lead still `new` this long after it was saved lost its routing message: the sweep routes it.
# Short, because routing a lead twice is harmless (the lead's row lock and status check
# make the second attempt a no-op) while a lead that waits is a candidate left waiting.
CAREERS_ROUTING_SWEEP_AFTER_SECONDS = 20
# Every 15 s, so a lead whose message was lost is routed within about 35 s of the broker
# and a worker being back; `expires` drops sweeps that queued up while no worker ran
# (the next one does the same work).
CELERY_BEAT_SCHEDULE["careers-routing-sweep"] = {
    "task": "careers.tasks.routing.routing_sweep_task",
    "schedule": 15.0,
    "options": {"expires": 12},
}
CELERY_BEAT_SCHEDULE["careers-sla-check"] = {
    "task": "careers.tasks.routing.sla_check_task",
    "schedule": 60.0,
    "options": {"expires": 55},
}

# 面談予約 (careers/booking/): the candidate books a consultation from the thank-you page.
CAREERS_BOOKING_SLOT_MINUTES = env_int("CAREERS_BOOKING_SLOT_MINUTES", 45, minimum=15)
# Slots are offered over this many business days, starting this much business time ahead
# (the advisor needs a moment to read the lead before the call).
CAREERS_BOOKING_DAYS = 10
CAREERS_BOOKING_NOTICE_BUSINESS_HOURS = 2
# The signed booking link works this long after it was issued (each email issues a new one).
CAREERS_BOOKING_LINK_DAYS = 14
# Rescheduling and cancelling through the link close this long before the start.
CAREERS_BOOKING_CHANGE_CUTOFF_HOURS = 2
# Due reminders (the business day before, 1 hour before) are queued within a minute.
CELERY_BEAT_SCHEDULE["careers-booking-reminders"] = {
    "task": "careers.tasks.bookings.booking_reminders_task",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# CELERY_TIMEZONE is Asia/Tokyo, so this is 09:00 JST.
CELERY_BEAT_SCHEDULE["careers-advisor-digest"] = {
    "task": "careers.tasks.routing.advisor_digest_task",
    "schedule": crontab(hour=9, minute=0),
    "options": {"expires": 3 * 60 * 60},
}

# ------------------------------------------------------------------------------
# Newsletter 「AI・Web3 Insight」
# ------------------------------------------------------------------------------
# A confirmation link is good for 3 days; after that the reader signs up again.
NEWSLETTER_CONFIRM_MAX_AGE = 3 * 24 * 60 * 60
# At most one confirmation email per address in this many minutes, however often the form is sent.
NEWSLETTER_CONFIRM_RESEND_MINUTES = env_int("NEWSLETTER_CONFIRM_RESEND_MINUTES", 10, minimum=1)
# Recipients per sending task, and the pace of one sender (messages per minute): mail providers
# throttle senders who burst.
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 50, minimum=1)
# At least 2 a minute: one email's pause must fit in a task's time budget (newsletter/sending.py).
NEWSLETTER_SEND_RATE = env_int("NEWSLETTER_SEND_RATE", 600, minimum=2)
# How long a silent sender keeps its issue before another worker may resume it.
NEWSLETTER_LEASE_SECONDS = env_int("NEWSLETTER_LEASE_SECONDS", 60, minimum=1)
# "Suggest articles" looks this many days back.
NEWSLETTER_SUGGEST_DAYS = 7
# The mailto: half of List-Unsubscribe; support handles these by hand.
NEWSLETTER_UNSUBSCRIBE_EMAIL = env_str("NEWSLETTER_UNSUBSCRIBE_EMAIL", CONTACT_EMAIL)
CELERY_BEAT_SCHEDULE["newsletter-resume-stalled"] = {
    "task": "newsletter.tasks.newsletter_sweep_task",
    "schedule": 60.0,
}
# The 「新着案件」 digest, Mondays 09:30 JST: the previous week's new projects. A late or
# repeated run the same week queues nobody twice (one outbox key per week and subscriber).
CELERY_BEAT_SCHEDULE["newsletter-project-digest"] = {
    "task": "newsletter.tasks.send_project_digest_task",
    "schedule": crontab(day_of_week="mon", hour=9, minute=30),
    "options": {"expires": 24 * 3600},
}

# ------------------------------------------------------------------------------
# Housekeeping
# ------------------------------------------------------------------------------
# `clearsessions` every night, Japan time: an expired session is personal data we no longer need.
CELERY_BEAT_SCHEDULE["core-clear-expired-sessions"] = {
    "task": "core.tasks.sessions_clear_expired_task",
    "schedule": crontab(hour=4, minute=0),
    "options": {"expires": 6 * 3600},
}

# ------------------------------------------------------------------------------
# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}
