"""The issue email: text and HTML parts, absolute links, and the RFC 8058 unsubscribe headers."""

from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from news.models import Article
from newsletter.models import NewsletterIssue, Subscriber

NEWSLETTER_NAME = "AI・Web3 Insight"


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def _one_line(value: str) -> str:
    # Header injection is refused by the mail library; an editor's stray newline should not be.
    return " ".join(value.split())


def article_link(*, article: Article, issue: NewsletterIssue) -> str:
    """An absolute article URL that tells analytics which issue brought the reader."""
    query = urlencode(
        [
            ("utm_source", "newsletter"),
            ("utm_medium", "email"),
            ("utm_campaign", f"insight-{issue.pk}"),
        ]
    )
    return f"{settings.SITE_URL}{article.get_absolute_url()}?{query}"


def unsubscribe_headers(*, subscriber: Subscriber) -> dict[str, str]:
    """List-Unsubscribe (https and mailto) with RFC 8058 one-click POST."""
    mailto = (
        f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_EMAIL}"
        f"?subject={quote(f'unsubscribe {subscriber.token}')}"
    )
    return {
        "List-Unsubscribe": f"<{subscriber.unsubscribe_url()}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{NEWSLETTER_NAME} <insight.{urlsplit(settings.SITE_URL).hostname}>",
    }


def issue_email_context(
    *, issue: NewsletterIssue, articles: list[Article], subscriber: Subscriber | None
) -> dict:
    """Without a subscriber (preview, test send) the personal links go to /newsletter/."""
    signup_url = settings.SITE_URL + reverse("newsletter:signup")
    return {
        "issue": issue,
        "intro_paragraphs": [part.strip() for part in issue.intro.split("\n\n") if part.strip()],
        "articles": [
            {
                "title": article.title,
                "lead": article.lead,
                "url": article_link(article=article, issue=issue),
            }
            for article in articles
        ],
        "newsletter_name": NEWSLETTER_NAME,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": subscriber.unsubscribe_url() if subscriber else signup_url,
        "preferences_url": subscriber.preferences_url() if subscriber else signup_url,
        "topics_display": subscriber.get_topics_display() if subscriber else None,
    }


def issue_render(
    *, issue: NewsletterIssue, articles: list[Article], subscriber: Subscriber | None
) -> RenderedIssue:
    """The email for one subscriber, or the preview and test version without one."""
    context = issue_email_context(issue=issue, articles=articles, subscriber=subscriber)
    return RenderedIssue(
        subject=_one_line(issue.subject),
        text=render_to_string("newsletter/email/issue.txt", context),
        html=render_to_string("newsletter/email/issue.html", context),
        headers=unsubscribe_headers(subscriber=subscriber) if subscriber else {},
    )


def issue_message(
    *, issue: NewsletterIssue, articles: list[Article], subscriber: Subscriber
) -> EmailMultiAlternatives:
    rendered = issue_render(issue=issue, articles=articles, subscriber=subscriber)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        to=[subscriber.email],
        headers=rendered.headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def issue_test_render(*, issue: NewsletterIssue, articles: list[Article]) -> RenderedIssue:
    """The version an editor sends to themselves: marked as a test, no personal links."""
    rendered = issue_render(issue=issue, articles=articles, subscriber=None)
    return replace(rendered, subject=_("[テスト送信] %(subject)s") % {"subject": rendered.subject})
