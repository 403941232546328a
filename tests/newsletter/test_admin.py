"""Editors compose, preview, test and send issues in the admin, and see the figures."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from newsletter.models import Delivery, NewsletterIssue
from newsletter.sending import SEND_ISSUE_TASK
from outbox.services import SEND_TASK
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    NewsletterIssueFactory,
    StaffFactory,
    SubscriberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_sending(settings):
    settings.NEWSLETTER_SEND_RATE = 60_000


@pytest.fixture
def editor(client):
    """A staff member allowed to compose and send issues (not a superuser)."""
    user = StaffFactory(email="editor@plusweb3.example")
    codenames = [
        "view_newsletterissue",
        "add_newsletterissue",
        "change_newsletterissue",
        "send_newsletterissue",
        "view_subscriber",
        "view_delivery",
    ]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


@pytest.fixture
def issue():
    ai = CategoryFactory(slug="ai", name="AI")
    article = ArticleFactory(title="生成AIの採用市場 <速報>", categories=[ai])
    return NewsletterIssueFactory(subject="今週のAI", topics="ai", articles=[article])


def test_subscriber_list_shows_counts_by_topic_in_bounded_queries(
    client, editor, django_assert_max_num_queries
):
    SubscriberFactory.create_batch(3, topics="ai")
    SubscriberFactory.create_batch(2, topics="web3")
    SubscriberFactory(topics="both")
    SubscriberFactory(topics="ai", status="pending")
    SubscriberFactory(topics="ai", status="unsubscribed")

    with django_assert_max_num_queries(12):
        response = client.get("/admin/newsletter/subscriber/")

    assert response.status_code == HTTPStatus.OK
    counts = response.context["topic_counts"]
    assert (counts["ai"], counts["web3"], counts["both"]) == (3, 2, 1)
    assert (counts["confirmed"], counts["pending"], counts["unsubscribed"]) == (6, 1, 1)
    assert "購読中の人数(テーマ別)" in response.text


def test_nobody_adds_subscribers_by_hand(client, editor):
    assert client.get("/admin/newsletter/subscriber/add/").status_code == HTTPStatus.FORBIDDEN


def test_issue_list_shows_sent_failed_and_unsubscribed_in_constant_queries(
    client, editor, django_assert_max_num_queries
):
    for _ in range(3):
        sent_issue = NewsletterIssueFactory(
            status="sent", send_started_at=timezone.now(), sent_at=timezone.now()
        )
        for status in ("sent", "sent", "failed"):
            Delivery.objects.create(issue=sent_issue, subscriber=SubscriberFactory(), status=status)

    with django_assert_max_num_queries(8):
        response = client.get("/admin/newsletter/newsletterissue/")

    assert response.status_code == HTTPStatus.OK
    rows = list(response.context["cl"].result_list)
    assert [(row.sent_count, row.failed_count, row.unsubscribed_count) for row in rows] == [
        (2, 1, 0)
    ] * 3


def test_preview_shows_the_email_as_subscribers_will_see_it(client, editor, issue):
    SubscriberFactory(topics="ai")
    SubscriberFactory(topics="web3")

    response = client.get(f"/admin/newsletter/newsletterissue/{issue.pk}/preview/")

    assert response.status_code == HTTPStatus.OK
    assert "今週のAI" in response.text
    assert "生成AIの採用市場 &lt;速報&gt;" in response.text
    assert "購読者 1 人" in response.text
    assert not issue.deliveries.exists()


def test_suggest_button_adds_recent_articles_of_the_topic(client, editor):
    ai = CategoryFactory(slug="ai", name="AI")
    web3 = CategoryFactory(slug="web3", name="Web3")
    ai_article = ArticleFactory(categories=[ai])
    ArticleFactory(categories=[web3])
    issue = NewsletterIssueFactory(topics="ai")

    response = client.post(f"/admin/newsletter/newsletterissue/{issue.pk}/suggest/", follow=True)

    assert "1 件を追加しました" in response.text
    assert list(issue.articles.all()) == [ai_article]


def test_test_send_goes_to_the_editor_and_nobody_else(
    client, editor, issue, django_capture_on_commit_callbacks, doorbell_rings
):
    SubscriberFactory(topics="ai")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/newsletter/newsletterissue/{issue.pk}/send-test/", follow=True
        )
    assert doorbell_rings.run() == [SEND_TASK]

    assert "テスト送信を受け付けました(宛先: editor@plusweb3.example)" in response.text
    assert [message.to for message in mail.outbox] == [["editor@plusweb3.example"]]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT


def test_send_asks_for_confirmation_then_sends_for_real(
    client, editor, issue, django_capture_on_commit_callbacks, doorbell_rings
):
    SubscriberFactory(email="ai@example.com", topics="ai")
    SubscriberFactory(email="web3@example.com", topics="web3")
    url = f"/admin/newsletter/newsletterissue/{issue.pk}/send/"

    confirm = client.get(url)
    assert confirm.status_code == HTTPStatus.OK
    assert "購読者 1 人に配信します" in confirm.text
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert doorbell_rings.run() == [SEND_ISSUE_TASK]

    assert "配信を開始しました" in response.text
    assert [message.to for message in mail.outbox] == [["ai@example.com"]]
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.sent_by == editor

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)
    assert "すでに配信を開始しています" in again.text
    assert doorbell_rings.pending == []
    assert len(mail.outbox) == 1


def test_sending_needs_the_send_permission(client, issue):
    user = StaffFactory()
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_newsletterissue", "change_newsletterissue"])
    )
    client.force_login(user)

    response = client.post(f"/admin/newsletter/newsletterissue/{issue.pk}/send/")

    assert response.status_code == HTTPStatus.FORBIDDEN
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT


def test_a_sent_issue_is_read_only(client, editor, issue):
    NewsletterIssue.objects.filter(pk=issue.pk).update(
        status="sent", send_started_at=timezone.now(), sent_at=timezone.now()
    )

    response = client.get(f"/admin/newsletter/newsletterissue/{issue.pk}/change/")

    assert response.status_code == HTTPStatus.OK
    assert 'name="subject"' not in response.text
    assert "本番配信へ進む" not in response.text


def test_non_staff_cannot_reach_the_newsletter_admin(client, issue):
    client.force_login(UserFactory())

    response = client.get(f"/admin/newsletter/newsletterissue/{issue.pk}/preview/")

    assert response.status_code == HTTPStatus.FOUND
    assert "/admin/login/" in response["Location"]


def test_a_draft_offers_preview_suggest_test_send_and_send(client, editor, issue):
    response = client.get(f"/admin/newsletter/newsletterissue/{issue.pk}/change/")

    assert response.status_code == HTTPStatus.OK
    for label in (
        "メールをプレビュー",
        "直近の記事をテーマから提案して追加",
        "自分宛てにテスト送信(editor@plusweb3.example)",
        "本番配信へ進む",
    ):
        assert label in response.text


def test_an_editor_composes_a_new_issue(client, editor):
    article = ArticleFactory()

    response = client.post(
        "/admin/newsletter/newsletterissue/add/",
        {
            "subject": "創刊号",
            "topics": "both",
            "intro": "はじめまして。",
            "articles": [article.pk],
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    issue = NewsletterIssue.objects.get()
    assert issue.created_by == editor
    assert list(issue.articles.all()) == [article]
    assert issue.status == NewsletterIssue.Status.DRAFT


def test_the_editor_role_can_send_and_the_manager_role_can_only_watch(client, issue):
    from django.contrib.auth.models import Group

    from careers.roles import EDITOR_GROUP, MANAGER_GROUP

    editor_role = StaffFactory()
    editor_role.groups.add(Group.objects.get(name=EDITOR_GROUP))
    manager_role = StaffFactory()
    manager_role.groups.add(Group.objects.get(name=MANAGER_GROUP))

    assert editor_role.has_perm("newsletter.send_newsletterissue")
    assert not manager_role.has_perm("newsletter.send_newsletterissue")
    client.force_login(manager_role)
    assert client.get("/admin/newsletter/subscriber/").status_code == HTTPStatus.OK
    assert client.get(f"/admin/newsletter/newsletterissue/{issue.pk}/send/").status_code == (
        HTTPStatus.FORBIDDEN
    )
