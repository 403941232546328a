"""Whole-page caching of public news pages for anonymous readers.

Every cache key carries a generation number. Saving or deleting an article, a
category, a tag or a CTA bumps the generation (see signals.py), so the next
request renders afresh and old entries simply expire. Only anonymous GETs that
answer 200 are stored, and staff never read from the cache: a preview can never
be served to the public, nor a public copy to an editor who just changed it.
"""

import functools
import time
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Now
from django.http import HttpResponse
from django.utils import timezone

GENERATION_KEY = "news:generation"
NEXT_SCHEDULED_KEY = "news:next-scheduled"
PAGE_KEY_PREFIX = "news:page"
# Long enough to absorb a burst of readers; edits invalidate at once anyway.
PAGE_SECONDS = 10 * 60
NO_SCHEDULE = 0.0


def _fresh_generation() -> int:
    # Time-based, so a generation lost with an evicted key never comes back and
    # resurrects pages cached under it.
    return time.time_ns()


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = _fresh_generation()
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def bump_generation() -> None:
    """Invalidate every cached news page now and again after the transaction commits.

    The second bump discards a page that a concurrent reader cached from the old
    data between our write and our commit.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def _next_scheduled_timestamp() -> float:
    """When the next article goes live or expires (0.0 if none); cached between changes."""
    from news.models import Article

    value = cache.get(NEXT_SCHEDULED_KEY)
    if value is None or (value != NO_SCHEDULE and value <= time.time()):
        moments = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
            publication=Min("published_at", filter=Q(published_at__gt=Now())),
            expiry=Min("expires_at", filter=Q(expires_at__gt=Now())),
        )
        upcoming: list[datetime] = [moment for moment in moments.values() if moment is not None]
        value = min(upcoming).timestamp() if upcoming else NO_SCHEDULE
        cache.set(NEXT_SCHEDULED_KEY, value, timeout=None)
    return value


def remember_next_scheduled() -> None:
    """Look up the next publication or expiry now, so a page render need not."""
    cache.delete(NEXT_SCHEDULED_KEY)
    _next_scheduled_timestamp()


def page_timeout() -> int:
    """Seconds a page may be cached: never past the moment an article goes live or expires."""
    upcoming = _next_scheduled_timestamp()
    if upcoming == NO_SCHEDULE:
        return PAGE_SECONDS
    return max(1, min(PAGE_SECONDS, int(upcoming - timezone.now().timestamp())))


def page_key(request) -> str | None:
    """The cache key, or None for a URL not worth caching.

    `page` is the only parameter a cached view reads, so utm_* or fbclid never
    split the cache; a junk page number is rendered but not stored.
    """
    page = request.GET.get("page")
    if page is not None and not (page.isascii() and page.isdigit() and len(page) <= 4):
        return None
    parameters = f"page={page}" if page else ""
    return (
        f"{PAGE_KEY_PREFIX}:{current_generation()}:{request.get_host()}:{request.path}?{parameters}"
    )


def reader_is_anonymous(request) -> bool:
    """True for a reader who is not logged in; without a session cookie this runs no query."""
    return not request.user.is_authenticated


def cache_public_page(view):
    """Serve anonymous readers from the page cache; render for everyone else."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not reader_is_anonymous(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        # A page that set a cookie or asked for a CSRF token is personal: never share it.
        shareable = (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
        if shareable:
            cache.set(key, (response.content, response["Content-Type"]), timeout=page_timeout())
            response["X-Page-Cache"] = "miss"
        return response

    return wrapped
