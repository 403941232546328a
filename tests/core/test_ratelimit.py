"""Rate limits: fixed windows in the shared cache, counted per client address."""

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from core.ratelimit import client_ip, counters, rate_limit_hit


def test_the_event_over_the_limit_learns_how_long_the_window_still_runs():
    hits = [
        rate_limit_hit(scope="test", identifier="203.0.113.7", limit=2, window=600)
        for _ in range(3)
    ]
    assert hits[:2] == [None, None]
    assert 0 < hits[2] <= 600


def test_each_identifier_and_scope_counts_on_its_own():
    for _ in range(2):
        rate_limit_hit(scope="test", identifier="203.0.113.7", limit=1, window=600)
    assert rate_limit_hit(scope="test", identifier="203.0.113.8", limit=1, window=600) is None
    assert rate_limit_hit(scope="other", identifier="203.0.113.7", limit=1, window=600) is None


def test_every_count_expires_with_its_window():
    """No counter outlives its window, so a burst today never refuses anyone tomorrow."""
    store = counters()
    if not isinstance(store, RedisCache):
        pytest.skip("the counters cache is not Redis (REDIS_URL unset)")
    for _ in range(3):
        rate_limit_hit(scope="expiry", identifier="203.0.113.7", limit=5, window=600)
    client = store._cache.get_client(write=True)
    keys = client.keys("*ratelimit:expiry:*")
    assert len(keys) == 1
    assert int(client.get(keys[0])) == 3
    assert 0 < client.ttl(keys[0]) <= 601


def test_only_the_entries_our_own_proxies_added_are_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
    # More proxies configured than entries sent: the connection's address, not a guess.
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.1"
