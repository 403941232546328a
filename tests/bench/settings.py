"""Production settings plus the benchmark's reference view, which exists only here."""

import os

# The benchmark is production posture behind a TLS-terminating proxy; only the secret is ours.
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from config.env import env_bool
from config.settings import *  # noqa: F403
from config.settings import VAR_DIR

ROOT_URLCONF = "tests.bench.urls"
WSGI_APPLICATION = "tests.bench.wsgi.application"
# collectstatic for the bench goes here, never over a developer's var/static.
STATIC_ROOT = VAR_DIR / "bench" / "static"

if not env_bool("BENCH_PAGE_CACHE", True):
    # The bench checks the result: no page may carry the X-Page-Cache header in this mode.
    MIDDLEWARE = [name for name in MIDDLEWARE if name != "news.cache.PageCacheMiddleware"]  # noqa: F405

# The bench's view-counting section runs a second cached server with counting off beside one
# with it on, and compares the article page's rate on both.
NEWS_VIEW_COUNTING = env_bool("BENCH_VIEW_COUNTING", True)
