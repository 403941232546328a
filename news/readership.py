"""Reader views, counted without cookies or personal data, and the popular lists they make.

A view is one HINCRBY on a Redis hash per day (the counters cache's server), keyed by the
article's slug: no database write per request, no identifier of the reader, nothing sent
elsewhere. Beat flushes the hashes every minute into ArticleDailyViews
(news.tasks.views_flush_task) and refreshes the 人気記事 lists in the cache, which pages
only read. Without Redis (REDIS_URL unset) views are not counted.
"""

import re
import uuid
from datetime import date, timedelta

import redis
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


def _client():
    """The counters cache's Redis client, or None when it is not Redis."""
    backend = getattr(caches["counters"], "_cache", None)
    return backend.get_client(write=True) if hasattr(backend, "get_client") else None


def _day_key(day: date) -> str:
    return f"{KEY_PREFIX}:{day.isoformat()}"


def article_view_count(request) -> None:
    """Count one reader's view of the article at request.path (a cache hit or the view)."""
    match = ARTICLE_PATH.match(request.path_info)
    agent = request.META.get("HTTP_USER_AGENT", "")
    if match is None or request.method != "GET" or not agent or ROBOT_AGENTS.search(agent):
        return
    client = _client()
    if client is None:
        return
    try:
        client.hincrby(_day_key(timezone.localdate()), match["slug"], 1)
    except redis.RedisError:
        # A lost count never costs a reader the page.
        return


def views_pending() -> dict[str, int]:
    """Counted views not yet flushed, per slug (today's and yesterday's hashes)."""
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
