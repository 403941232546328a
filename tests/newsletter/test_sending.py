"""Sending an issue: the right subscribers, once each, in batches, resumable after a crash."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from newsletter.models import Delivery, NewsletterIssue, Subscriber
from newsletter.sending import (
    SEND_ISSUE_TASK,
    BatchOutcome,
    issue_send_batch,
    issue_send_start,
    issue_suggest_articles,
    issue_test_send_queue,
)
from newsletter.tasks import newsletter_sweep_task, send_issue_task
from outbox.services import SEND_TASK
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    NewsletterIssueFactory,
    StaffFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_sending(settings):
    settings.NEWSLETTER_SEND_RATE = 60_000  # one message per millisecond


@pytest.fixture
def article():
    return ArticleFactory(slug="weekly-news")


@pytest.fixture
def start(django_capture_on_commit_callbacks, doorbell_rings):
    """Start sending as the editor's button does, then let a worker send every batch."""

    def start_issue(issue):
        with django_capture_on_commit_callbacks(execute=True):
            started = issue_send_start(issue=issue, actor=None)
        doorbell_rings.run()
        return started

    return start_issue


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.parametrize(
    ("issue_topics", "expected"),
    [
        ("ai", ["ai@example.com", "both@example.com"]),
        ("web3", ["both@example.com", "web3@example.com"]),
        ("both", ["ai@example.com", "both@example.com", "web3@example.com"]),
    ],
)
def test_an_issue_reaches_only_confirmed_subscribers_of_its_topic(
    start, article, issue_topics, expected
):
    SubscriberFactory(email="ai@example.com", topics="ai")
    SubscriberFactory(email="web3@example.com", topics="web3")
    SubscriberFactory(email="both@example.com", topics="both")
    SubscriberFactory(email="pending@example.com", topics="both", status="pending")
    SubscriberFactory(email="gone@example.com", topics="both", status="unsubscribed")
    issue = NewsletterIssueFactory(topics=issue_topics, articles=[article])

    start(issue)

    assert recipients() == expected
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    assert issue.sent_at is not None
    assert (
        sorted(
            issue.deliveries.filter(status=Delivery.Status.SENT).values_list(
                "subscriber__email", flat=True
            )
        )
        == expected
    )


def test_batches_follow_each_other_until_everyone_has_it(settings, start, article):
    settings.NEWSLETTER_BATCH_SIZE = 2
    for n in range(5):
        SubscriberFactory(email=f"reader{n}@example.com")
    issue = NewsletterIssueFactory(articles=[article])

    start(issue)

    assert recipients() == [f"reader{n}@example.com" for n in range(5)]
    assert issue.deliveries.filter(status=Delivery.Status.SENT).count() == 5


def test_running_the_task_again_sends_nothing_twice(start, article):
    SubscriberFactory.create_batch(3)
    issue = NewsletterIssueFactory(articles=[article])
    start(issue)

    assert send_issue_task(issue.pk) == BatchOutcome.NOT_SENDING
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENDING)
    assert send_issue_task(issue.pk) == BatchOutcome.DONE

    assert len(mail.outbox) == 3


def test_starting_twice_starts_once(start, article):
    SubscriberFactory()
    issue = NewsletterIssueFactory(articles=[article])

    assert start(issue) is True
    assert start(issue) is False
    assert len(mail.outbox) == 1


def test_a_row_left_sending_by_a_dead_worker_is_failed_not_resent(article):
    """We cannot know whether that email went out, and nobody may get an issue twice."""
    alive = SubscriberFactory(email="alive@example.com")
    orphan = SubscriberFactory(email="orphan@example.com")
    issue = NewsletterIssueFactory(
        articles=[article],
        status=NewsletterIssue.Status.SENDING,
        send_started_at=timezone.now(),
        recipients_ready_at=timezone.now(),
        # The dead worker's lease has run out.
        lease_owner="dead-worker",
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    Delivery.objects.create(issue=issue, subscriber=alive)
    Delivery.objects.create(
        issue=issue, subscriber=orphan, status=Delivery.Status.SENDING, attempts=1
    )

    outcome, _owner = issue_send_batch(issue_id=issue.pk)

    assert outcome == BatchOutcome.DONE
    assert recipients() == ["alive@example.com"]
    failed = issue.deliveries.get(subscriber=orphan)
    assert failed.status == Delivery.Status.FAILED
    assert "二重送信を避けて" in failed.last_error


def test_a_live_lease_keeps_a_second_sender_out(article):
    SubscriberFactory()
    issue = NewsletterIssueFactory(
        articles=[article],
        status=NewsletterIssue.Status.SENDING,
        send_started_at=timezone.now(),
        lease_owner="busy-worker",
        lease_until=timezone.now() + timedelta(seconds=30),
    )

    assert issue_send_batch(issue_id=issue.pk) == (BatchOutcome.BUSY, "")
    assert mail.outbox == []
    assert newsletter_sweep_task() == 0


def test_the_sweep_restarts_an_issue_whose_sender_died(article, doorbell_rings):
    SubscriberFactory.create_batch(2)
    NewsletterIssueFactory(
        articles=[article],
        status=NewsletterIssue.Status.SENDING,
        send_started_at=timezone.now(),
        lease_owner="dead-worker",
        lease_until=timezone.now() - timedelta(seconds=1),
    )

    assert newsletter_sweep_task() == 1
    assert doorbell_rings.run() == [SEND_ISSUE_TASK]

    assert len(mail.outbox) == 2
    assert NewsletterIssue.objects.get().status == NewsletterIssue.Status.SENT


def test_a_subscriber_who_leaves_mid_issue_is_skipped(settings, article):
    settings.NEWSLETTER_BATCH_SIZE = 1
    first = SubscriberFactory(email="first@example.com")
    second = SubscriberFactory(email="second@example.com")
    issue = NewsletterIssueFactory(
        articles=[article], status=NewsletterIssue.Status.SENDING, send_started_at=timezone.now()
    )
    outcome, owner = issue_send_batch(issue_id=issue.pk)
    assert outcome == BatchOutcome.MORE
    Subscriber.objects.filter(pk=second.pk).update(
        status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )

    outcome, _owner = issue_send_batch(issue_id=issue.pk, previous_owner=owner)

    assert outcome == BatchOutcome.DONE
    assert recipients() == [first.email]
    assert issue.deliveries.get(subscriber=second).status == Delivery.Status.SKIPPED


def test_a_refused_recipient_is_recorded_failed_and_the_rest_still_get_it(settings, start, article):
    settings.MAILERS = {"default": {"BACKEND": "tests.newsletter.backends.RefusingEmailBackend"}}
    SubscriberFactory(email="ok@example.com")
    SubscriberFactory(email="refused@example.com")
    issue = NewsletterIssueFactory(articles=[article])

    start(issue)

    assert recipients() == ["ok@example.com"]
    failed = issue.deliveries.get(status=Delivery.Status.FAILED)
    assert failed.subscriber.email == "refused@example.com"
    assert "550" in failed.last_error
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT


def test_an_issue_without_public_articles_cannot_be_sent(start):
    draft = ArticleFactory(status="draft", published_at=None)
    issue = NewsletterIssueFactory(articles=[draft])

    with pytest.raises(ValidationError):
        start(issue)
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT


def test_a_test_send_goes_to_the_editor_only_and_is_marked(
    article, django_capture_on_commit_callbacks, doorbell_rings
):
    SubscriberFactory()
    editor = StaffFactory(email="editor@plusweb3.example")
    issue = NewsletterIssueFactory(articles=[article], subject="今週のAI")

    with django_capture_on_commit_callbacks(execute=True):
        email = issue_test_send_queue(issue=issue, to=editor.email)
    assert doorbell_rings.run() == [SEND_TASK]

    [message] = mail.outbox
    assert message.to == ["editor@plusweb3.example"]
    assert message.subject == "[テスト送信] 今週のAI"
    assert "List-Unsubscribe" not in message.extra_headers
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT
    assert issue.test_sent_at is not None
    assert not issue.deliveries.exists()
    # An outbox row like every other email, linked to the issue.
    email.refresh_from_db()
    assert (email.status, email.about) == ("sent", issue)


def test_suggestions_are_recent_public_articles_of_the_issue_topic():
    ai = CategoryFactory(slug="ai", name="AI")
    web3 = CategoryFactory(slug="web3", name="Web3")
    recent_ai = ArticleFactory(categories=[ai])
    recent_web3 = ArticleFactory(categories=[web3])
    ArticleFactory(categories=[ai], published_at=timezone.now() - timedelta(days=30))
    ArticleFactory(categories=[ai], status="draft", published_at=None)
    ArticleFactory(categories=[ai], published_at=timezone.now() + timedelta(days=1))
    ai_issue = NewsletterIssueFactory(topics="ai")
    both_issue = NewsletterIssueFactory(topics="both")

    assert issue_suggest_articles(issue=ai_issue) == 1
    assert issue_suggest_articles(issue=ai_issue) == 0
    assert issue_suggest_articles(issue=both_issue) == 2

    assert list(ai_issue.articles.all()) == [recent_ai]
    assert set(both_issue.articles.all()) == {recent_ai, recent_web3}
