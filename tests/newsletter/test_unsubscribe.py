"""Unsubscribing: one click from every email, RFC 8058 headers, and a preference page, no login."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client

from newsletter.models import NewsletterIssue, Subscriber
from newsletter.sending import SEND_ISSUE_TASK, issue_send_start
from tests.factories import ArticleFactory, NewsletterIssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_client():
    """A mail client's one-click POST: no cookie, no CSRF token, strict CSRF checks on."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def sent_issue(settings, django_capture_on_commit_callbacks, doorbell_rings):
    """Send a real issue to one subscriber and return the email they got."""
    settings.SITE_URL = "https://plusweb3.example"
    settings.NEWSLETTER_SEND_RATE = 60_000
    settings.NEWSLETTER_UNSUBSCRIBE_EMAIL = "unsubscribe@plusweb3.example"

    def send(subscriber, **issue_fields):
        article = ArticleFactory(title="<script>alert(1)</script>生成AIと採用", slug="genai")
        issue = NewsletterIssueFactory(articles=[article], **issue_fields)
        with django_capture_on_commit_callbacks(execute=True):
            issue_send_start(issue=issue, actor=None)
        assert doorbell_rings.run() == [SEND_ISSUE_TASK]
        [message] = [message for message in mail.outbox if subscriber.email in message.to]
        return message

    return send


def test_every_issue_email_carries_list_unsubscribe_and_one_click_headers(sent_issue):
    subscriber = SubscriberFactory(email="reader@example.com")

    message = sent_issue(subscriber)

    unsubscribe_url = f"https://plusweb3.example/newsletter/unsubscribe/{subscriber.token}/"
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{unsubscribe_url}>, "
        f"<mailto:unsubscribe@plusweb3.example?subject=unsubscribe%20{subscriber.token}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The headers survive into the wire format.
    wire = message.message()
    assert wire["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe_url in wire["List-Unsubscribe"]


def test_the_issue_email_has_both_parts_with_absolute_escaped_links(sent_issue):
    subscriber = SubscriberFactory(email="reader@example.com")

    message = sent_issue(subscriber, subject="今週の注目ニュース")

    html = message.alternatives[0].content
    unsubscribe_url = f"https://plusweb3.example/newsletter/unsubscribe/{subscriber.token}/"
    preferences_url = f"https://plusweb3.example/newsletter/preferences/{subscriber.token}/"
    article_url = "https://plusweb3.example/articles/genai/?utm_source=newsletter"
    assert message.subject == "今週の注目ニュース"
    for body in (message.body, html):
        assert unsubscribe_url in body
        assert preferences_url in body
        assert article_url in body
    assert "<script>alert(1)</script>生成AIと採用" in message.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;生成AIと採用" in html
    assert "<script>" not in html
    assert "&amp;" not in message.body


def test_one_click_post_unsubscribes_without_csrf_token_or_login(mail_client):
    subscriber = SubscriberFactory()

    response = mail_client.post(
        f"/newsletter/unsubscribe/{subscriber.token}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == HTTPStatus.OK
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_unsubscribing_twice_is_harmless(mail_client):
    subscriber = SubscriberFactory()
    url = f"/newsletter/unsubscribe/{subscriber.token}/"
    mail_client.post(url)
    subscriber.refresh_from_db()
    first = subscriber.unsubscribed_at

    response = mail_client.post(url)

    assert response.status_code == HTTPStatus.OK
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at == first


def test_opening_the_link_asks_for_one_click_and_changes_nothing(client):
    """Link scanners GET every URL in an email; only the button (POST) unsubscribes."""
    subscriber = SubscriberFactory()

    response = client.get(f"/newsletter/unsubscribe/{subscriber.token}/")

    assert response.status_code == HTTPStatus.OK
    assert "配信を停止する" in response.text
    assert "csrfmiddlewaretoken" not in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_an_unknown_token_is_not_found(mail_client):
    assert mail_client.post("/newsletter/unsubscribe/not-a-token/").status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert mail_client.get("/newsletter/preferences/not-a-token/").status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_only_the_unsubscribe_endpoint_skips_csrf(mail_client):
    subscriber = SubscriberFactory()

    preferences = mail_client.post(f"/newsletter/preferences/{subscriber.token}/", {"topics": "ai"})
    signup = mail_client.post(
        "/newsletter/", {"email": "x@example.com", "topics": "ai", "consent": "on"}
    )

    assert preferences.status_code == HTTPStatus.FORBIDDEN
    assert signup.status_code == HTTPStatus.FORBIDDEN


def test_an_unsubscribed_reader_gets_no_further_issue(sent_issue, mail_client):
    staying = SubscriberFactory(email="staying@example.com")
    leaving = SubscriberFactory(email="leaving@example.com")
    mail_client.post(f"/newsletter/unsubscribe/{leaving.token}/")

    sent_issue(staying)

    assert [message.to for message in mail.outbox] == [["staying@example.com"]]


def test_the_preference_page_changes_topics_without_login(client):
    subscriber = SubscriberFactory(topics="both")
    url = f"/newsletter/preferences/{subscriber.token}/"

    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert subscriber.email in page.text

    response = client.post(url, {"topics": "web3"}, follow=True)

    assert "設定を保存しました" in response.text
    subscriber.refresh_from_db()
    assert subscriber.topics == "web3"
    assert subscriber.status == Subscriber.Status.CONFIRMED


def test_the_preference_page_resumes_an_unsubscribed_reader(client):
    subscriber = SubscriberFactory(status="unsubscribed", topics="both")
    url = f"/newsletter/preferences/{subscriber.token}/"
    assert "現在、配信を停止しています" in client.get(url).text

    client.post(url, {"topics": "ai", "resume": "1"})

    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.topics == "ai"
    assert subscriber.unsubscribed_at is None


def test_unsubscribed_after_the_issue_is_counted_per_issue(sent_issue, mail_client):
    from newsletter.selectors import issue_list_with_stats

    stays = SubscriberFactory(email="stays@example.com")
    leaves = SubscriberFactory(email="leaves@example.com")
    sent_issue(stays)
    mail_client.post(f"/newsletter/unsubscribe/{leaves.token}/")

    issue = issue_list_with_stats().get()

    assert issue.status == NewsletterIssue.Status.SENT
    assert (issue.recipient_count, issue.sent_count, issue.failed_count) == (2, 2, 0)
    assert issue.unsubscribed_count == 1
