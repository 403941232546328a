"""Test settings: production settings with test-only secrets and fast, observable defaults."""

import os

# Before config.settings reads them: production posture, minus what a test client cannot do.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Playwright's sync API runs an event loop in the test thread; the ORM calls there are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from config.settings import *  # noqa: F403

# Never in-process, even without REDIS_URL: unit tests run the work a service rang themselves
# (the doorbell_rings fixture), and integration tests hand it to a real worker.
CELERY_TASK_ALWAYS_EAGER = False

# Hashing cost is not what the suite tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No collectstatic in tests: serve from the finders, without the manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# No test reaches X: the oEmbed tests point this at a server of their own.
NEWS_OEMBED_ENDPOINT = ""
