"""A worker killed mid-issue: a second worker finishes it, and nobody gets the issue twice.

Real Redis, real PostgreSQL, real worker processes; the workers write each email to a file.
"""

import email
import signal
import time
from collections import Counter
from email import policy

import pytest
from django.utils import timezone

from newsletter.models import Delivery, NewsletterIssue
from newsletter.sending import issue_send_start
from newsletter.tasks import newsletter_sweep_task
from tests.factories import ArticleFactory, NewsletterIssueFactory, SubscriberFactory
from tests.support import processes
from tests.support.processes import wait_for

pytestmark = pytest.mark.integration

RECIPIENTS = 8
# Two emails a second, three per batch, and a short lease so the test need not wait a minute
# for the dead worker's claim on the issue to run out.
SLOW_SENDING = {
    "NEWSLETTER_SEND_RATE": "120",
    "NEWSLETTER_BATCH_SIZE": "3",
    "NEWSLETTER_LEASE_SECONDS": "3",
}
SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def delivered(mail_dir) -> list[email.message.EmailMessage]:
    """Every message the workers wrote, parsed (the file backend appends them to files)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


@pytest.fixture
def slow_sending_env(monkeypatch):
    # Before the worker fixture starts its process, which inherits this environment.
    for name, value in SLOW_SENDING.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def first_worker(slow_sending_env, celery_worker_process):
    return celery_worker_process


def kill_between_two_emails(worker, issue):
    """SIGKILL the worker at a moment when no email is half-sent.

    A row claimed but not yet marked sent is one we cannot know the fate of; the sender
    then records it failed rather than risk a duplicate. Freezing the worker (SIGSTOP)
    lets the test pick a moment between two emails, so every recipient must get exactly one.
    """
    for _ in range(200):
        worker.signal_group(signal.SIGSTOP)
        in_flight = Delivery.objects.filter(issue=issue, status=Delivery.Status.SENDING).exists()
        sent = Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count()
        if not in_flight and sent == len(delivered(worker.mail_dir)):
            worker.kill()
            return
        worker.signal_group(signal.SIGCONT)
        time.sleep(0.02)
    raise AssertionError("never caught the worker between two emails")


def test_a_killed_worker_resumes_without_a_duplicate_to_anyone(first_worker, tmp_path):
    article = ArticleFactory(title="生成AIとWeb3の今週", slug="weekly")
    subscribers = [SubscriberFactory(email=f"reader{n}@example.com") for n in range(RECIPIENTS)]
    issue = NewsletterIssueFactory(subject="今週の注目ニュース", articles=[article])

    assert issue_send_start(issue=issue, actor=None)
    wait_for(
        lambda: len(delivered(first_worker.mail_dir)) >= 3,
        timeout=60,
        message="the first worker never sent three emails",
    )
    kill_between_two_emails(first_worker, issue)

    before = len(delivered(first_worker.mail_dir))
    assert 3 <= before < RECIPIENTS, "the kill must land mid-issue"
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENDING

    second = processes.celery_worker(
        log_dir=tmp_path,
        name="worker2",
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(first_worker.mail_dir),
            **SLOW_SENDING,
        },
    )
    with second:
        second.wait_for_log("ready.", timeout=60)
        # The dead worker's lease runs out by itself; then the periodic sweep restarts the issue.
        wait_for(
            lambda: NewsletterIssue.objects.get(pk=issue.pk).lease_until < timezone.now(),
            timeout=30,
            message="the dead worker's lease never expired",
        )
        newsletter_sweep_task.delay()
        wait_for(
            lambda: NewsletterIssue.objects.get(pk=issue.pk).status == NewsletterIssue.Status.SENT,
            timeout=90,
            interval=0.5,
            message=f"the second worker never finished the issue:\n{second.log()[-3000:]}",
        )

    messages = delivered(first_worker.mail_dir)
    assert Counter(message["To"] for message in messages) == {
        subscriber.email: 1 for subscriber in subscribers
    }
    assert all(
        message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for message in messages
    )
    assert set(issue.deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert "send_issue_task" in second.log()
