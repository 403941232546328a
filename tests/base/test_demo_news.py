"""The demo content: original Japanese articles in every state, loaded idempotently."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from base.demo import news as demo
from news.models import Article, Author, CallToAction, Category, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _snapshot():
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "categories": list(Category.objects.order_by("pk").values()),
        "tags": list(Tag.objects.order_by("pk").values()),
        "ctas": list(CallToAction.objects.order_by("pk").values()),
        "authors": list(Author.objects.order_by("pk").values()),
        "users": get_user_model().objects.count(),
    }


def test_loading_twice_changes_nothing():
    demo.load()
    first = _snapshot()
    summary = demo.load()
    assert _snapshot() == first
    assert "0 new" in summary


def test_load_demo_content_command_loads_every_apps_demo_articles_first(capsys):
    call_command("load_demo_content")
    lines = capsys.readouterr().out.splitlines()
    assert [line.partition(":")[0] for line in lines] == [
        "news",
        "careers",
        "lead history",
        "newsletter",
        "projects",
    ]
    assert Article.objects.exists()


def test_demo_has_categories_cta_and_articles_in_every_state():
    demo.load()
    assert set(Category.objects.values_list("slug", flat=True)) >= {"ai", "web3"}
    cta = CallToAction.objects.get(is_default=True)
    assert cta.heading == "AI・Web3業界への転職を考えているあなたへ"
    assert len(cta.recommendation_list) >= 3

    assert Article.objects.public().count() >= 8
    assert Article.objects.scheduled().exists()
    assert Article.objects.drafts().exists()
    editor = get_user_model().objects.get(username="editor-demo")
    assert editor.is_staff
    assert not editor.has_usable_password()


def test_every_demo_article_is_a_complete_japanese_news_piece():
    demo.load()
    for article in Article.objects.all():
        headings = [entry["text"] for entry in article.toc if entry["level"] == 2]
        assert len(headings) >= 3, article.slug
        assert headings[-1] == "まとめ", article.slug
        assert article.safe_references, article.slug
        assert article.hero_image, article.slug
        assert article.hero_alt, article.slug
        assert article.hero_variants["widths"], article.slug
        assert article.categories.exists(), article.slug
        assert article.reading_minutes >= 2, article.slug


def test_demo_covers_the_openai_acquisition_offer(client):
    demo.load()
    article = Article.objects.get(slug="musk-consortium-openai-bid")
    assert "974億ドル" in article.body
    assert "アルトマン" in article.body
    assert article.is_public
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK


def test_demo_header_category_links_work(client):
    demo.load()
    for url in ("/categories/ai/", "/categories/web3/"):
        assert client.get(url).status_code == HTTPStatus.OK


def test_every_demo_article_has_an_author_with_a_page(client):
    demo.load()
    article = Article.objects.public().filter(categories__slug="web3").first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "この記事を書いた人" in html
    assert "中村 蓮" in html
    assert not Article.objects.filter(authors=None).exists()
    author_page = client.get("/authors/ren-nakamura/").content.decode()
    assert article.title in author_page
