"""Whole-page caching of public pages for anonymous readers.

Every cache key carries a generation number. Saving or deleting what a family of
pages shows bumps that family's generation (see signals.py), so the next request
renders afresh and old entries simply expire. Only cookie-less GETs that answer 200
are stored or served (the CSRF token and the forms' first-touch cookies aside: no public
page reads them): staff (and anyone else with a session) never read from the cache, so a
preview can never be served to the public, nor a public copy to an editor who just
changed it.

`PageCache` is the mechanism; the news pages are one family of it (NEWS_PAGES), and
other apps declare their own with the query parameters their views read. Decorating a
view only marks it: `PageCacheMiddleware`, placed before the session, CSRF, auth and
messages middleware, serves a hit without running any of them, from one Redis GET.

Each process also keeps the pages it read from Redis a moment ago (the hot pages), so a page
read again within the same second costs no round trip. A hot page is trusted no longer than
the generations in its key are remembered (GENERATION_MEMORY_SECONDS from when they were
read), nor past its expiry in Redis, and is dropped when this process bumps a generation: it
adds no staleness to what the remembered generation already allows. The same second bounds a
`cache.clear()`: an operator's clear reaches other processes' readers at most that much
later, as an edit in another process does. `cache_clear()` is the clear that also forgets
what this process remembers (the tests, the bench).

The parts of a news page that change only when something is saved are kept apart, by the
versions of the articles they show (news.versions), so a page-cache miss for another reason
(a reader with a cookie, the page cache off, another page number) renders only what is
personal or changes by itself.
"""

import functools
import time
import weakref
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Now
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone

from news.hot_pages import HotPages
from news.readership import article_view_count

# Long enough to absorb a burst of readers; edits invalidate at once anyway.
PAGE_SECONDS = 10 * 60
NO_CHANGE = 0.0
# How long a process trusts the generation it last read, so a hit costs one Redis round
# trip instead of two, and none for a hot page (see HotPages). Another process's edit
# reaches this one's readers this much later at most; the editor's own process forgets at
# once (see _bump).
GENERATION_MEMORY_SECONDS = 1.0
# Set on a request whose page must not be stored (an out-of-range page number).
NOT_SHAREABLE = "PAGE_CACHE_NOT_SHAREABLE"
# Cookies of a reader who opened a form, which no public page reads: the forms' first
# touch (careers.attribution, read only when a form is sent; it also reaches the page-cached
# /projects/ pages, its form's part of the site) and, by the CSRF_COOKIE_NAME setting, the
# CSRF token (path /; a page that renders one asks for the cookie, so it is never stored:
# see _shareable). Any other cookie, a session above all, still keeps the reader away.
FORM_COOKIE_PREFIXES = ("first_touch_",)
# Hot pages a process keeps (oldest out): the pages most readers open at once, few enough
# that a crawl of every article or made-up URLs cannot grow a worker.
HOT_PAGES = 64
# Paths whose marking (or its absence) a process remembers instead of resolving the URL.
MARKED_PATHS = 1024


_HOT_PAGES = HotPages(HOT_PAGES, seconds=GENERATION_MEMORY_SECONDS)
# Every family, so cache_clear() reaches the generations each remembers.
_FAMILIES: "weakref.WeakSet[PageCache]" = weakref.WeakSet()


def cache_clear() -> None:
    """Empty the cache and forget what this process remembers of it: every family's
    generation and the hot pages. `cache.clear()` alone leaves this process serving its hot
    pages for up to GENERATION_MEMORY_SECONDS, as it leaves every other process."""
    cache.clear()
    for family in list(_FAMILIES):
        family._remembered = None
    _HOT_PAGES.forget()


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


def no_parameters(query: QueryDict) -> str:
    """The key of a view that reads nothing from the query string: one page, whatever it holds."""
    return ""


def page_not_shareable(request) -> None:
    """Render this response for this request only: the page cache must not store it."""
    request.META[NOT_SHAREABLE] = True


def page_shareable(request) -> bool:
    """False once the view said this page must not be stored (see page_not_shareable)."""
    return not request.META.get(NOT_SHAREABLE)


def reader_page(request, paginator: Paginator) -> Page:
    """The page `?page=` asks for, as Paginator.get_page gives it; a number that is not
    the page shown (past the end, zero) renders that page but is never stored, so made-up
    page numbers cannot fill the cache."""
    requested = request.GET.get("page") or "1"
    page = paginator.get_page(requested)
    if requested != str(page.number):
        page_not_shareable(request)
    return page


class PageCache:
    """The page cache of one family of pages: its generation, its keys and its decorator.

    `next_change` says when the family's pages go stale by themselves (a scheduled
    publication, a closing time), so no page is cached past that moment and no cron
    is needed. `depends_on` names other families whose edits also make these pages
    stale (a sitemap of both). A view's key holds nothing of the query string, so
    utm_*, fbclid or a made-up `?page=` never split the cache; a view that paginates
    declares it with `paginated`, one that reads more with `keyed_by`.
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
        # (generation, time.monotonic() when read): see GENERATION_MEMORY_SECONDS.
        self._remembered: tuple[int, float] | None = None
        _FAMILIES.add(self)

    def current_generation(self) -> int:
        remembered, now = self._remembered, time.monotonic()
        if remembered is not None and now - remembered[1] < GENERATION_MEMORY_SECONDS:
            return remembered[0]
        generation = cache.get(self.generation_key)
        if generation is None:
            generation = _fresh_generation()
            cache.add(self.generation_key, generation, timeout=None)
            generation = cache.get(self.generation_key, generation)
        self._remembered = (generation, now)
        return generation

    def _generations_read_at(self) -> float | None:
        """When (time.monotonic()) the oldest generation in this family's keys was read, or
        None if one was just forgotten: a hot page is trusted no longer than that generation."""
        moments = []
        for family in (self, *self.depends_on):
            remembered = family._remembered
            if remembered is None:
                return None
            moments.append(remembered[1])
        return min(moments)

    def bump_generation(self) -> None:
        """Invalidate every cached page of the family now and again after the transaction commits.

        The second bump discards a page that a concurrent reader cached from the old
        data between our write and our commit.
        """
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        self._remembered = None
        _HOT_PAGES.forget()
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

    def page_key(self, request, parameters=no_parameters) -> str | None:
        """The cache key, or None for a URL not worth caching.

        `parameters` turns the query string into the canonical part of the key: what
        the view reads and nothing else, or None for a URL that is rendered, not stored.
        """
        parameters = parameters(request.GET)
        if parameters is None:
            return None
        # "page2": stored as (headers, content, expiry) since hot pages need the expiry, so
        # a deploy never reads the two-part entries stored before.
        return (
            f"{self.namespace}:page2:{self._generations()}:{request.get_host()}:{request.path}"
            f"?{parameters}"
        )

    def _generations(self) -> str:
        return ":".join(str(family.current_generation()) for family in (self, *self.depends_on))

    def __call__(self, view):
        """Mark `view` as one page whatever its query string, for PageCacheMiddleware."""
        return self.keyed_by(no_parameters)(view)

    def paginated(self, view):
        """Mark a view that reads `?page=N`: each page number is its own page."""
        return self.keyed_by(page_number_parameter)(view)

    def keyed_by(self, parameters: Callable[[QueryDict], str | None]):
        """A decorator like the cache itself, for a view that reads more of the query string."""

        def mark(view):
            @functools.wraps(view)
            def marked(request, *args, **kwargs):
                return view(request, *args, **kwargs)

            marked.page_cache = (self, parameters)
            return marked

        return mark


def _shareable(request, response) -> bool:
    """Only a complete, public 200 that set no cookie and asked for no CSRF token."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and page_shareable(request)
        and "private" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Serve and store the pages of views marked by a PageCache.

    It sits after the security and CSP middleware, which add their headers to a hit and
    a miss alike, and before sessions, CSRF, auth and messages, which a hit never needs.
    A request with any cookie but FORM_COOKIE_PREFIXES' and the CSRF token is never served
    from the cache nor stored into it: a session means staff or a preview, and a cookie is
    the only way a page gets personal.
    The page is stored as its bytes with the headers the inner middleware gave it, and its
    expiry. A hit is one Redis GET, and the page read is kept a moment in this process's hot
    pages (see HotPages), which serve the hits that follow without a round trip.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        marked = self._marked_view(request)
        if marked is None:
            return self.get_response(request)
        family, parameters = marked
        key = family.page_key(request, parameters)
        if key is None:
            return self.get_response(request)
        page = _HOT_PAGES.get(key)
        if page is None:
            page = cache.get(key)
            if page is not None:
                _HOT_PAGES.keep(key, page, family._generations_read_at())
        if page is not None:
            headers, content, _expiry = page
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            article_view_count(request)
            return response
        response = self.get_response(request)
        if _shareable(request, response):
            timeout = family.page_timeout()
            page = (tuple(response.headers.items()), response.content, time.time() + timeout)
            cache.set(key, page, timeout=timeout)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _marked_view(request):
        if request.method not in ("GET", "HEAD") or _cookies_that_may_change_a_page(request):
            return None
        try:
            return _marking(get_urlconf(), request.path_info)
        except Resolver404:
            return None


@functools.lru_cache(maxsize=MARKED_PATHS)
def _marking(urlconf, path: str):
    """The PageCache marking of the view at `path`, or None; a path that resolves to
    nothing raises Resolver404 and is not remembered. Resolving walked the URL patterns on
    every hit, a third of the page cache's own CPU (issue 13)."""
    return getattr(resolve(path, urlconf).func, "page_cache", None)


@receiver(setting_changed)
def _forget_markings(*, setting, **kwargs):
    # As django.urls forgets its resolvers when a test overrides the URLconf.
    if setting == "ROOT_URLCONF":
        _marking.cache_clear()


def _cookies_that_may_change_a_page(request) -> bool:
    return any(
        name != settings.CSRF_COOKIE_NAME and not name.startswith(FORM_COOKIE_PREFIXES)
        for name in request.COOKIES
    )


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
    """Serve a news page from the page cache, one entry whatever its query string."""
    return NEWS_PAGES(view)


def cache_public_list(view):
    """Serve a paginated news list from the page cache, one entry per page number."""
    return NEWS_PAGES.paginated(view)
