"""Renaming a published article's slug keeps its old URL working with a 301."""

from http import HTTPStatus

import pytest

from news.models import Article, ArticleSlugRedirect
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_old_slug_of_a_published_article_redirects_permanently(client):
    article = ArticleFactory(slug="openai-bid")
    article.slug = "musk-openai-bid-974"
    article.save()

    response = client.get("/articles/openai-bid/")

    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"] == "/articles/musk-openai-bid-974/"
    assert client.get(response["Location"]).status_code == HTTPStatus.OK


def test_every_earlier_slug_points_at_the_current_url(client):
    article = ArticleFactory(slug="first")
    for slug in ("second", "third"):
        article.slug = slug
        article.save()
    for old in ("first", "second"):
        assert client.get(f"/articles/{old}/")["Location"] == "/articles/third/"


def test_renaming_back_to_an_old_slug_removes_the_redirect_loop(client):
    article = ArticleFactory(slug="original")
    article.slug = "renamed"
    article.save()
    article.slug = "original"
    article.save()

    assert client.get("/articles/original/").status_code == HTTPStatus.OK
    assert client.get("/articles/renamed/")["Location"] == "/articles/original/"
    assert not ArticleSlugRedirect.objects.filter(old_slug="original").exists()


def test_renaming_a_draft_leaves_no_redirect():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, slug="draft-one")
    article.slug = "draft-two"
    article.save()
    assert not ArticleSlugRedirect.objects.exists()


def test_old_slug_of_an_unpublished_article_is_404_for_readers(client):
    article = ArticleFactory(slug="was-public")
    article.slug = "now-hidden"
    article.save()
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get("/articles/was-public/").status_code == HTTPStatus.NOT_FOUND


def test_unknown_slug_is_404(client):
    assert client.get("/articles/no-such-article/").status_code == HTTPStatus.NOT_FOUND
