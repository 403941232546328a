"""With Redis down, pages and the form still work: the cache degrades to no cache."""

from http import HTTPStatus

import pytest
from django.core.cache import caches

from careers.models import Lead
from news.models import Article
from tests.factories import ArticleFactory, consultation_form_data

DEAD_REDIS = {
    "default": {
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
    "counters": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/8",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
}


@pytest.fixture
def dead_cache(settings):
    """A real Redis client pointed at a closed port: every call gets a real connection error."""
    settings.CACHES = DEAD_REDIS  # Django's setting_changed handler rebuilds the cache handlers
    return caches["default"]


def test_reads_miss_and_writes_are_skipped(dead_cache):
    dead_cache.set("greeting", "こんにちは")
    assert dead_cache.get("greeting", "miss") == "miss"
    assert dead_cache.add("greeting", 1) is False
    assert dead_cache.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError, match="cache is down"):
        dead_cache.incr("counter")


@pytest.mark.django_db
def test_consultation_still_saves_a_lead_when_the_cache_is_down(dead_cache, client):
    page = client.get("/consultation/")
    assert page.status_code == HTTPStatus.OK
    response = client.post("/consultation/", consultation_form_data(), follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "受付番号" in response.content.decode()
    assert Lead.objects.count() == 1


@pytest.mark.django_db
def test_home_and_article_pages_are_served_uncached_when_the_cache_is_down(dead_cache, client):
    """Readers get the real page, rendered afresh each time, and never a stale copy."""
    article = ArticleFactory(title="障害中も読める記事")
    for url in ("/", article.get_absolute_url()):
        first, second = client.get(url), client.get(url)
        for page in (first, second):
            assert page.status_code == HTTPStatus.OK
            assert "障害中も読める記事" in page.content.decode()
            assert page["X-Page-Cache"] == "miss"

    article.title = "障害中に直したタイトル"
    Article.objects.filter(pk=article.pk).update(title=article.title)  # no signal: no bump
    assert "障害中に直したタイトル" in client.get(article.get_absolute_url()).content.decode()
