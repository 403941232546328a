"""Article search: what a reader types finds the article, however it was typed, and fast."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def found(client, query: str) -> str:
    return client.get("/search/", {"q": query}).content.decode()


def test_a_japanese_substring_is_found_in_the_title_lead_and_body(client, default_cta):
    ArticleFactory(title="ステーブルコインの制度を解説", lead="リード", body="本文")
    ArticleFactory(title="二つ目", lead="金融庁が暗号資産交換業者に", body="本文")
    ArticleFactory(title="三つ目", lead="リード", body="## 見出し\n\nゼロ知識証明の実装が進む。")

    for query, expected in (
        ("ブルコイン", "ステーブルコインの制度を解説"),
        ("暗号資産交換", "二つ目"),
        ("知識証明", "三つ目"),
    ):
        html = found(client, query)
        assert expected in html, query
        assert "1件の記事が見つかりました" in html, query


def test_full_width_and_half_width_letters_find_each_other(client, default_cta):
    ArticleFactory(title="AI規制の行方")
    ArticleFactory(title="ＷＥＢ３の求人が増加", lead="リード", body="本文")

    assert "AI規制の行方" in found(client, "ＡＩ規制")
    assert "AI規制の行方" in found(client, "ai規制")
    assert "ＷＥＢ３の求人が増加" in found(client, "web3の求人")


def test_half_width_katakana_finds_full_width_katakana(client, default_cta):
    ArticleFactory(title="レイヤー2の手数料が下がった")

    assert "レイヤー2の手数料が下がった" in found(client, "ﾚｲﾔｰ2")


def test_an_edited_title_is_searchable_at_once(client, default_cta):
    article = ArticleFactory(title="古い見出し")
    article.title = "新しいトークン規格"
    article.save(update_fields=["title"])

    assert "新しいトークン規格" in found(client, "トークン規格")
    assert "1件の記事が見つかりました" not in found(client, "古い見出し")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_search_uses_the_trigram_index():
    """On a table the planner has statistics for, the plan reads news_article_search_trgm.

    Sequential scans are priced out: at a few hundred rows a scan is what PostgreSQL rightly
    prefers, and the question is whether the index can serve the match at all.
    """
    ArticleFactory.create_batch(300, body="暗号資産の規制をめぐる議論が続いています。" * 20)
    ArticleFactory(title="ステーブルコインの制度")
    queryset = Article.objects.public().matching(["ステーブルコイン"])
    with connection.cursor() as cursor:
        # What autovacuum does in production: move the new rows out of GIN's pending list.
        cursor.execute("SELECT gin_clean_pending_list('news_article_search_trgm')")
        cursor.execute("ANALYZE news_article")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()

    assert "news_article_search_trgm" in plan


@pytest.fixture
def bound(monkeypatch):
    """Three matches counted at most, so a handful of articles crosses the bound."""
    monkeypatch.setattr("news.search.SEARCH_MAX_RESULTS", 3)
    return 3


def _titles_in_order(html: str, titles: list[str]) -> list[str]:
    return sorted((title for title in titles if title in html), key=html.index)


def test_a_common_term_says_more_than_the_bound_and_lists_the_newest_first(
    client, default_cta, bound
):
    now = timezone.now()
    titles = [f"トークン規制の記事{number}" for number in range(5)]
    for age, title in enumerate(titles):
        ArticleFactory(title=title, published_at=now - timedelta(hours=age))
    ArticleFactory(title="下書きのトークン記事", status=Article.Status.DRAFT)

    html = found(client, "トークン")

    assert "3件以上の記事が見つかりました" in html
    assert "新しい順に3件まで表示します" in html
    assert _titles_in_order(html, titles) == titles[:3]
    assert "下書きのトークン記事" not in html


def test_pages_stop_at_the_bound_and_a_page_past_them_shows_the_last(
    client, default_cta, monkeypatch
):
    monkeypatch.setattr("news.search.SEARCH_MAX_RESULTS", 13)
    now = timezone.now()
    titles = [f"ステーブルコイン第{number}回" for number in range(15)]
    for age, title in enumerate(titles):
        ArticleFactory(title=title, published_at=now - timedelta(hours=age))

    for page in ("2", "40"):
        html = client.get("/search/", {"q": "ステーブルコイン", "page": page}).content.decode()
        assert "13件以上の記事が見つかりました" in html, page
        assert _titles_in_order(html, titles) == [titles[12]], page


def test_fewer_matches_than_the_bound_are_counted_exactly(client, default_cta, bound):
    ArticleFactory(title="ゼロ知識証明の解説")
    ArticleFactory(title="ゼロ知識証明の実装")
    ArticleFactory(title="別の話題")

    html = found(client, "ゼロ知識")

    assert "2件の記事が見つかりました" in html
    assert "件以上" not in html
