"""Whole-page caching of public pages for anonymous readers.

Every cache key carries a generation number. Saving or deleting what a family of
pages shows bumps that family's generation (see signals.py), so the next request
renders afresh and old entries simply expire. Only anonymous GETs that answer 200
are stored, and staff never read from the cache: a preview can never be served to
the public, nor a public copy to an editor who just changed it.

`PageCache` is the mechanism; the news pages are one family of it (NEWS_PAGES),
and other apps declare their own with the query parameters their views read.
"""

import functools
import time
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Now
from django.http import HttpResponse, QueryDict
from django.utils import timezone

# Long enough to absorb a burst of readers; edits invalidate at once anyway.
PAGE_SECONDS = 10 * 60
NO_CHANGE = 0.0


def _fresh_generation() -> int:
    # Time-based, so a generation lost with an evicted key never comes back and
    # resurrects pages cached under it.
    return time.time_ns()


def page_number_parameter(query: QueryDict) -> str | None:
    """ "page=N" (or "" without a page), or None for a junk page number not worth storing."""
    page = query.get("page")
    if page is None or page == "":
        return ""
    if not (page.isascii() and page.isdigit() and len(page) <= 4):
        return None
    return f"page={page}"


def reader_is_anonymous(request) -> bool:
    """True for a reader who is not logged in; without a session cookie this runs no query."""
    return not request.user.is_authenticated


class PageCache:
    """The page cache of one family of pages: its generation, its keys and its decorator.

    `next_change` says when the family's pages go stale by themselves (a scheduled
    publication, a closing time), so no page is cached past that moment and no cron
    is needed. `depends_on` names other families whose edits also make these pages
    stale (a sitemap of both). A view's key holds the page number and nothing else
    of the query string, so utm_* or fbclid never split the cache; a view that reads
    more declares it with `keyed_by`.
    """

    def __init__(
        self,
        namespace: str,
        *,
        next_change: Callable[[], datetime | None] | None = None,
        depends_on: tuple["PageCache", ...] = (),
    ):
        self.namespace = namespace
        self.generation_key = f"{namespace}:generation"
        self.next_change_key = f"{namespace}:next-change"
        self.next_change = next_change
        self.depends_on = depends_on

    def current_generation(self) -> int:
        generation = cache.get(self.generation_key)
        if generation is None:
            generation = _fresh_generation()
            cache.add(self.generation_key, generation, timeout=None)
            generation = cache.get(self.generation_key, generation)
        return generation

    def bump_generation(self) -> None:
        """Invalidate every cached page of the family now and again after the transaction commits.

        The second bump discards a page that a concurrent reader cached from the old
        data between our write and our commit.
        """
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        try:
            cache.incr(self.generation_key)
        except ValueError:
            cache.set(self.generation_key, _fresh_generation(), timeout=None)

    def _next_change_timestamp(self) -> float:
        """When the pages next go stale by themselves (0.0: never); cached between edits."""
        if self.next_change is None:
            return NO_CHANGE
        value = cache.get(self.next_change_key)
        if value is None or (value != NO_CHANGE and value <= time.time()):
            upcoming = self.next_change()
            value = upcoming.timestamp() if upcoming else NO_CHANGE
            cache.set(self.next_change_key, value, timeout=None)
        return value

    def remember_next_change(self) -> None:
        """Look up the next change now, so a page render need not."""
        cache.delete(self.next_change_key)
        self._next_change_timestamp()

    def page_timeout(self) -> int:
        """Seconds a page may be cached: never past the moment the pages go stale by time."""
        upcoming = min(
            (
                moment
                for family in (self, *self.depends_on)
                if (moment := family._next_change_timestamp()) != NO_CHANGE
            ),
            default=NO_CHANGE,
        )
        if upcoming == NO_CHANGE:
            return PAGE_SECONDS
        return max(1, min(PAGE_SECONDS, int(upcoming - timezone.now().timestamp())))

    def page_key(self, request, parameters=page_number_parameter) -> str | None:
        """The cache key, or None for a URL not worth caching.

        `parameters` turns the query string into the canonical part of the key: what
        the view reads and nothing else, or None for a URL that is rendered, not stored.
        """
        parameters = parameters(request.GET)
        if parameters is None:
            return None
        generations = ":".join(
            str(family.current_generation()) for family in (self, *self.depends_on)
        )
        return (
            f"{self.namespace}:page:{generations}:{request.get_host()}:{request.path}?{parameters}"
        )

    def __call__(self, view):
        """Decorate `view`: serve anonymous readers from the cache; render for everyone else."""
        return self._decorate(view, parameters=page_number_parameter)

    def keyed_by(self, parameters: Callable[[QueryDict], str | None]):
        """A decorator like the cache itself, for a view that reads more than the page number."""
        return functools.partial(self._decorate, parameters=parameters)

    def _decorate(self, view, *, parameters):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or not reader_is_anonymous(request):
                return view(request, *args, **kwargs)
            key = self.page_key(request, parameters)
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
                cache.set(
                    key, (response.content, response["Content-Type"]), timeout=self.page_timeout()
                )
                response["X-Page-Cache"] = "miss"
            return response

        return wrapped


def _next_publication_or_expiry() -> datetime | None:
    from news.models import Article

    moments = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
        publication=Min("published_at", filter=Q(published_at__gt=Now())),
        expiry=Min("expires_at", filter=Q(expires_at__gt=Now())),
    )
    upcoming = [moment for moment in moments.values() if moment is not None]
    return min(upcoming, default=None)


# Never cached past the moment an article goes live or expires.
NEWS_PAGES = PageCache("news", next_change=_next_publication_or_expiry)


def cache_public_page(view):
    """Serve the news pages from their page cache (the benchmark swaps this for a pass-through)."""
    return NEWS_PAGES(view)
