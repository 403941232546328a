"""Reader views, counted without cookies or personal data, and the popular lists they make.

Views are counted on a Redis hash per day (the counters cache's server), keyed by the
article's slug: no database write per request, no identifier of the reader, nothing sent
elsewhere. Each web process adds up its views in memory and sends them with one pipelined
HINCRBY per article a second after the first of them (PUSH_SECONDS): with a Redis round trip
per view, a cached hit took 30-50 % more CPU than without counting, against a 5 % budget
(make bench). A process that dies between pushes loses that second's views of its own.
Beat flushes the hashes every minute into ArticleDailyViews (news.tasks.views_flush_task)
and refreshes the 人気記事 lists in the cache, which pages only read. Without Redis
(REDIS_URL unset) views are not counted.
"""

import atexit
import functools
import logging
import re
import threading
import uuid
from collections import Counter
from datetime import date, timedelta

import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from news.models import Article, ArticleDailyViews, ViewFlush

KEY_PREFIX = "plusweb3:views"
# Batches renamed away from a day's live hash but not yet known to be applied.
BATCHES_KEY = f"{KEY_PREFIX}:batches"
ARTICLE_PATH = re.compile(r"^/articles/(?P<slug>[-a-zA-Z0-9_]+)/$")
# Obvious robots and tools by user agent; an empty agent is not a browser either.
ROBOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|preview|monitor|headless|lighthouse|facebookexternalhit"
    r"|embedly|curl|wget|python-|httpx|go-http|java/|okhttp|libwww|scrapy|feedfetcher",
    re.IGNORECASE,
)
POPULAR_PERIODS = {"daily": 1, "weekly": 7}
POPULAR_COUNT = 5
POPULAR_SECONDS = 24 * 60 * 60
FLUSH_RECORDS_DAYS = 2
PUSH_SECONDS = 1.0

logger = logging.getLogger(__name__)
# This process's views not yet in Redis, per (day's hash, slug), and the push they wait for.
_unpushed: Counter[tuple[str, str]] = Counter()
_unpushed_lock = threading.Lock()
_push_timer: threading.Timer | None = None


def _client():
    """The counters cache's Redis client, or None when it is not Redis."""
    backend = getattr(caches["counters"], "_cache", None)
    servers = getattr(backend, "_servers", None)
    return _redis_client(servers[0]) if servers else None


@functools.cache
def _redis_client(url: str) -> redis.Redis:
    # One client (and connection pool) per process: building one per view, as the cache's
    # get_client() does, cost more CPU than the increment itself.
    return redis.Redis.from_url(url)


def _day_key(day: date) -> str:
    return f"{KEY_PREFIX}:{day.isoformat()}"


@functools.lru_cache(maxsize=1024)
def _is_robot(agent: str) -> bool:
    # Remembered per agent string: readers' browsers repeat a few hundred of them, and the
    # search cost more than the rest of counting a view.
    return not agent or ROBOT_AGENTS.search(agent) is not None


def article_view_count(request) -> None:
    """Count one reader's view of the article at request.path (a cache hit or the view)."""
    if not settings.NEWS_VIEW_COUNTING:
        return
    match = ARTICLE_PATH.match(request.path_info)
    agent = request.META.get("HTTP_USER_AGENT", "")
    if match is None or request.method != "GET" or _is_robot(agent):
        return
    if _client() is None:
        return
    global _push_timer
    with _unpushed_lock:
        _unpushed[(_day_key(timezone.localdate()), match["slug"])] += 1
        if _push_timer is None:
            _push_timer = threading.Timer(PUSH_SECONDS, views_push)
            _push_timer.daemon = True
            _push_timer.start()


@atexit.register
def views_push() -> None:
    """Send this process's counted views to Redis: one pipelined HINCRBY per article and day."""
    global _push_timer
    with _unpushed_lock:
        counts = dict(_unpushed)
        _unpushed.clear()
        if _push_timer is not None:
            _push_timer.cancel()  # these views go now; the next one schedules a new push
            _push_timer = None
    client = _client() if counts else None
    if client is None:
        return
    pipeline = client.pipeline(transaction=False)
    for (key, slug), views in counts.items():
        pipeline.hincrby(key, slug, views)
    try:
        pipeline.execute()
    except redis.RedisError:
        # Lost views never cost a reader the page, nor pile up in memory while Redis is away.
        logger.warning("views of %d articles not counted: Redis unavailable", len(counts))


def views_pending() -> dict[str, int]:
    """Counted views not yet flushed, per slug (today's and yesterday's hashes)."""
    views_push()
    client = _client()
    pending: dict[str, int] = {}
    if client is None:
        return pending
    today = timezone.localdate()
    keys = [_day_key(today - timedelta(days=1)), _day_key(today)]
    keys += [key.decode() for key in client.smembers(BATCHES_KEY)]
    for key in keys:
        for slug, count in client.hgetall(key).items():
            pending[slug.decode()] = pending.get(slug.decode(), 0) + int(count)
    return pending


def _apply(batch: str, counts: dict[bytes, bytes]) -> bool:
    """Add a batch's counts to the daily rows once; False if it was already applied."""
    day = date.fromisoformat(batch.split(":")[-2])
    by_slug = {slug.decode(): int(count) for slug, count in counts.items()}
    ids = dict(Article.objects.filter(slug__in=by_slug).values_list("slug", "id"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                ViewFlush.objects.create(batch=batch)
        except IntegrityError:
            return False
        for slug, article_id in ids.items():
            rows = ArticleDailyViews.objects.filter(article_id=article_id, date=day)
            if not rows.update(count=F("count") + by_slug[slug]):
                ArticleDailyViews.objects.create(
                    article_id=article_id, date=day, count=by_slug[slug]
                )
    return True


def views_flush() -> int:
    """Move counted views into ArticleDailyViews; return how many were added.

    1. Each day's live hash is renamed to a batch of its own (RENAME is atomic: a view
       counted after it starts a new hash), and the batch is listed first.
    2. Every listed batch is applied in one transaction that also records its name, so a
       second run, or two runs at once, add nothing twice.
    3. Applied batches are deleted, and the popular lists refreshed.
    """
    client = _client()
    if client is None:
        return 0
    views_push()  # this process's own views too (a test, or a worker that served pages)
    today = timezone.localdate()
    for day in (today - timedelta(days=1), today):
        batch = f"{KEY_PREFIX}:batch:{day.isoformat()}:{uuid.uuid4().hex}"
        client.sadd(BATCHES_KEY, batch)
        try:
            client.rename(_day_key(day), batch)
        except redis.ResponseError:
            client.srem(BATCHES_KEY, batch)  # nothing counted that day
    added = 0
    for name in sorted(key.decode() for key in client.smembers(BATCHES_KEY)):
        counts = client.hgetall(name)
        if counts and _apply(name, counts):
            added += sum(int(count) for count in counts.values())
        client.delete(name)
        client.srem(BATCHES_KEY, name)
    ViewFlush.objects.filter(
        flushed_at__lt=timezone.now() - timedelta(days=FLUSH_RECORDS_DAYS)
    ).delete()
    popular_refresh()
    return added


def _popular_key(period: str) -> str:
    return f"news:popular:{period}"


def popular_refresh() -> None:
    """Recompute the daily and weekly 人気記事 from the daily rows (one query each)."""
    today = timezone.localdate()
    for period, days in POPULAR_PERIODS.items():
        rows = (
            ArticleDailyViews.objects.filter(
                date__gt=today - timedelta(days=days), article__in=Article.objects.public()
            )
            .values("article")
            .annotate(total=Sum("count"))
            .order_by("-total", "article")[:POPULAR_COUNT]
        )
        totals = {row["article"]: row["total"] for row in rows}
        articles = Article.objects.filter(pk__in=totals).only(
            "slug", "title", "hero_image", "hero_variants", "published_at"
        )
        ranked = sorted(articles, key=lambda article: (-totals[article.pk], article.pk))
        cache.set(
            _popular_key(period),
            [
                {
                    "title": article.title,
                    "url": article.get_absolute_url(),
                    "image": article.card_image_url,
                    "views": totals[article.pk],
                }
                for article in ranked
            ],
            POPULAR_SECONDS,
        )


def popular_articles() -> dict[str, list[dict]]:
    """The lists the last flush left in the cache: no query on a page render."""
    stored = cache.get_many([_popular_key(period) for period in POPULAR_PERIODS])
    return {period: stored.get(_popular_key(period), []) for period in POPULAR_PERIODS}
