"""A page's rendered parts are shared by readers until the next save, and never a preview's.

A reader with a cookie is never served from the page cache, so these tests read the page
through the fragments alone.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    """A reader whose cookie keeps the page cache out of the way."""
    client = Client()
    client.cookies["seen-banner"] = "1"
    return client


@pytest.fixture
def article(default_cta, ai_category):
    return ArticleFactory(
        slug="shared-parts",
        title="共有される記事",
        body="## 背景\n\n最初の本文です。\n",
        categories=[ai_category],
    )


def _page(client, article_or_url) -> str:
    url = getattr(article_or_url, "get_absolute_url", lambda: article_or_url)()
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "X-Page-Cache" not in response
    return response.content.decode()


def test_a_second_reader_gets_the_article_without_a_query(
    reader, article, django_assert_num_queries
):
    first = _page(reader, article)
    with django_assert_num_queries(0):
        second = _page(Client(headers={"cookie": "other=1"}), article)
    assert second == first
    assert "最初の本文です。" in second


def test_after_a_save_the_page_shows_the_new_title_body_and_toc(reader, article):
    _page(reader, article)

    article.title = "保存後のタイトル"
    article.body = "## 新しい見出し\n\n保存後の本文です。\n"
    article.save()

    page = _page(reader, article)
    assert "保存後のタイトル" in page
    assert "保存後の本文です。" in page
    assert 'href="#新しい見出し"' in page
    assert "共有される記事" not in page
    assert "最初の本文です。" not in page


def test_after_another_article_is_saved_the_related_cards_show_it(reader, article, ai_category):
    tag = TagFactory()
    article.tags.add(tag)
    neighbour = ArticleFactory(title="関連する記事", categories=[ai_category], tags=[tag])
    assert "関連する記事" in _page(reader, article)

    neighbour.title = "改題した関連記事"
    neighbour.save()

    page = _page(reader, article)
    assert "改題した関連記事" in page
    assert "関連する記事" not in page


def test_after_the_default_cta_is_edited_the_page_shows_the_new_cta(reader, article, default_cta):
    assert default_cta.heading in _page(reader, article)

    default_cta.heading = "新しい相談の見出し"
    default_cta.save()

    assert "新しい相談の見出し" in _page(reader, article)


def test_a_preview_is_never_shared_with_readers(staff_client, default_cta):
    """The preview of a scheduled article, read again when its time has come without a save."""
    scheduled = ArticleFactory(
        title="予約した記事", published_at=timezone.now() + timedelta(hours=1)
    )
    preview = staff_client.get(scheduled.get_absolute_url()).content.decode()
    assert 'data-testid="preview-banner"' in preview
    assert "noindex" in preview

    # An update, not a save: nothing bumps the generation, as when the clock passes the time.
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())

    page = Client().get(scheduled.get_absolute_url()).content.decode()
    assert "予約した記事" in page
    assert 'data-testid="preview-banner"' not in page
    assert "noindex" not in page


def test_an_editor_reading_a_public_article_sees_what_readers_see(staff_client, reader, article):
    assert _page(staff_client, article) == _page(reader, article)


@pytest.mark.parametrize("url", ["/", "/categories/ai/"])
def test_a_second_reader_gets_a_list_page_without_a_query(
    reader, article, url, django_assert_num_queries
):
    first = _page(reader, url)
    with django_assert_num_queries(0):
        assert _page(Client(headers={"cookie": "other=1"}), url) == first


@pytest.mark.parametrize("url", ["/", "/categories/ai/"])
def test_after_a_save_the_list_pages_show_the_new_title(reader, article, url):
    assert "共有される記事" in _page(reader, url)

    article.title = "保存後のタイトル"
    article.save()

    page = _page(reader, url)
    assert "保存後のタイトル" in page
    assert "共有される記事" not in page


def test_a_deleted_category_page_is_gone_for_every_reader(reader, article, ai_category):
    _page(reader, "/categories/ai/")

    ai_category.delete()

    assert reader.get("/categories/ai/").status_code == HTTPStatus.NOT_FOUND
