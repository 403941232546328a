"""Production settings plus the benchmark's reference view, which exists only here."""

import os

# The benchmark is production posture behind a TLS-terminating proxy; only the secret is ours.
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from config.settings import *  # noqa: F403
from config.settings import VAR_DIR

ROOT_URLCONF = "tests.bench.urls"
WSGI_APPLICATION = "tests.bench.wsgi.application"
# collectstatic for the bench goes here, never over a developer's var/static.
STATIC_ROOT = VAR_DIR / "bench" / "static"
