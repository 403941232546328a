"""Rate-limit and lockout counters live in a cache of their own, which the page cache's
growth, eviction or flushing never touches (issue 14, item 9)."""

import pytest

from core.ratelimit import rate_limit_hit
from news.cache import cache_clear
from tests.foundation.test_settings import production_env, run_manage

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SHOW_COUNTERS = (
    "from django.conf import settings; c = settings.CACHES['counters']; "
    "print(c['BACKEND'], c.get('LOCATION', ''))"
)


def test_flushing_the_page_cache_does_not_reset_a_limit():
    for _ in range(2):
        rate_limit_hit(scope="test", identifier="203.0.113.7", limit=2, window=600)
    cache_clear()
    assert rate_limit_hit(scope="test", identifier="203.0.113.7", limit=2, window=600)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/0"},
            "config.cache.CountersRedisCache redis://127.0.0.1:6379/8",
        ),
        (
            {"REDIS_URL": "redis://:secret@redis.internal:6380/3?socket_timeout=2"},
            "config.cache.CountersRedisCache"
            " redis://:secret@redis.internal:6380/11?socket_timeout=2",
        ),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379"},
            "config.cache.CountersRedisCache redis://127.0.0.1:6379/8",
        ),
        (
            {
                "REDIS_URL": "redis://127.0.0.1:6379/0",
                "RATELIMIT_REDIS_URL": "redis://counters.internal:6379/0",
            },
            "config.cache.CountersRedisCache redis://counters.internal:6379/0",
        ),
        ({}, "django.core.cache.backends.locmem.LocMemCache counters"),
    ],
)
def test_the_counters_url_defaults_to_another_database_of_redis_url(env, expected):
    result = run_manage("shell", "-c", SHOW_COUNTERS, env=production_env(**env))
    assert result.stdout.strip() == expected, result.stderr
