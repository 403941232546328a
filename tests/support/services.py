"""Whether a real service is here, and what to do when it is not.

Tests that need PostgreSQL, Redis, a Celery worker or Chromium skip with a
reason when it is absent, unless REQUIRE_SERVICES=1 (CI), where they fail.
"""

import os
import shutil

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.env import env_bool

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# README.md's way to run every test as CI does; printed after a run that skipped some.
FULL_SUITE_COMMAND = (
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/plusweb3 "
    "REDIS_URL=redis://127.0.0.1:6379/0 REQUIRE_SERVICES=1 make test"
)


def services_required() -> bool:
    return env_bool("REQUIRE_SERVICES", False)


def missing(reason: str) -> None:
    """Skip the test, or fail it where services are required."""
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        missing("needs PostgreSQL: set DATABASE_URL=postgres://…")


def require_redis() -> str:
    url = settings.REDIS_URL
    if not url:
        missing("needs Redis: set REDIS_URL=redis://…")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        missing(f"needs Redis: {url} does not answer ({error})")
    finally:
        client.close()
    return url


def require_chromium() -> str:
    if not os.path.exists(CHROMIUM_PATH):
        missing(f"needs Debian's chromium at {CHROMIUM_PATH}")
    return CHROMIUM_PATH
