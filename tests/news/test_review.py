"""The review workflow and live vs draft, through the admin and the public page.

An editor saves and submits; the 編集長 sees what would change, then approves (publishing)
or sends back with a comment. A live article's page changes only when a revision is approved.
"""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from careers.roles import EDITOR_GROUP
from news.models import Article, ArticleEvent
from news.permissions import CHIEF_EDITOR_GROUP
from news.revisions import article_versions
from outbox.models import Email
from tests.factories import ArticleFactory, CategoryFactory, StaffFactory
from tests.news.forms import article_form_data

pytestmark = pytest.mark.django_db


def _logged_in(username, group_name):
    user = StaffFactory(username=username, email=f"{username}@example.com")
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(staff_roles):
    return _logged_in("editor-taro", EDITOR_GROUP)


@pytest.fixture
def chief_client(staff_roles):
    return _logged_in("chief-hanako", CHIEF_EDITOR_GROUP)


@pytest.fixture
def live_article():
    return ArticleFactory(title="公開中のタイトル", slug="live-article", lead="公開中のリード")


def _url(article, suffix="change/"):
    return f"/admin/news/article/{article.pk}/{suffix}"


def _edit(client, article, **changes):
    return client.post(_url(article), article_form_data(article, **changes))


def test_an_editor_cannot_publish_on_their_own(editor_client):
    draft = ArticleFactory(title="下書き", status=Article.Status.DRAFT, published_at=None)

    _edit(editor_client, draft, status=Article.Status.PUBLISHED)
    editor_client.post(
        "/admin/news/article/", {"action": "publish_now", "_selected_action": [draft.pk]}
    )

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    page = editor_client.get(_url(draft)).content.decode()
    assert 'name="status"' not in page
    assert "保存してレビューに提出" in page


def test_editing_a_live_article_leaves_the_live_page_alone(editor_client, client, live_article):
    """The edit becomes the newest revision; readers still see the live content."""
    assert client.get("/articles/live-article/")["X-Page-Cache"] == "miss"

    response = _edit(editor_client, live_article, title="編集中のタイトル", lead="新しいリード")

    assert response.status_code == HTTPStatus.FOUND
    page = client.get("/articles/live-article/").content.decode()
    assert "公開中のタイトル" in page
    assert "編集中のタイトル" not in page
    form = editor_client.get(_url(live_article)).content.decode()
    assert "編集中のタイトル" in form, "the editor keeps working on the draft"
    assert "公開中の内容とは異なる未公開の変更があります" in form


def test_submit_then_approve_publishes_the_reviewed_revision(
    editor_client, chief_client, client, live_article
):
    category = CategoryFactory(name="Web3")
    response = editor_client.post(
        _url(live_article),
        {
            **article_form_data(live_article, title="改訂したタイトル", categories=[category.pk]),
            "review_comment": "見出しを直しました。",
            "_submit_review": "1",
        },
        follow=True,
    )
    assert "レビューに提出しました" in response.content.decode()

    review = chief_client.get(_url(live_article, "review/")).content.decode()
    assert "見出しを直しました。" in review
    assert "公開中のタイトル" in review
    assert "改訂したタイトル" in review
    assert "Web3" in review
    chief_client.post(_url(live_article, "review/"), {"_approve": "1", "comment": "OKです"})

    page = client.get("/articles/live-article/").content.decode()
    assert "改訂したタイトル" in page
    assert "Web3" in page
    actions = list(live_article.events.values_list("action", "actor__username", "comment"))
    assert actions == [
        (ArticleEvent.Action.APPROVED, "chief-hanako", "OKです"),
        (ArticleEvent.Action.SUBMITTED, "editor-taro", "見出しを直しました。"),
    ]


def test_approval_at_a_scheduled_time_publishes_then(editor_client, chief_client, client):
    later = timezone.now() + timedelta(days=2)
    draft = ArticleFactory(title="予約する記事", status=Article.Status.DRAFT, published_at=None)
    _edit(editor_client, draft, published_at=later)
    editor_client.post(
        _url(draft), {**article_form_data(draft, published_at=later), "_submit_review": "1"}
    )

    chief_client.post(_url(draft, "review/"), {"_approve": "1"})

    draft.refresh_from_db()
    assert draft.state == "scheduled"
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_send_back_needs_a_reason_and_keeps_the_live_page(
    editor_client, chief_client, client, live_article
):
    editor_client.post(
        _url(live_article),
        {**article_form_data(live_article, title="怪しい見出し"), "_submit_review": "1"},
    )

    refused = chief_client.post(_url(live_article, "review/"), {"_send_back": "1", "comment": ""})
    assert "差し戻す理由をコメントに書いてください。" in refused.content.decode()
    chief_client.post(
        _url(live_article, "review/"), {"_send_back": "1", "comment": "出典を足してください。"}
    )

    live_article.refresh_from_db()
    assert live_article.review_status == Article.ReviewStatus.SENT_BACK
    assert "公開中のタイトル" in client.get("/articles/live-article/").content.decode()
    form = editor_client.get(_url(live_article)).content.decode()
    assert "出典を足してください。" in form
    assert "差し戻し" in form


def test_an_editor_cannot_approve(editor_client, live_article):
    Article.objects.filter(pk=live_article.pk).update(review_status=Article.ReviewStatus.IN_REVIEW)
    assert editor_client.get(_url(live_article, "review/")).status_code == HTTPStatus.FORBIDDEN
    response = editor_client.post(_url(live_article, "review/"), {"_approve": "1"})
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_a_chief_editor_publishes_directly(chief_client, client):
    draft = ArticleFactory(title="編集長の記事", status=Article.Status.DRAFT, published_at=None)
    _edit(chief_client, draft, status=Article.Status.PUBLISHED)
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.OK
    assert draft.events.get().action == ArticleEvent.Action.PUBLISHED


def test_the_page_cache_follows_the_live_content(editor_client, chief_client, client, live_article):
    """A draft save keeps the cached page; the approval replaces it."""
    client.get("/articles/live-article/")

    editor_client.post(
        _url(live_article),
        {**article_form_data(live_article, title="次の版のタイトル"), "_submit_review": "1"},
    )
    cached = client.get("/articles/live-article/")
    assert cached["X-Page-Cache"] == "hit"
    assert "公開中のタイトル" in cached.content.decode()

    chief_client.post(_url(live_article, "review/"), {"_approve": "1"})
    fresh = client.get("/articles/live-article/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "次の版のタイトル" in fresh.content.decode()


def test_an_editor_restoring_a_live_article_makes_a_draft(editor_client, client, live_article):
    _edit(editor_client, live_article, title="二番目のタイトル")
    first = article_versions(live_article).last()
    _edit(editor_client, live_article, title="三番目のタイトル")

    editor_client.post(_url(live_article, f"history/{first.pk}/"))

    assert "公開中のタイトル" in client.get("/articles/live-article/").content.decode()
    form = editor_client.get(_url(live_article)).content.decode()
    assert "二番目のタイトル" in form


def test_the_editor_is_emailed_the_decision_through_the_outbox(
    editor_client, chief_client, live_article
):
    editor_client.post(
        _url(live_article),
        {**article_form_data(live_article, title="差し戻される見出し"), "_submit_review": "1"},
    )
    chief_client.post(
        _url(live_article, "review/"), {"_send_back": "1", "comment": "出典を足してください。"}
    )
    editor_client.post(
        _url(live_article),
        {**article_form_data(live_article, title="直した見出し"), "_submit_review": "1"},
    )
    chief_client.post(_url(live_article, "review/"), {"_approve": "1", "comment": "公開します"})

    sent_back, approved = Email.objects.filter(to=["editor-taro@example.com"]).order_by("id")
    assert "【差し戻し】" in sent_back.subject
    assert "出典を足してください。" in sent_back.body_text
    assert "【承認】" in approved.subject
    assert "公開します" in approved.body_text
    assert f"/admin/news/article/{live_article.pk}/change/" in approved.body_text
