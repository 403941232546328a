"""Submission limits per client network and per mailbox, counted in the counters cache.

Fixed windows aligned to the clock: the key names its window, so the time left is exact and
the Retry-After header tells the truth. Redis INCR counts atomically, so concurrent requests
never lose a count; in Redis an event is one round trip (INCR and EXPIRE in one MULTI).
"""

import ipaddress
import logging
import math
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from core.normalization import mailbox_key

logger = logging.getLogger(__name__)


def counters():
    """The cache that holds rate-limit and lockout counts (CACHES["counters"]), never pages."""
    return caches["counters"]


def client_ip(request) -> str:
    """The reader's address: REMOTE_ADDR, or the entry our own proxies added to X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    # Entries to the left of the ones our proxies appended are whatever the client sent.
    candidate = forwarded[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def client_network(address: str, *, ipv4_prefix: int = 32) -> str:
    """The network one client holds: its IPv4 address (or /ipv4_prefix), or its IPv6 /64.

    One IPv6 subscriber gets a whole /64 and may pick any address in it, so counting per
    address would give everyone unlimited tries. "" for anything that is not an address.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = ipv4_prefix if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def rate_limit_hit(*, scope: str, identifier: str, limit: int, window: int) -> int | None:
    """Count one event; return the seconds until the window ends when over the limit, else None.

    A cache outage lets the submission through: losing a lead is worse than a missed limit.
    """
    now = time.time()
    window_number = int(now // window)
    # Keys carry no address or email, only a keyed digest of it. The salt keeps the name of
    # the module's first home, so windows already counting survive a deploy.
    digest = salted_hmac("careers.ratelimit", identifier, algorithm="sha256").hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}:{window_number}"
    seconds_left = max(1, math.ceil((window_number + 1) * window - now))
    try:
        count = _window_count(key, timeout=seconds_left + 1)
    except Exception:
        logger.warning("rate limit cache unavailable; letting %s through", scope, exc_info=True)
        return None
    return seconds_left if count > limit else None


def _window_count(key: str, *, timeout: int) -> int:
    """Add one to the counter `key`, which lives `timeout` seconds; the count so far."""
    store = counters()
    if isinstance(store, RedisCache):
        # One round trip, where the cache API takes three (add, then incr's EXISTS and INCR).
        # The EXPIRE is in the same MULTI, so no counter is ever left without one.
        redis_key = store.make_and_validate_key(key)
        client = store._cache.get_client(redis_key, write=True)
        with client.pipeline() as pipeline:
            count, _expiry_set = pipeline.incr(redis_key).expire(redis_key, timeout).execute()
        return count
    store.add(key, 0, timeout=timeout)
    try:
        return store.incr(key)
    except ValueError:
        # The window expired between add and incr: this event opens the next one.
        store.add(key, 1, timeout=timeout)
        return 1


def request_rate_limit(request, *, scope: str, limit: int, window: int) -> int | None:
    """Seconds to wait when this request's client (its network) did `scope` too often, else None."""
    if not settings.RATELIMIT_ENABLE:
        return None
    ip = client_ip(request)
    return rate_limit_hit(
        scope=scope, identifier=client_network(ip) or ip, limit=limit, window=window
    )


def submission_rate_limit(*, form: str, ip: str, email: str) -> int | None:
    """Seconds to wait when this network or this mailbox sent too many of `form`, else None.

    Each form (consultation, recruiters) counts on its own, with the same limits.
    """
    if not settings.RATELIMIT_ENABLE:
        return None
    if ip:
        retry_after = rate_limit_hit(
            scope=f"{form}-ip",
            identifier=client_network(ip) or ip,
            limit=settings.RATELIMIT_IP_LIMIT,
            window=settings.RATELIMIT_IP_WINDOW_SECONDS,
        )
        if retry_after:
            return retry_after
    return rate_limit_hit(
        scope=f"{form}-email",
        identifier=mailbox_key(email),
        limit=settings.RATELIMIT_EMAIL_LIMIT,
        window=settings.RATELIMIT_EMAIL_WINDOW_SECONDS,
    )


def too_many_requests(request, retry_after: int, *, searching: bool = False):
    """The friendly Japanese 429 page, saying when to try again (also as Retry-After).

    `searching`: the reader searched too often, rather than sent too many forms.
    """
    response = render(
        request,
        "429.html",
        {"retry_after_minutes": math.ceil(retry_after / 60), "searching": searching},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
    response["Retry-After"] = str(retry_after)
    return response
