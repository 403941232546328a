"""Views are counted without cookies or personal data, flushed once, and make 人気記事."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news import readership
from news.models import ArticleDailyViews
from news.readership import _client, popular_articles, views_flush, views_pending, views_push
from tests.factories import ArticleFactory
from tests.support.processes import wait_for
from tests.support.services import require_redis

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"


@pytest.fixture(autouse=True)
def _empty_counters():
    require_redis()
    client = _client()
    assert client is not None
    views_push()  # what earlier tests of this process counted
    for key in client.scan_iter("plusweb3:views:*"):
        client.delete(key)
    yield
    views_push()
    for key in client.scan_iter("plusweb3:views:*"):
        client.delete(key)


@pytest.fixture
def reader(client):
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    return client


def test_page_cache_hits_are_counted_without_a_database_write(reader, default_cta):
    article = ArticleFactory(slug="ai-agents")

    with CaptureQueriesContext(connection) as miss:
        assert reader.get("/articles/ai-agents/")["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as hits:
        for _ in range(3):
            assert reader.get("/articles/ai-agents/")["X-Page-Cache"] == "hit"

    assert views_pending() == {"ai-agents": 4}
    assert len(hits) == 0
    writes = [q["sql"] for q in miss if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert not ArticleDailyViews.objects.filter(article=article).exists()
    # No cookie is set to count a reader.
    assert not reader.get("/articles/ai-agents/").cookies


def test_robots_head_requests_and_previews_are_not_counted(client, reader, default_cta):
    ArticleFactory(slug="ai-agents")
    for agent in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""):
        client.get("/articles/ai-agents/", HTTP_USER_AGENT=agent)
    reader.head("/articles/ai-agents/")

    assert views_pending() == {}


def test_the_flush_adds_each_view_once_even_when_run_twice(reader, default_cta):
    article = ArticleFactory(slug="ai-agents")
    for _ in range(3):
        reader.get("/articles/ai-agents/")

    assert views_flush() == 3
    assert views_flush() == 0
    reader.get("/articles/ai-agents/")
    assert views_flush() == 1

    [row] = ArticleDailyViews.objects.filter(article=article)
    assert (row.date, row.count) == (timezone.localdate(), 4)
    assert views_pending() == {}


def test_a_batch_left_behind_by_a_crashed_flush_is_not_added_again(reader, default_cta):
    """A flush that wrote the rows but died before deleting its batch: the next one skips it."""
    article = ArticleFactory(slug="ai-agents")
    for _ in range(2):
        reader.get("/articles/ai-agents/")
    client = _client()
    views_flush()
    batch = f"plusweb3:views:batch:{timezone.localdate().isoformat()}:crashed"
    from news.models import ViewFlush

    ViewFlush.objects.create(batch=batch)
    client.hset(batch, "ai-agents", 2)
    client.sadd("plusweb3:views:batches", batch)

    assert views_flush() == 0
    assert ArticleDailyViews.objects.get(article=article).count == 2


def test_popular_lists_are_refreshed_on_the_flush_and_shown(reader, default_cta):
    first = ArticleFactory(slug="first", title="今日いちばん読まれた記事")
    second = ArticleFactory(slug="second", title="今週よく読まれた記事")
    ArticleDailyViews.objects.create(
        article=second, date=timezone.localdate() - timedelta(days=3), count=50
    )
    for _ in range(3):
        reader.get("/articles/first/")
    reader.get("/articles/second/")

    views_flush()

    lists = popular_articles()
    assert [entry["title"] for entry in lists["daily"]] == [first.title, second.title]
    assert [entry["title"] for entry in lists["weekly"]] == [second.title, first.title]
    home = reader.get("/?fresh=1").content.decode()
    assert 'data-testid="popular-daily"' in home
    assert "今日いちばん読まれた記事" in home


def _in_redis(slug: str) -> int:
    day_hash = f"plusweb3:views:{timezone.localdate().isoformat()}"
    return int(_client().hget(day_hash, slug) or 0)


def test_a_process_sends_its_views_to_redis_in_one_push_not_a_round_trip_each(
    reader, default_cta, monkeypatch
):
    """The cached page pays a counter in memory; Redis hears of the views once, added up."""
    monkeypatch.setattr(readership, "PUSH_SECONDS", 60)
    ArticleFactory(slug="ai-agents")
    for _ in range(5):
        reader.get("/articles/ai-agents/")
    assert _in_redis("ai-agents") == 0

    views_push()

    assert _in_redis("ai-agents") == 5


def test_counted_views_reach_redis_by_themselves_within_a_second(reader, default_cta):
    ArticleFactory(slug="ai-agents")
    for _ in range(3):
        reader.get("/articles/ai-agents/")

    wait_for(lambda: _in_redis("ai-agents") == 3, timeout=10, message="views never pushed")
