"""Reads for the newsletter: who receives an issue or the 新着案件 digest, what to suggest, and
the admin's figures."""

from datetime import timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from news.models import Article
from newsletter.models import Delivery, NewsletterIssue, Subscriber, Topic
from projects.models import Project

# The category slugs behind the header's AI and Web3 links.
TOPIC_CATEGORY_SLUGS = {Topic.AI: ["ai"], Topic.WEB3: ["web3"], Topic.BOTH: ["ai", "web3"]}


def subscriber_topics_for_issue(*, topics: str) -> list[str]:
    """An AI issue goes to AI and both-topic subscribers; a both-topic issue to everyone."""
    if topics == Topic.BOTH:
        return [Topic.AI, Topic.WEB3, Topic.BOTH]
    return [topics, Topic.BOTH]


def issue_recipients(*, topics: str) -> QuerySet[Subscriber]:
    """Confirmed subscribers who asked for this issue's topic."""
    return Subscriber.objects.filter(
        status=Subscriber.Status.CONFIRMED,
        topics__in=subscriber_topics_for_issue(topics=topics),
    )


def subscriber_counts_by_topic() -> dict[str, int]:
    """Confirmed subscribers per topic, plus pending and unsubscribed totals, in one query."""
    confirmed = Q(status=Subscriber.Status.CONFIRMED)
    return Subscriber.objects.aggregate(
        ai=Count("pk", filter=confirmed & Q(topics=Topic.AI)),
        web3=Count("pk", filter=confirmed & Q(topics=Topic.WEB3)),
        both=Count("pk", filter=confirmed & Q(topics=Topic.BOTH)),
        confirmed=Count("pk", filter=confirmed),
        pending=Count("pk", filter=Q(status=Subscriber.Status.PENDING)),
        unsubscribed=Count("pk", filter=Q(status=Subscriber.Status.UNSUBSCRIBED)),
    )


def articles_suggested_for(*, topics: str, days: int) -> QuerySet[Article]:
    """Public articles of the last `days` days in the issue's categories, newest first."""
    since = timezone.now() - timedelta(days=days)
    return (
        Article.objects.public()
        .filter(published_at__gte=since, categories__slug__in=TOPIC_CATEGORY_SLUGS[topics])
        .distinct()
        .order_by("-published_at", "-id")
    )


def issue_articles(*, issue: NewsletterIssue) -> list[Article]:
    """The issue's public articles in the order readers see them (a draft never goes out)."""
    return list(
        issue.articles.public()
        .only("title", "slug", "lead", "published_at")
        .order_by("-published_at", "-id")
    )


def issue_list_with_stats() -> QuerySet[NewsletterIssue]:
    """Issues with sent, failed and unsubscribed-afterwards counts, in one grouped query.

    "Unsubscribed afterwards" counts recipients of this issue who unsubscribed after it
    reached them, whichever link they used.
    """
    deliveries = "deliveries"
    return NewsletterIssue.objects.annotate(
        recipient_count=Count(deliveries),
        sent_count=Count(deliveries, filter=Q(deliveries__status=Delivery.Status.SENT)),
        failed_count=Count(deliveries, filter=Q(deliveries__status=Delivery.Status.FAILED)),
        unsubscribed_count=Count(
            deliveries,
            filter=Q(
                deliveries__status=Delivery.Status.SENT,
                deliveries__subscriber__status=Subscriber.Status.UNSUBSCRIBED,
                deliveries__subscriber__unsubscribed_at__gte=F("deliveries__sent_at"),
            ),
        ),
    )


def projects_opened_between(*, since, until) -> list[Project]:
    """Projects still open that were published in [since, until), newest first."""
    return list(
        Project.objects.accepting()
        .for_cards()
        .filter(opened_at__gte=since, opened_at__lt=until)
        .order_by("-opened_at", "-id")
    )


def projects_for_topics(*, projects: list[Project], topics: str) -> list[Project]:
    """The projects a subscriber of `topics` wants: the same match as an issue's recipients."""
    return [
        project
        for project in projects
        if topics in subscriber_topics_for_issue(topics=project.field)
    ]


def project_digest_recipients() -> QuerySet[Subscriber]:
    """Confirmed subscribers who chose the topic 「新着案件」."""
    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, project_alerts=True).only(
        "pk", "email", "topics", "token"
    )
