"""Demo content for `manage.py load_demo_content`: a few subscribers and a draft issue.

Idempotent: rows are found by email and subject, so a second run changes nothing.
"""

from django.utils import timezone

from core.privacy_policy import policy_current
from news.models import Article
from newsletter.models import NewsletterIssue, Subscriber, Topic

DEMO_SUBSCRIBERS = [
    ("insight-ai@example.com", Topic.AI, Subscriber.Status.CONFIRMED),
    ("insight-web3@example.com", Topic.WEB3, Subscriber.Status.CONFIRMED),
    ("insight-both@example.com", Topic.BOTH, Subscriber.Status.CONFIRMED),
    ("insight-pending@example.com", Topic.BOTH, Subscriber.Status.PENDING),
]
DEMO_ISSUE_SUBJECT = "AI・Web3 Insight 創刊号:いま押さえたい業界ニュース"
DEMO_ISSUE_ARTICLES = 4


def load() -> str:
    now = timezone.now()
    created_subscribers = 0
    for email, topics, status in DEMO_SUBSCRIBERS:
        confirmed = status == Subscriber.Status.CONFIRMED
        _subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "topics": topics,
                "status": status,
                "confirmed_at": now if confirmed else None,
                "consent_version": policy_current().version,
                "consented_at": now,
            },
        )
        created_subscribers += created
    issue, issue_created = NewsletterIssue.objects.get_or_create(
        subject=DEMO_ISSUE_SUBJECT,
        defaults={
            "topics": Topic.BOTH,
            "intro": (
                "「AI・Web3 Insight」をご購読いただきありがとうございます。\n\n"
                "創刊号では、編集部がこの数か月で特に反響の大きかった記事を選びました。"
            ),
        },
    )
    if issue_created:
        issue.articles.set(Article.objects.public().order_by("-published_at")[:DEMO_ISSUE_ARTICLES])
    return (
        f"{created_subscribers} new of {len(DEMO_SUBSCRIBERS)} demo subscribers, "
        f"draft issue {'created' if issue_created else 'kept'}"
    )
