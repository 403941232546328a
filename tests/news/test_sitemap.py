"""/sitemap.xml is a sitemap index; its section pages stay small and cheap however many articles."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.sitemaps import ArticleSitemap
from tests.factories import ArticleFactory
from tests.support.sitemaps import SITEMAP, sitemap_paths

pytestmark = pytest.mark.django_db


def _locs(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, not untrusted input
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


@pytest.fixture
def five_articles():
    """Five public articles, published a day apart, the oldest first."""
    now = timezone.now()
    return [
        ArticleFactory(slug=f"day-{day}", published_at=now - timedelta(days=10 - day))
        for day in range(5)
    ]


def test_the_index_lists_every_section_and_each_page_of_a_long_one(
    client, settings, monkeypatch, five_articles
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)

    paths = sitemap_paths(client)

    assert paths[0] == "/sitemap.xml"
    assert {"/sitemap-home.xml", "/sitemap-categories.xml", "/sitemap-projects.xml"} <= set(paths)
    article_pages = [path for path in paths if path.startswith("/sitemap-articles.xml")]
    assert article_pages == [
        "/sitemap-articles.xml",
        "/sitemap-articles.xml?p=2",
        "/sitemap-articles.xml?p=3",
    ]
    # Oldest first, so a new article lands on the last page and the others stay as they were.
    pages = [_locs(client, path) for path in article_pages]
    assert pages == [
        [f"{settings.SITE_URL}/articles/day-{day}/" for day in days]
        for days in ((0, 1), (2, 3), (4,))
    ]


def test_a_page_past_the_end_of_a_section_is_not_found(client, monkeypatch, five_articles):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    assert client.get("/sitemap-articles.xml?p=4").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/sitemap-articles.xml?p=x").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/sitemap-nothing.xml").status_code == HTTPStatus.NOT_FOUND


def test_the_index_dates_the_articles_section_by_its_latest_change(client, five_articles):
    newest = five_articles[-1]
    ArticleFactory(slug="a-draft", status="draft", published_at=None)

    response = client.get("/sitemap.xml")

    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, not untrusted input
    lastmods = {
        entry.findtext(f"{SITEMAP}loc").rsplit("/", 1)[1]: entry.findtext(f"{SITEMAP}lastmod")
        for entry in root.iter(f"{SITEMAP}sitemap")
    }
    newest.refresh_from_db()
    assert datetime.fromisoformat(lastmods["sitemap-articles.xml"]) == newest.updated_at
    # The home page lists the articles, so it changed when they last did.
    assert lastmods["sitemap-home.xml"] == lastmods["sitemap-articles.xml"]


def test_an_article_page_of_the_sitemap_costs_the_same_queries_for_2_or_40_articles(
    client, django_assert_num_queries
):
    ArticleFactory.create_batch(2)
    # Any page looks up once when the cached pages next go stale by time; not measured here.
    client.get("/sitemap-home.xml")
    with django_assert_num_queries(2):  # the count for the paginator, then the page's rows
        assert len(_locs(client, "/sitemap-articles.xml")) == 2
    ArticleFactory.create_batch(38)
    with django_assert_num_queries(2):
        assert len(_locs(client, "/sitemap-articles.xml?p=1")) == 40


def test_a_sitemap_page_is_cached_per_page_number_and_dropped_when_an_article_is_saved(
    client, monkeypatch, five_articles
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    assert client.get("/sitemap-articles.xml?p=2")["X-Page-Cache"] == "miss"
    assert client.get("/sitemap-articles.xml?p=2")["X-Page-Cache"] == "hit"
    assert client.get("/sitemap-articles.xml?p=3")["X-Page-Cache"] == "miss"

    five_articles[0].title = "更新した記事"
    five_articles[0].save()

    assert client.get("/sitemap-articles.xml?p=2")["X-Page-Cache"] == "miss"


def test_a_section_page_writes_each_url_with_its_day_changefreq_and_priority(client, settings):
    article = ArticleFactory(slug="a-b", published_at=timezone.now() - timedelta(days=3))

    response = client.get("/sitemap-articles.xml")

    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, not untrusted input
    assert root.tag == f"{SITEMAP}urlset"
    [url] = root.findall(f"{SITEMAP}url")
    assert [(child.tag.removeprefix(SITEMAP), child.text) for child in url] == [
        ("loc", f"{settings.SITE_URL}/articles/a-b/"),
        ("lastmod", timezone.localdate(article.updated_at).isoformat()),
        ("changefreq", "weekly"),
        ("priority", "0.8"),
    ]


def test_the_index_sums_up_each_section_in_one_statement_within_a_public_pages_five(
    client, five_articles
):
    """Its size and latest change together, the home and project list pages dated from the
    sections they list: 3 statements for news and 1 for projects, not 7 and 3."""
    client.get("/sitemap-home.xml")  # the next publication time is looked up once; not here
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    statements = [query["sql"] for query in queries.captured_queries]
    assert len([sql for sql in statements if '"news_' in sql]) == 3, statements
    assert len(statements) <= 5, statements
    assert {"/sitemap-articles.xml", "/sitemap-categories.xml", "/sitemap-authors.xml"} <= {
        urlsplit(location).path for location in _locs(client, "/sitemap.xml")
    }
