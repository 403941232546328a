"""The Atom feed and the sitemap: valid, and only public articles."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, CategoryFactory
from tests.support.sitemaps import sitemap_entries

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def articles():
    category = CategoryFactory(slug="ai", name="AI")
    return {
        "public": ArticleFactory(slug="public-one", title="公開記事その1", categories=[category]),
        "public2": ArticleFactory(slug="public-two", title="公開記事その2"),
        "draft": ArticleFactory(slug="a-draft", status=Article.Status.DRAFT, published_at=None),
        "scheduled": ArticleFactory(
            slug="a-scheduled", published_at=timezone.now() + timedelta(days=1)
        ),
    }


def test_feed_is_valid_atom_listing_only_public_articles(client, settings, articles):
    response = client.get("/feed/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/atom+xml")

    root = ET.fromstring(response.content)  # noqa: S314 - our own response, not untrusted input
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert links == {
        f"{settings.SITE_URL}/articles/public-one/",
        f"{settings.SITE_URL}/articles/public-two/",
    }
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    assert titles == {"公開記事その1", "公開記事その2"}
    for entry in entries:
        assert entry.find(f"{ATOM}updated").text
        assert entry.find(f"{ATOM}summary").text


def test_sitemap_is_valid_xml_with_lastmod_and_only_public_articles(client, settings, articles):
    urls = sitemap_entries(client)
    article_urls = {loc for loc in urls if "/articles/" in loc}
    assert article_urls == {
        f"{settings.SITE_URL}/articles/public-one/",
        f"{settings.SITE_URL}/articles/public-two/",
    }
    assert f"{settings.SITE_URL}/categories/ai/" in urls
    assert f"{settings.SITE_URL}/" in urls
    for loc in article_urls:
        assert urls[loc]
