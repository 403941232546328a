"""Public pages are cached for readers, invalidated by edits, and never personal."""

import re
import time
from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone

from news.cache import _HOT_PAGES as HOT_PAGES
from news.cache import NEWS_PAGES, _marking
from news.models import Article
from tests.factories import ArticleFactory, CallToActionFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/", "/categories/ai/", "/feed/", "/sitemap.xml", "/robots.txt"]


@pytest.fixture
def article(default_cta, ai_category):
    return ArticleFactory(
        slug="cached-article", title="キャッシュされる記事", categories=[ai_category]
    )


def _article_urls(article):
    tag = TagFactory()
    article.tags.add(tag)
    return [*PUBLIC_URLS, article.get_absolute_url(), tag.get_absolute_url()]


def test_second_request_is_served_from_the_cache(client, article):
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert first.content == second.content


def test_editing_an_article_invalidates_its_cached_page_and_the_lists(client, article):
    client.get(article.get_absolute_url())
    client.get("/")

    article.title = "編集後のタイトル"
    article.save()

    page = client.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "編集後のタイトル" in page.content.decode()
    assert "編集後のタイトル" in client.get("/").content.decode()


def test_unpublishing_removes_the_article_from_cached_pages(client, article):
    assert "キャッシュされる記事" in client.get("/").content.decode()
    client.get(article.get_absolute_url())

    article.status = Article.Status.DRAFT
    article.save()

    assert "キャッシュされる記事" not in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_category_and_cta_edits_invalidate_cached_pages(client, article, default_cta):
    client.get(article.get_absolute_url())

    default_cta.heading = "新しいCTAの見出し"
    default_cta.save()
    assert "新しいCTAの見出し" in client.get(article.get_absolute_url()).content.decode()

    category = article.categories.get()
    category.name = "人工知能"
    category.save()
    assert "人工知能" in client.get(article.get_absolute_url()).content.decode()


def test_adding_a_category_cta_invalidates_cached_pages(client, article):
    client.get(article.get_absolute_url())
    category = article.categories.get()
    category.cta = CallToActionFactory(heading="AI企業の求人特集")
    category.save()
    assert "AI企業の求人特集" in client.get(article.get_absolute_url()).content.decode()


def test_tagging_invalidates_cached_pages(client, article):
    client.get(article.get_absolute_url())
    article.tags.add(TagFactory(name="新しいタグ"))
    assert "#新しいタグ" in client.get(article.get_absolute_url()).content.decode()


def test_deleting_an_article_removes_it_from_every_cached_page(client, article):
    doomed = ArticleFactory(title="削除される記事", categories=[article.categories.get()])
    pages = ["/", "/categories/ai/", article.get_absolute_url(), doomed.get_absolute_url()]
    for url in pages:
        assert "削除される記事" in client.get(url).content.decode(), url

    doomed.delete()

    for url in pages[:3]:
        assert "削除される記事" not in client.get(url).content.decode(), url
    assert client.get(pages[3]).status_code == HTTPStatus.NOT_FOUND


def test_deleting_a_tag_removes_it_from_cached_pages(client, article):
    tag = TagFactory(name="消えるタグ")
    article.tags.add(tag)
    tag_url = tag.get_absolute_url()
    assert "#消えるタグ" in client.get(article.get_absolute_url()).content.decode()
    assert client.get(tag_url).status_code == HTTPStatus.OK

    tag.delete()

    assert "#消えるタグ" not in client.get(article.get_absolute_url()).content.decode()
    assert client.get(tag_url).status_code == HTTPStatus.NOT_FOUND


def test_deleting_a_cta_puts_the_default_back_on_cached_pages(client, article, default_cta):
    category = article.categories.get()
    category.cta = CallToActionFactory(heading="消えるCTAの見出し")
    category.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "消えるCTAの見出し" in html
    assert default_cta.heading not in html

    category.cta.delete()

    html = client.get(article.get_absolute_url()).content.decode()
    assert "消えるCTAの見出し" not in html
    assert default_cta.heading in html


def test_pinning_and_unpinning_a_related_article_changes_the_cached_page(client, article):
    # Four newer articles of the same category fill the related list without any pin.
    ArticleFactory.create_batch(4, categories=[article.categories.get()])
    old = ArticleFactory(
        title="固定する関連記事", published_at=timezone.now() - timedelta(days=300)
    )
    assert "固定する関連記事" not in client.get(article.get_absolute_url()).content.decode()

    article.pinned_related.add(old)
    assert "固定する関連記事" in client.get(article.get_absolute_url()).content.decode()

    article.pinned_related.remove(old)
    assert "固定する関連記事" not in client.get(article.get_absolute_url()).content.decode()


def test_staff_never_read_nor_fill_the_public_cache(client, staff_client, article):
    staff_response = staff_client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in staff_response
    # The staff request stored nothing: the reader's first request is a miss.
    reader = Client()
    assert reader.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in staff_client.get(article.get_absolute_url())


def test_a_preview_is_never_cached_for_readers(staff_client, default_cta):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="秘密の下書き")
    assert "秘密の下書き" in staff_client.get(draft.get_absolute_url()).content.decode()
    reader = Client()
    response = reader.get(draft.get_absolute_url())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "秘密の下書き" not in response.content.decode()


def test_tracking_parameters_do_not_split_the_cache(client, article):
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url() + "?utm_source=x&fbclid=abc")
    assert response["X-Page-Cache"] == "hit"


def test_junk_page_numbers_are_not_stored(client, article):
    client.get("/?page=abc")
    assert "X-Page-Cache" not in client.get("/?page=abc")
    client.get("/?page=1")
    assert client.get("/?page=1")["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("cached", [False, True], ids=["fresh", "cached"])
def test_public_pages_set_no_cookie(client, article, cached):
    urls = [*_article_urls(article), "/search/?q=記事", "/tags/unknown/"]
    for url in urls:
        if cached:
            client.get(url)
        response = client.get(url)
        assert "Set-Cookie" not in response, url
        assert not response.cookies, url
        assert "sessionid" not in client.cookies


def test_public_pages_carry_no_inline_script_no_inline_style_and_no_csrf_form(client, article):
    ArticleFactory(categories=[article.categories.get()])
    for url in [*_article_urls(article), "/search/?q=記事"]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
            assert "src=" in tag or 'type="application/ld+json"' in tag, (url, tag)
        assert "<style" not in html.lower(), url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "csrfmiddlewaretoken" not in html, url
        assert not re.search(r'<form[^>]*method="post"', html, flags=re.IGNORECASE), url


def test_category_page_invalidation_after_new_article(client, ai_category, default_cta):
    client.get("/categories/ai/")
    ArticleFactory(categories=[ai_category], title="新着の記事")
    assert "新着の記事" in client.get("/categories/ai/").content.decode()


def test_category_order_change_reorders_the_cached_home(client, default_cta):
    first = CategoryFactory(slug="first", name="第一カテゴリ", order=1)
    second = CategoryFactory(slug="second", name="第二カテゴリ", order=2)
    ArticleFactory(categories=[first])
    ArticleFactory(categories=[second])
    html = client.get("/").content.decode()
    assert html.index("第一カテゴリの記事") < html.index("第二カテゴリの記事")
    first.order = 3
    first.save()
    html = client.get("/").content.decode()
    assert html.index("第二カテゴリの記事") < html.index("第一カテゴリの記事")


SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
)


@pytest.mark.parametrize("url", ["article", "/", "/categories/ai/", "/feed/"])
def test_a_cached_page_carries_exactly_the_security_headers_of_a_fresh_one(client, article, url):
    url = article.get_absolute_url() if url == "article" else url
    miss = client.get(url, secure=True)
    hit = client.get(url, secure=True)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for name in SECURITY_HEADERS:
        assert miss.has_header(name), name
        assert hit[name] == miss[name], name
    assert hit["Content-Type"] == miss["Content-Type"]
    assert hit.content == miss.content


def _page_key(url):
    return NEWS_PAGES.page_key(RequestFactory().get(url))


def _hit_reading_redis(client, url, **extra):
    """A request and how many cache GETs it made."""
    with mock.patch.object(cache, "get", wraps=cache.get) as get:
        response = client.get(url, **extra)
    return response, get.call_count


def test_a_page_read_again_within_a_second_is_served_without_redis(client, article):
    """The process keeps a page it just read from Redis: a reader a moment later costs no
    round trip, even if another process flushed the cache meanwhile."""
    url = article.get_absolute_url()
    assert [client.get(url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    cache.delete(_page_key(url))
    response, gets = _hit_reading_redis(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert gets == 0
    assert "キャッシュされる記事" in response.content.decode()


def test_past_the_generation_memory_a_hit_reads_redis_again(client, article):
    """A kept page lives no longer than the remembered generation: then one GET each."""
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)
    with (
        mock.patch("news.cache.GENERATION_MEMORY_SECONDS", 0),
        mock.patch.object(HOT_PAGES, "seconds", 0),
    ):
        response, gets = _hit_reading_redis(client, url)
        assert response["X-Page-Cache"] == "hit"
        assert gets == 2  # the generation and the page
        cache.delete(_page_key(url))
        assert client.get(url)["X-Page-Cache"] == "miss"


def test_a_kept_page_is_not_served_past_its_expiry_in_redis(client, article):
    """Seconds before a scheduled publication a page is stored that briefly; so is it kept."""
    ArticleFactory(title="予約記事", published_at=timezone.now() + timedelta(seconds=30))
    NEWS_PAGES.remember_next_change()
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)
    assert NEWS_PAGES.page_timeout() <= 30
    later = time.time() + 31
    cache.delete(_page_key(url))  # as Redis expires it by then
    with mock.patch("news.cache.time.time", return_value=later):
        assert client.get(url)["X-Page-Cache"] == "miss"


def test_a_hit_from_the_process_carries_exactly_the_headers_of_a_hit_from_redis(client, article):
    url = article.get_absolute_url()
    client.get(url, secure=True)
    client.get(url, secure=True)
    from_memory, gets = _hit_reading_redis(client, url, secure=True)
    assert gets == 0
    with (
        mock.patch("news.cache.GENERATION_MEMORY_SECONDS", 0),
        mock.patch.object(HOT_PAGES, "seconds", 0),
    ):
        from_redis, gets = _hit_reading_redis(client, url, secure=True)
    assert gets == 2  # the generation and the page, from Redis
    for name in SECURITY_HEADERS:
        assert from_memory.has_header(name), name
    assert dict(from_memory.items()) == dict(from_redis.items())
    assert from_memory["X-Page-Cache"] == "hit"
    assert from_memory.content == from_redis.content


def test_a_reader_with_a_session_or_another_cookie_is_never_served_a_kept_page(
    staff_client, article
):
    reader = Client()
    reader.get(article.get_absolute_url())
    reader.get(article.get_absolute_url())
    assert _hit_reading_redis(reader, article.get_absolute_url())[1] == 0
    with_cookie = Client()
    with_cookie.cookies["seen-banner"] = "1"
    for someone in (staff_client, with_cookie):
        response = someone.get(article.get_absolute_url())
        assert response.status_code == HTTPStatus.OK
        assert "X-Page-Cache" not in response


def test_the_kept_pages_stay_few_oldest_out(client, default_cta):
    """Made-up or rarely read URLs cannot grow a worker: a few pages, the oldest dropped."""
    articles = ArticleFactory.create_batch(4)
    with mock.patch.object(HOT_PAGES, "size", 3):
        for each in articles:
            client.get(each.get_absolute_url())
            client.get(each.get_absolute_url())
        assert len(HOT_PAGES) == 3
        assert _hit_reading_redis(client, articles[0].get_absolute_url())[1] == 1
        assert _hit_reading_redis(client, articles[-1].get_absolute_url())[1] == 0


def test_an_address_that_resolves_to_nothing_is_not_remembered(client):
    before = _marking.cache_info().currsize
    for number in range(20):
        assert client.get(f"/made-up-{number}/").status_code == HTTPStatus.NOT_FOUND
    assert _marking.cache_info().currsize == before


def test_an_edit_in_this_process_is_seen_at_once_despite_the_remembered_generation(client, article):
    client.get(article.get_absolute_url())
    article.title = "すぐに反映されるタイトル"
    article.save()
    assert "すぐに反映されるタイトル" in client.get(article.get_absolute_url()).content.decode()


def test_a_reader_with_another_cookie_is_never_served_from_nor_stored_into_the_cache(article):
    with_cookie = Client()
    with_cookie.cookies["seen-banner"] = "1"
    assert "X-Page-Cache" not in with_cookie.get(article.get_absolute_url())
    assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in with_cookie.get(article.get_absolute_url())


def test_a_reader_who_opened_the_consultation_form_still_gets_cached_pages(staff_client, article):
    """The form's CSRF and first-touch cookies change no public page; a session still does."""
    reader = Client()
    assert reader.get("/consultation/").status_code == HTTPStatus.OK
    assert set(reader.cookies) == {settings.CSRF_COOKIE_NAME, "first_touch_consultation"}

    assert reader.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    assert reader.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    assert reader.get("/categories/ai/")["X-Page-Cache"] == "miss"
    assert Client().get("/categories/ai/")["X-Page-Cache"] == "hit"

    for name, morsel in reader.cookies.items():
        staff_client.cookies[name] = morsel.value
    assert "X-Page-Cache" not in staff_client.get(article.get_absolute_url())


def test_a_page_number_splits_the_cache_only_for_pages_that_paginate(client, article):
    """An article has no pages: `?page=N` is the same article, one cache entry."""
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url() + "?page=7")["X-Page-Cache"] == "hit"
    client.get("/")
    assert client.get("/?page=1")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize("url", ["/?page=999", "/?page=0", "/categories/ai/?page=50"])
def test_an_out_of_range_page_is_rendered_but_never_stored(client, article, url):
    first = client.get(url)
    assert first.status_code == HTTPStatus.OK
    assert "キャッシュされる記事" in first.content.decode()
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in client.get(url)
