"""Drafts and scheduled articles are invisible to readers; staff preview them at the same URL."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from news.models import Article
from tests.factories import ArticleFactory, StaffFactory, UserFactory
from tests.support.processes import wait_for
from tests.support.sitemaps import sitemap_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="下書きの記事")


@pytest.fixture
def scheduled():
    return ArticleFactory(published_at=timezone.now() + timedelta(days=3), title="予約投稿の記事")


def test_published_article_is_public(client):
    article = ArticleFactory(title="公開済みの記事")
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "公開済みの記事" in response.content.decode()
    assert "プレビュー" not in response.content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_unpublished_article_answers_404_to_readers(client, request, state):
    article = request.getfixturevalue(state)
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert article.title not in response.content.decode()


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_unpublished_article_is_missing_from_every_public_list(client, request, state):
    article = request.getfixturevalue(state)
    ArticleFactory(title="ほかの公開記事")
    for url in ("/", "/search/?q=記事", "/feed/", *sitemap_paths(client)):
        html = client.get(url).content.decode()
        assert article.title not in html, url
        assert article.slug not in html, url


def test_staff_who_may_not_read_articles_cannot_preview_a_draft(client, draft):
    """Advisors are staff too, but drafts are for the people who write them."""
    client.force_login(StaffFactory())
    response = client.get(draft.get_absolute_url())
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert draft.title not in response.content.decode()


def test_a_preview_is_private_and_never_stored_by_a_browser_or_proxy(staff_client, draft):
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_staff_previews_a_draft_with_a_banner(staff_client, draft):
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "下書きの記事" in html
    assert 'data-testid="preview-banner"' in html
    assert "プレビュー" in html
    assert "この記事は下書きです" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_staff_previews_a_scheduled_article_with_its_publication_time(staff_client, scheduled):
    html = staff_client.get(scheduled.get_absolute_url()).content.decode()
    assert "プレビュー" in html
    assert "予約投稿" in html
    assert timezone.localtime(scheduled.published_at).strftime("%Y年%-m月%-d日") in html


def test_a_scheduled_article_goes_live_at_its_time_without_a_cron(client):
    """Readers see it once its time passes, even on a page cached just before."""
    ArticleFactory(title="すでに公開された記事")
    article = ArticleFactory(
        title="まもなく公開される記事", published_at=timezone.now() + timedelta(seconds=1)
    )
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    assert "まもなく公開される記事" not in client.get("/").content.decode()

    # PostgreSQL's clock decides publication, so the test waits for the page, not a time.
    wait_for(
        lambda: "まもなく公開される記事" in client.get("/").content.decode(),
        timeout=10,
        message="the cached home page never showed the article",
    )
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.OK


def test_non_staff_user_cannot_preview(client, draft):
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
