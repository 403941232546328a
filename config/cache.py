"""Redis caches: one that degrades to "no cache" while Redis is down, instead of failing
requests, and the plain one for the counters; both reuse their redis-py client.

Redis is the broker and the cache. When it stops, a reader must still get the article
and a candidate must still get the form and the thank-you page: the database is the
source of truth. So a failed read is a miss, a failed write is skipped, and `incr` on
a failed connection behaves like a missing key (ValueError), which every caller handles.
"""

import functools
import logging

import redis
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)


def _degrade(method, *, on_outage):
    @functools.wraps(method)
    def wrapper(self, *args):
        try:
            return method(self, *args)
        except redis.RedisError:
            logger.warning("cache unavailable during %s; continuing without it", method.__name__)
            return on_outage(*args)

    return wrapper


def _key_unavailable(key, delta):
    raise ValueError(f"Key {key!r} is not available: the cache is down.")


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis, with its table of ~170 response callbacks,
    for every cache call; a form's POST paid more for that than for its Redis round trips.
    One per connection pool is enough: a redis.Redis is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCacheClient(ReusingRedisCacheClient):
    add = _degrade(RedisCacheClient.add, on_outage=lambda *args: False)
    get = _degrade(RedisCacheClient.get, on_outage=lambda key, default: default)
    set = _degrade(RedisCacheClient.set, on_outage=lambda *args: None)
    touch = _degrade(RedisCacheClient.touch, on_outage=lambda *args: False)
    delete = _degrade(RedisCacheClient.delete, on_outage=lambda *args: False)
    get_many = _degrade(RedisCacheClient.get_many, on_outage=lambda keys: {})
    has_key = _degrade(RedisCacheClient.has_key, on_outage=lambda key: False)
    incr = _degrade(RedisCacheClient.incr, on_outage=_key_unavailable)
    set_many = _degrade(RedisCacheClient.set_many, on_outage=lambda *args: None)
    delete_many = _degrade(RedisCacheClient.delete_many, on_outage=lambda *args: None)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient


class CountersRedisCache(RedisCache):
    """The rate-limit and lockout counters: an outage is seen (no degrading), clients reused."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
