"""Composing and sending issues: suggestions, test sends, and the resumable per-recipient send.

Every recipient has a Delivery row (unique per issue and subscriber). A sender claims
one row at a time with a conditional UPDATE (pending → sending), sends, then marks it
sent, so a redelivered or duplicated task finds nothing left to claim. One sender per
issue holds a lease, which keeps the rate limit true however many workers run, and
which expires by itself when the worker dies; the sweep then starts another sender.
A row left in `sending` by a dead worker may or may not have gone out: it is marked
failed, never sent again, because the promise is that nobody gets an issue twice.
"""

import enum
import logging
import smtplib
import time
import uuid
from datetime import timedelta
from itertools import batched

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import doorbell
from newsletter.emails import issue_message, issue_test_render
from newsletter.models import Delivery, NewsletterIssue, Subscriber
from newsletter.selectors import articles_suggested_for, issue_articles, issue_recipients
from outbox.models import Email
from outbox.services import email_queue_rendered

logger = logging.getLogger(__name__)

# The tasks are named, not imported: tasks import this module, never the reverse.
SEND_ISSUE_TASK = "newsletter.tasks.send_issue_task"
# Well inside the task's soft time limit, so a batch always ends by itself.
BATCH_TIME_BUDGET_SECONDS = 30
MAX_ATTEMPTS = 3
ORPHANED_ERROR = _(
    "送信中に処理が中断されました。届いた可能性があるため、二重送信を避けて再送していません。"
)
# The server refused this recipient or this message: another try would be refused too.
PERMANENT_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)


class BatchOutcome(enum.StrEnum):
    DONE = "done"  # the issue is fully sent
    MORE = "more"  # recipients remain; the next batch should start now
    RETRY_LATER = "retry_later"  # the mail server is unreachable; try again in a while
    BUSY = "busy"  # another sender holds the issue
    NOT_SENDING = "not_sending"  # draft or already sent: nothing to do


# ------------------------------------------------------------------------------
# Composing
# ------------------------------------------------------------------------------


def issue_suggest_articles(*, issue: NewsletterIssue, days: int | None = None) -> int:
    """Add the last `days` days' public articles of the issue's topic; returns how many were new."""
    days = days or settings.NEWSLETTER_SUGGEST_DAYS
    already = set(issue.articles.values_list("pk", flat=True))
    suggested = [
        pk
        for pk in articles_suggested_for(topics=issue.topics, days=days).values_list(
            "pk", flat=True
        )
        if pk not in already
    ]
    issue.articles.add(*suggested)
    return len(suggested)


@transaction.atomic
def issue_test_send_queue(*, issue: NewsletterIssue, to: str) -> Email:
    """Send the issue to one editor through the outbox: marked as a test, no unsubscribe headers.

    Each request is its own email, as each click of the button asks for one.
    """
    rendered = issue_test_render(issue=issue, articles=issue_articles(issue=issue))
    email = email_queue_rendered(
        key=f"newsletter:test:{issue.pk}:{uuid.uuid4().hex}",
        kind="newsletter_test",
        to=[to],
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        about=issue,
    )
    NewsletterIssue.objects.filter(pk=issue.pk).update(test_sent_at=timezone.now())
    return email


def issue_send_start(*, issue: NewsletterIssue, actor) -> bool:
    """Turn a draft into a sending issue and start the sender; False if it was not a draft."""
    if not issue_articles(issue=issue):
        raise ValidationError(
            _("公開済みの掲載記事がありません。記事を追加してから配信してください。")
        )
    with transaction.atomic():
        started = NewsletterIssue.objects.filter(
            pk=issue.pk, status=NewsletterIssue.Status.DRAFT
        ).update(
            status=NewsletterIssue.Status.SENDING,
            send_started_at=timezone.now(),
            sent_by=actor,
        )
        if started:
            # A broker outage must not fail the editor's request: the sweep starts the issue.
            doorbell.ring_on_commit(SEND_ISSUE_TASK, issue.pk)
    return bool(started)


# ------------------------------------------------------------------------------
# The lease: one sender per issue
# ------------------------------------------------------------------------------


def _lease_acquire(*, issue_id: int, owner: str, previous_owner: str) -> bool:
    """Take the issue if its lease is free or expired, or was handed on by the previous batch."""
    now = timezone.now()
    free = Q(lease_owner="") | Q(lease_until__lt=now)
    if previous_owner:
        free |= Q(lease_owner=previous_owner)
    return bool(
        NewsletterIssue.objects.filter(free, pk=issue_id).update(
            lease_owner=owner,
            lease_until=now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS),
        )
    )


def _lease_renew(*, issue_id: int, owner: str) -> bool:
    return bool(
        NewsletterIssue.objects.filter(pk=issue_id, lease_owner=owner).update(
            lease_until=timezone.now() + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS)
        )
    )


def _lease_release(*, issue_id: int, owner: str) -> None:
    NewsletterIssue.objects.filter(pk=issue_id, lease_owner=owner).update(
        lease_owner="", lease_until=None
    )


# ------------------------------------------------------------------------------
# Sending
# ------------------------------------------------------------------------------


@transaction.atomic
def _deliveries_prepare(*, issue_id: int) -> None:
    """Fix the recipient list once: who was confirmed when the issue started sending."""
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue_id)
    if issue.recipients_ready_at is not None:
        return
    recipient_ids = (
        issue_recipients(topics=issue.topics).order_by("pk").values_list("pk", flat=True)
    )
    for chunk in batched(recipient_ids.iterator(chunk_size=2000), 1000):
        Delivery.objects.bulk_create(
            [Delivery(issue=issue, subscriber_id=pk) for pk in chunk], ignore_conflicts=True
        )
    issue.recipients_ready_at = timezone.now()
    issue.save(update_fields=["recipients_ready_at", "updated_at"])


def _deliveries_fail_orphans(*, issue_id: int) -> int:
    """Rows a dead sender left in `sending`: we cannot know whether they went out."""
    count = Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.FAILED, last_error=str(ORPHANED_ERROR)
    )
    if count:
        logger.warning(
            "newsletter issue %s: %s deliveries orphaned by a dead sender", issue_id, count
        )
    return count


def _issue_finish_if_done(*, issue_id: int) -> bool:
    unfinished = Delivery.objects.filter(
        issue_id=issue_id, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    )
    if unfinished.exists():
        return False
    NewsletterIssue.objects.filter(pk=issue_id, status=NewsletterIssue.Status.SENDING).update(
        status=NewsletterIssue.Status.SENT, sent_at=timezone.now(), lease_owner="", lease_until=None
    )
    return True


class _ServerUnavailable(Exception):
    pass


def _deliver_one(*, issue, articles, delivery: Delivery, connection) -> None:
    """Claim, send and record one delivery; raises _ServerUnavailable to pause the issue."""
    claimed = Delivery.objects.filter(
        pk=delivery.pk,
        status=Delivery.Status.PENDING,
        subscriber__status=Subscriber.Status.CONFIRMED,
    ).update(status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        # Someone else's row now, or the subscriber left after the list was fixed.
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED
        )
        return
    message = issue_message(issue=issue, articles=articles, subscriber=delivery.subscriber)
    try:
        connection.send_messages([message])
    except PERMANENT_ERRORS as error:
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED, last_error=str(error)[:1000]
        )
        return
    except (smtplib.SMTPException, OSError) as error:
        # Nothing was accepted: hand the row back, unless it has had its tries.
        give_up = delivery.attempts + 1 >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.FAILED if give_up else Delivery.Status.PENDING,
            last_error=str(error)[:1000],
        )
        raise _ServerUnavailable from error
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )


def issue_send_batch(*, issue_id: int, previous_owner: str = "") -> tuple[BatchOutcome, str]:
    """Send the next batch of an issue at the configured pace.

    1. Take the issue's lease (or give up: another sender has it).
    2. Fix the recipient list if this is the first batch.
    3. Fail rows a dead sender left in `sending`.
    4. Send up to NEWSLETTER_BATCH_SIZE pending rows, one every 60/NEWSLETTER_SEND_RATE
       seconds, within the time budget, renewing the lease before each.
    5. Mark the issue sent when nothing is pending, else keep the lease for the next batch.

    Returns the outcome and the lease owner to hand to the next batch.
    """
    owner = uuid.uuid4().hex
    if not _lease_acquire(issue_id=issue_id, owner=owner, previous_owner=previous_owner):
        return BatchOutcome.BUSY, ""
    issue = NewsletterIssue.objects.get(pk=issue_id)
    if issue.status != NewsletterIssue.Status.SENDING:
        _lease_release(issue_id=issue_id, owner=owner)
        return BatchOutcome.NOT_SENDING, ""
    _deliveries_prepare(issue_id=issue_id)
    _deliveries_fail_orphans(issue_id=issue_id)

    articles = issue_articles(issue=issue)
    interval = 60 / settings.NEWSLETTER_SEND_RATE
    deadline = time.monotonic() + BATCH_TIME_BUDGET_SECONDS
    batch = list(
        Delivery.objects.filter(issue_id=issue_id, status=Delivery.Status.PENDING)
        .select_related("subscriber")
        .order_by("pk")[: settings.NEWSLETTER_BATCH_SIZE]
    )
    try:
        with mailers.default as connection:
            for position, delivery in enumerate(batch):
                # At least one email per batch, however slow the configured pace.
                if position and time.monotonic() + interval > deadline:
                    break
                time.sleep(interval)
                if not _lease_renew(issue_id=issue_id, owner=owner):
                    return BatchOutcome.BUSY, ""
                _deliver_one(
                    issue=issue, articles=articles, delivery=delivery, connection=connection
                )
    except (_ServerUnavailable, smtplib.SMTPException, OSError):
        # Connecting or sending failed before the server accepted anything of this row.
        logger.warning("newsletter issue %s: mail server unavailable, pausing", issue_id)
        _lease_release(issue_id=issue_id, owner=owner)
        return BatchOutcome.RETRY_LATER, ""
    if _issue_finish_if_done(issue_id=issue_id):
        return BatchOutcome.DONE, ""
    return BatchOutcome.MORE, owner


def issue_sender_ring(*, issue_id: int, owner: str = "") -> None:
    """Start the next batch of the issue now; unpublished, the sweep starts it later."""
    doorbell.ring(SEND_ISSUE_TASK, issue_id, owner)


def issues_stalled_resume() -> int:
    """Restart the sender of every issue whose sender is gone (lease free or expired)."""
    stalled = list(
        NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENDING)
        .filter(Q(lease_owner="") | Q(lease_until__lt=timezone.now()))
        .values_list("pk", flat=True)
    )
    for issue_id in stalled:
        issue_sender_ring(issue_id=issue_id)
    return len(stalled)
