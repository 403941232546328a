"""The editors' admin: the article list, publishing actions, previews and CTA usage."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from news.models import Article, CTAClick
from tests.factories import ArticleFactory, CallToActionFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_states():
    return {
        "draft": ArticleFactory(title="下書きA", status=Article.Status.DRAFT, published_at=None),
        "scheduled": ArticleFactory(title="予約B", published_at=timezone.now() + timedelta(days=2)),
        "published": ArticleFactory(title="公開C"),
    }


def test_article_list_shows_the_computed_status(admin_client, three_states):
    response = admin_client.get("/admin/news/article/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "news-state--draft" in html
    assert "news-state--scheduled" in html
    assert "news-state--published" in html
    assert "予約投稿" in html


@pytest.mark.parametrize("state", ["draft", "scheduled", "published"])
def test_article_list_filters_by_status(admin_client, three_states, state):
    html = admin_client.get("/admin/news/article/", {"state": state}).content.decode()
    for name, article in three_states.items():
        assert (article.title in html) == (name == state)


def test_article_list_search_finds_japanese_text(admin_client, three_states):
    html = admin_client.get("/admin/news/article/", {"q": "予約"}).content.decode()
    assert "予約B" in html
    assert "公開C" not in html


def test_publish_now_makes_drafts_and_scheduled_articles_public(admin_client, three_states):
    ids = [three_states["draft"].pk, three_states["scheduled"].pk]
    response = admin_client.post(
        "/admin/news/article/",
        {"action": "publish_now", "_selected_action": ids},
        follow=True,
    )
    assert "2件の記事を公開しました" in response.content.decode()
    assert Article.objects.public().filter(pk__in=ids).count() == 2


def test_unpublish_turns_articles_back_into_drafts(admin_client, client, three_states):
    published = three_states["published"]
    assert client.get(published.get_absolute_url()).status_code == HTTPStatus.OK
    admin_client.post(
        "/admin/news/article/", {"action": "unpublish", "_selected_action": [published.pk]}
    )
    published.refresh_from_db()
    assert published.status == Article.Status.DRAFT
    assert client.get(published.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_view_on_site_opens_the_preview_of_a_draft(admin_client, three_states):
    draft = three_states["draft"]
    change = admin_client.get(f"/admin/news/article/{draft.pk}/change/").content.decode()
    assert "サイトで表示" in change
    view_on_site = change.split('class="viewsitelink"')[0].rsplit('href="', 1)[1].split('"')[0]
    response = admin_client.get(view_on_site, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "プレビュー" in response.content.decode()


def test_add_form_has_markdown_help_and_prepopulated_slug(admin_client):
    html = admin_client.get("/admin/news/article/add/").content.decode()
    assert "Markdown で書きます" in html
    assert "news/js/admin_counter.js" in html
    assert "prepopulated" in html


def test_editor_saves_an_article_with_references_from_the_form(admin_client, default_cta):
    category = CategoryFactory(slug="ai", name="AI")
    response = admin_client.post(
        "/admin/news/article/add/",
        {
            "title": "管理画面から書いた記事",
            "slug": "written-in-admin",
            "lead": "リード文",
            "body": "## 見出し\n\n本文\n\n## まとめ\n\nまとめ",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "byline": "",
            "categories": [category.pk],
            "references": "OpenAIの発表 | https://openai.com/\n政府の資料 | https://www.go.jp/",
            "cta_choice": "default",
            "hero_alt": "",
            "seo_title": "",
            "seo_description": "",
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    article = Article.objects.get(slug="written-in-admin")
    assert article.is_public
    assert article.references == [
        {"title": "OpenAIの発表", "url": "https://openai.com/"},
        {"title": "政府の資料", "url": "https://www.go.jp/"},
    ]
    assert [entry["text"] for entry in article.toc] == ["見出し", "まとめ"]


def test_reference_lines_must_be_title_and_http_url(admin_client):
    response = admin_client.post(
        "/admin/news/article/add/",
        {
            "title": "t",
            "slug": "t",
            "lead": "l",
            "body": "b",
            "status": "draft",
            "references": "危険 | javascript:alert(1)",
            "cta_choice": "default",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "http:// か https:// で始めてください" in response.content.decode()


def test_cta_admin_shows_usage_and_click_count(admin_client, default_cta):
    category_cta = CallToActionFactory(name="Web3向けCTA")
    CategoryFactory(name="Web3", cta=category_cta)
    article = ArticleFactory()
    CTAClick.objects.create(article=article, cta=default_cta, date=timezone.localdate(), count=4)
    CTAClick.objects.create(
        article=article, cta=default_cta, date=timezone.localdate() - timedelta(days=1), count=3
    )

    html = admin_client.get("/admin/news/calltoaction/").content.decode()
    assert "Web3向けCTA" in html
    assert ">7<" in html
    change = admin_client.get(f"/admin/news/calltoaction/{category_cta.pk}/change/")
    assert "カテゴリ:Web3" in change.content.decode()


def test_admin_refuses_a_second_default_cta(admin_client, default_cta):
    response = admin_client.post(
        "/admin/news/calltoaction/add/",
        {
            "name": "二つ目",
            "slug": "second",
            "heading": "見出し",
            "button_label": "申し込む",
            "is_active": "on",
            "is_default": "on",
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "既定のCTAはすでにあります" in response.content.decode()
