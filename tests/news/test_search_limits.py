"""Search does bounded work: at most five terms, and a per-client limit (issue 14, item 14)."""

from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_SEARCH_LIMIT = 3
    settings.RATELIMIT_SEARCH_WINDOW_SECONDS = 60


def _search(client, query, ip="203.0.113.7"):
    return client.get("/search/", {"q": query}, REMOTE_ADDR=ip)


def test_only_the_first_five_terms_are_searched_and_the_page_says_so(client, default_cta):
    ArticleFactory(title="生成AI 採用 年収 リモート 東京", lead="リード", body="本文")
    query = "生成AI 採用 年収 リモート 東京 大阪 福岡 札幌"

    html = _search(client, query).content.decode()

    assert "1件の記事が見つかりました" in html
    assert "検索語は5つまでです" in html
    assert "「大阪 福岡 札幌」は使わずに検索しました" in html


def test_fifty_terms_cost_no_more_than_five(client, default_cta):
    def like_count(query):
        with CaptureQueriesContext(connection) as queries:
            _search(client, query, ip=f"198.51.100.{len(query) % 250}")
        return sum(sql["sql"].upper().count("LIKE") for sql in queries.captured_queries)

    five = like_count("あ い う え お")
    fifty = like_count(" ".join(f"語{number}" for number in range(50)))
    assert fifty == five


def test_repeated_terms_count_once(client, default_cta):
    ArticleFactory(title="生成AIの記事", lead="リード", body="本文")
    html = _search(client, "生成AI 生成AI 生成AI 生成AI 生成AI 記事").content.decode()
    assert "1件の記事が見つかりました" in html
    assert "検索語は5つまでです" not in html


def test_too_many_searches_from_one_client_get_the_japanese_429_page(client, default_cta):
    for _ in range(3):
        assert _search(client, "AI").status_code == HTTPStatus.OK

    response = _search(client, "Web3")

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"]
    html = response.content.decode()
    assert "短時間に検索が集中しています" in html
    assert "1分ほど待ってから、もう一度お試しください。" in html
    # Another client is not affected; the search form without a query costs nothing.
    assert _search(client, "AI", ip="198.51.100.9").status_code == HTTPStatus.OK
    assert client.get("/search/", REMOTE_ADDR="203.0.113.7").status_code == HTTPStatus.OK


def test_an_ipv6_client_is_limited_per_64(client, default_cta):
    for number in range(1, 4):
        assert _search(client, "AI", ip=f"2001:db8:1:2::{number}").status_code == HTTPStatus.OK
    limited = _search(client, "AI", ip="2001:db8:1:2:ffff::1")
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
