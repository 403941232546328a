"""Scheduled unpublish: an article leaves every public page at expires_at, with no cron."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, CategoryFactory, TagFactory
from tests.news.forms import article_form_data
from tests.support.processes import wait_for
from tests.support.sitemaps import sitemap_paths

pytestmark = pytest.mark.django_db


def _public_urls(category, tag):
    return ("/", category.get_absolute_url(), tag.get_absolute_url(), "/search/?q=記事")


def test_an_expired_article_is_gone_from_its_page_lists_feed_and_sitemap(client):
    category, tag = CategoryFactory(), TagFactory()
    ArticleFactory(title="公開中の記事", categories=[category], tags=[tag])
    expired = ArticleFactory(
        title="終了した記事",
        expires_at=timezone.now() - timedelta(minutes=1),
        categories=[category],
        tags=[tag],
    )
    assert client.get(expired.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    for url in (*_public_urls(category, tag), "/feed/", *sitemap_paths(client)):
        html = client.get(url).content.decode()
        assert "終了した記事" not in html, url
        assert expired.slug not in html, url


def test_an_article_expires_at_its_time_even_from_a_cached_page(client):
    category, tag = CategoryFactory(), TagFactory()
    article = ArticleFactory(
        title="まもなく終了する記事",
        expires_at=timezone.now() + timedelta(seconds=2),
        categories=[category],
        tags=[tag],
    )
    for url in (article.get_absolute_url(), *_public_urls(category, tag)):
        assert "まもなく終了する記事" in client.get(url).content.decode(), url
    assert client.get("/")["X-Page-Cache"] == "hit"

    # PostgreSQL's clock decides expiry, so the test waits for the page, not a time.
    wait_for(
        lambda: "まもなく終了する記事" not in client.get("/").content.decode(),
        timeout=10,
        message="the cached home page kept the expired article",
    )
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    for url in _public_urls(category, tag):
        assert "まもなく終了する記事" not in client.get(url).content.decode(), url


def test_the_admin_lists_expired_articles_under_their_own_filter(admin_client):
    ArticleFactory(title="終了した記事", expires_at=timezone.now() - timedelta(hours=1))
    ArticleFactory(title="公開中の記事")
    html = admin_client.get("/admin/news/article/", {"state": "expired"}).content.decode()
    assert "終了した記事" in html
    assert "公開中の記事" not in html
    assert "news-state--expired" in html


def test_an_end_before_the_start_is_refused_in_japanese(admin_client):
    article = ArticleFactory()
    response = admin_client.post(
        f"/admin/news/article/{article.pk}/change/",
        article_form_data(article, expires_at=article.published_at - timedelta(days=1)),
    )
    assert response.status_code == HTTPStatus.OK
    assert "公開終了日時は公開日時より後にしてください。" in response.content.decode()
