"""In Chromium: a reader subscribes from an article, confirms from the email, then unsubscribes."""

import re

import pytest
from django.core import mail

from newsletter.models import Subscriber
from newsletter.sending import SEND_ISSUE_TASK, issue_send_start
from outbox.services import SEND_TASK
from tests.factories import ArticleFactory, NewsletterIssueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def link_in(message, path_prefix: str) -> str:
    match = re.search(rf"https?://\S+{re.escape(path_prefix)}\S+/", message.body)
    assert match, message.body
    return match.group(0)


def test_subscribe_from_an_article_confirm_by_email_then_unsubscribe(
    live_server, desktop_page, settings, doorbell_rings
):
    settings.SITE_URL = live_server.url
    settings.NEWSLETTER_SEND_RATE = 60_000
    article = ArticleFactory(title="生成AIエンジニアの採用が加速", slug="genai-hiring")
    page = desktop_page

    # The cached article page offers the newsletter as a plain link, with no form of its own.
    page.goto(f"{live_server.url}/articles/genai-hiring/")
    assert "csrfmiddlewaretoken" not in page.content()
    page.get_by_test_id("follow-newsletter").click()
    page.wait_for_url("**/newsletter/?source=genai-hiring**")
    assert "生成AIエンジニアの採用が加速" in page.get_by_test_id("newsletter-source").inner_text()

    page.get_by_label("メールアドレス").fill("reader@example.com")
    page.get_by_label("AI", exact=True).check()
    page.get_by_label("に同意します").check()
    page.get_by_role("button", name="確認メールを受け取る").click()
    page.wait_for_url("**/newsletter/thanks/")
    assert page.get_by_role("heading", name="確認メールをお送りしました").is_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    # The worker's turn: send the confirmation.
    assert doorbell_rings.run() == [SEND_TASK]
    [confirmation] = mail.outbox
    page.goto(link_in(confirmation, "/newsletter/confirm/"))
    page.get_by_role("button", name="登録を完了する").click()
    page.get_by_role("heading", name="登録が完了しました").wait_for()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.topics == "ai"
    assert subscriber.source_article == article

    issue = NewsletterIssueFactory(topics="ai", articles=[article])
    assert issue_send_start(issue=issue, actor=None)
    assert doorbell_rings.run() == [SEND_ISSUE_TASK]
    newsletter = mail.outbox[-1]
    assert newsletter.to == ["reader@example.com"]

    page.goto(link_in(newsletter, "/newsletter/unsubscribe/"))
    page.get_by_role("button", name="配信を停止する").click()
    page.get_by_role("heading", name="配信を停止しました").wait_for()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
