"""What a reader sees on the home, article, category, tag and search pages."""

import json
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from news.cache import cache_clear
from news.models import Article
from tests.factories import ArticleFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

BODY = """
冒頭の段落です。

## マスク氏とアルトマン氏の関係

二人の関係は2015年にさかのぼる。

### 決裂の経緯

2018年に取締役を退いた。

## まとめ

今後の動きに注目したい。
"""


@pytest.fixture
def article(default_cta, ai_category):
    openai = TagFactory(slug="openai", name="OpenAI")
    return ArticleFactory(
        slug="musk-openai-bid",
        title="マスク氏がOpenAI買収を提案",
        lead="974億ドルの提案とアルトマン氏の返答を解説する。",
        body=BODY,
        categories=[ai_category],
        tags=[openai],
        references=[
            {"title": "OpenAIの組織構造", "url": "https://openai.com/our-structure/"},
            {"title": "危険なリンク", "url": "javascript:alert(1)"},
        ],
        seo_description="検索結果に出る説明文です。",
    )


def test_article_page_has_the_full_anatomy(client, article, default_cta):
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()

    # Breadcrumb, categories, tags, dates, byline, reading time.
    assert 'aria-label="パンくずリスト"' in html
    assert 'href="/categories/ai/"' in html
    assert 'href="/tags/openai/"' in html
    assert "公開日" in html
    assert "Plus Web3編集部" in html
    assert "この記事は約1分で読めます" in html
    # 目次 before the body, linking to the heading anchors.
    assert html.index('data-testid="toc"') < html.index('id="article-body"')
    assert 'href="#マスク氏とアルトマン氏の関係"' in html
    assert 'id="マスク氏とアルトマン氏の関係"' in html
    assert 'href="#決裂の経緯"' in html
    # 参考, then the CTA, then share buttons and the follow box.
    assert html.index("OpenAIの組織構造") < html.index(default_cta.heading)
    assert "javascript:" not in html
    for share in ("twitter.com/intent/tweet", "facebook.com/sharer", "line.me", "b.hatena.ne.jp"):
        assert share in html
    assert 'data-copy-url="' in html
    assert "URLをコピーしました!" in html
    assert "フォローしてね!" in html
    assert 'href="/newsletter/"' in html
    assert '/static/news/js/article.js"' in html


def test_article_head_has_canonical_open_graph_twitter_and_news_article_json_ld(
    client, settings, article
):
    html = client.get(article.get_absolute_url()).content.decode()
    canonical = f"{settings.SITE_URL}/articles/musk-openai-bid/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="マスク氏がOpenAI買収を提案">' in html
    assert '<meta name="description" content="検索結果に出る説明文です。">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert re.search(r'<meta property="og:image" content="https?://[^"]+">', html)

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    data = json.loads(block.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "マスク氏がOpenAI買収を提案"
    assert data["mainEntityOfPage"] == canonical
    assert data["datePublished"]
    assert data["author"][0]["name"] == "Plus Web3編集部"


def test_json_ld_cannot_be_broken_out_of(client, default_cta):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert json.loads(block.group(1))["headline"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_updated_date_shows_only_after_a_later_edit(client, default_cta):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=10))
    assert "更新日" in client.get(article.get_absolute_url()).content.decode()
    Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)
    cache_clear()  # update() bypasses the invalidation signal on purpose here
    assert "更新日" not in client.get(article.get_absolute_url()).content.decode()


def test_previous_and_next_articles_are_linked(client, default_cta):
    now = timezone.now()
    older = ArticleFactory(title="古い記事", published_at=now - timedelta(days=3))
    middle = ArticleFactory(title="真ん中の記事", published_at=now - timedelta(days=2))
    newer = ArticleFactory(title="新しい記事", published_at=now - timedelta(days=1))
    ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="下書き")

    html = client.get(middle.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" href="{newer.get_absolute_url()}"' in html
    assert "下書き" not in html


def test_home_shows_featured_latest_and_a_section_per_category(client, default_cta):
    ai = CategoryFactory(slug="ai", name="AI", order=1)
    web3 = CategoryFactory(slug="web3", name="Web3", order=2)
    ArticleFactory(title="注目のAI記事", categories=[ai], is_featured=True)
    ArticleFactory(title="Web3の新着", categories=[web3])

    html = client.get("/").content.decode()
    assert html.index("注目のAI記事") < html.index("新着記事")
    assert "AIの記事" in html
    assert "Web3の記事" in html
    assert 'href="/categories/web3/"' in html
    assert '<link rel="canonical"' in html


def test_home_paginates(client, default_cta):
    for number in range(15):
        ArticleFactory(title=f"連番記事{number:02d}")
    page_two = client.get("/?page=2")
    assert page_two.status_code == HTTPStatus.OK
    html = page_two.content.decode()
    assert "2ページ目" in html
    assert html.count('class="news-card"') == 3


def test_a_long_list_links_both_ends_and_the_pages_near_this_one_not_every_page(
    client, default_cta, monkeypatch
):
    monkeypatch.setattr("news.selectors.PAGE_SIZE", 1)
    for number in range(12):
        ArticleFactory(title=f"連番記事{number:02d}")

    pager = client.get("/?page=6").content.decode().split('class="news-pagination"')[1]

    linked = [int(n) for n in re.findall(r'href="\?page=(\d+)">\d+<', pager)]
    assert linked == [1, 4, 5, 7, 8, 12]
    assert pager.count("…") == 2
    assert 'aria-current="page"><span class="page-link">6<' in pager


def test_a_list_page_canonical_carries_only_the_page_never_a_visitors_query(
    client, default_cta, settings
):
    """A cached page must not hand every reader a canonical and og:url an attacker chose."""
    for number in range(15):
        ArticleFactory(title=f"連番記事{number:02d}")
    html = client.get("/?page=2&utm_x=%22evil&q=x").content.decode()
    canonical = f"{settings.SITE_URL}/?page=2"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert "evil" not in html


def test_category_page_lists_its_public_articles(client, default_cta, ai_category, web3_category):
    ArticleFactory(title="AIの記事A", categories=[ai_category])
    ArticleFactory(title="Web3の記事B", categories=[web3_category])
    response = client.get("/categories/ai/")
    html = response.content.decode()
    assert "AIの記事A" in html
    assert "Web3の記事B" not in html
    assert "1件の記事" in html
    assert client.get("/categories/nothing/").status_code == HTTPStatus.NOT_FOUND


def test_tag_page_lists_tagged_articles(client, default_cta):
    tag = TagFactory(slug="stablecoin", name="ステーブルコイン")
    ArticleFactory(title="タグ付きの記事", tags=[tag])
    ArticleFactory(title="タグなしの記事")
    html = client.get("/tags/stablecoin/").content.decode()
    assert "#ステーブルコイン" in html
    assert "タグ付きの記事" in html
    assert "タグなしの記事" not in html


def test_search_finds_japanese_substrings_in_title_lead_and_body(client, default_cta):
    ArticleFactory(title="生成AIの最新動向", lead="リード", body="本文")
    ArticleFactory(title="別の記事", lead="ステーブルコインの制度を解説", body="本文")
    ArticleFactory(title="三つ目", lead="リード", body="## 見出し\n\nレイヤー2の手数料が下がった。")

    for query, expected in (
        ("生成AI", "生成AIの最新動向"),
        ("ステーブル", "別の記事"),
        ("手数料", "三つ目"),
    ):
        html = client.get("/search/", {"q": query}).content.decode()
        assert expected in html, query
        assert "1件の記事が見つかりました" in html, query


def test_search_page_is_not_indexable_and_handles_no_results(client):
    response = client.get("/search/", {"q": "存在しないキーワード"})
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html
    assert "該当する記事は見つかりませんでした" in html
    assert client.get("/search/").status_code == HTTPStatus.OK
