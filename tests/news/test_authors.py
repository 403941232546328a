"""Authors: the 「この記事を書いた人」 box, /authors/<slug>/ and Person in the JSON-LD."""

import json
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from news.models import Article
from news.selectors import PAGE_SIZE
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from tests.support.sitemaps import sitemap_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return AuthorFactory(
        name="山田 花子",
        name_kana="やまだ はなこ",
        slug="hanako-yamada",
        bio="Web3業界を10年取材してきた記者です。",
        links=[
            {"title": "X", "url": "https://x.com/hanako"},
            {"title": "危険なリンク", "url": "javascript:alert(1)"},
        ],
    )


def _json_ld_blocks(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return [json.loads(block) for block in blocks]


def test_each_article_shows_who_wrote_it(client, default_cta, author):
    article = ArticleFactory(authors=[author])
    html = client.get(article.get_absolute_url()).content.decode()
    assert "この記事を書いた人" in html
    assert "山田 花子" in html
    assert "やまだ はなこ" in html
    assert "Web3業界を10年取材してきた記者です。" in html
    assert 'href="/authors/hanako-yamada/"' in html
    assert 'href="https://x.com/hanako"' in html
    assert "javascript:" not in html


def test_an_article_without_authors_shows_no_author_box(client, default_cta):
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert "この記事を書いた人" not in html


def test_json_ld_names_each_author_as_a_person_with_a_url(client, settings, default_cta, author):
    second = AuthorFactory(name="佐藤 次郎", slug="jiro-sato")
    category = CategoryFactory(name="Web3", slug="web3")
    article = ArticleFactory(title="共著の記事", authors=[author, second], categories=[category])

    news_article, breadcrumbs = _json_ld_blocks(
        client.get(article.get_absolute_url()).content.decode()
    )

    assert news_article["@type"] == "NewsArticle"
    assert {
        (person["@type"], person["name"], person["url"]) for person in news_article["author"]
    } == {
        ("Person", "山田 花子", f"{settings.SITE_URL}/authors/hanako-yamada/"),
        ("Person", "佐藤 次郎", f"{settings.SITE_URL}/authors/jiro-sato/"),
    }
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == [
        "ホーム",
        "Web3",
        "共著の記事",
    ]
    assert [item["position"] for item in breadcrumbs["itemListElement"]] == [1, 2, 3]


def test_the_author_page_lists_only_their_public_articles(client, author):
    ArticleFactory(title="花子さんの公開記事", authors=[author])
    ArticleFactory(
        title="花子さんの下書き", authors=[author], status=Article.Status.DRAFT, published_at=None
    )
    ArticleFactory(
        title="花子さんの予約記事",
        authors=[author],
        published_at=timezone.now() + timedelta(days=1),
    )
    ArticleFactory(title="ほかの人の記事")

    response = client.get("/authors/hanako-yamada/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "山田 花子" in html
    assert "Web3業界を10年取材してきた記者です。" in html
    assert "花子さんの公開記事" in html
    for hidden in ("花子さんの下書き", "花子さんの予約記事", "ほかの人の記事"):
        assert hidden not in html
    assert '<link rel="canonical" href="http' in html


def test_the_author_page_is_paginated_and_page_cached(
    client, author, django_assert_max_num_queries
):
    for number in range(PAGE_SIZE + 1):
        ArticleFactory(title=f"連載{number:02d}", authors=[author])

    first = client.get("/authors/hanako-yamada/")
    second_page = client.get("/authors/hanako-yamada/", {"page": 2})

    oldest = f"連載{PAGE_SIZE:02d}"
    assert first["X-Page-Cache"] == "miss"
    assert oldest not in first.content.decode()
    assert oldest in second_page.content.decode()
    with django_assert_max_num_queries(0):
        assert client.get("/authors/hanako-yamada/")["X-Page-Cache"] == "hit"


def test_an_unknown_author_is_a_404(client):
    assert client.get("/authors/nobody/").status_code == HTTPStatus.NOT_FOUND


def test_editing_an_author_refreshes_cached_pages(client, default_cta, author):
    article = ArticleFactory(authors=[author])
    client.get(article.get_absolute_url())
    author.bio = "プロフィールを更新しました。"
    author.save()
    assert "プロフィールを更新しました。" in client.get(article.get_absolute_url()).content.decode()


def test_feed_and_sitemap_name_the_authors(client, author):
    ArticleFactory(authors=[author])
    assert "山田 花子" in client.get("/feed/").content.decode()
    assert any("/authors/hanako-yamada/" in url for url in sitemap_entries(client))


def test_editors_keep_author_profiles_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/news/author/add/",
        {
            "name": "鈴木 一郎",
            "name_kana": "すずき いちろう",
            "slug": "ichiro-suzuki",
            "bio": "AIエンジニア出身のライター。",
            "links": "note | https://note.com/ichiro\nおかしな行",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "2行目: 「タイトル | URL」の形で書いてください。" in response.content.decode()
