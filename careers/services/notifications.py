"""The email outbox: the database row is the truth, the broker message only a doorbell.

`notification_queue` writes the rendered email in the caller's transaction and rings after
commit; `notification_send` claims a row with a conditional UPDATE, so a duplicated or
redelivered task sends nothing twice; `notification_sweep` sends what the doorbell missed.
"""

import contextlib
import logging
import smtplib
import time
from datetime import timedelta
from email.message import MIMEPart
from email.utils import parseaddr

from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from careers.models import Lead, LeadEvent, Notification
from core import doorbell

logger = logging.getLogger(__name__)

# The task that sends one email, named rather than imported: tasks import services, never
# the reverse (careers.tasks.notifications registers under this very name).
SEND_NOTIFICATION_TASK = "careers.tasks.notifications.send_notification_task"
# Claims, including the first: with the task's backoff (15 s doubling up to 10 min) the
# last attempt comes about 25 minutes after the first.
MAX_ATTEMPTS = 8
# The doorbell had this long to ring before the sweep assumes it never did.
SWEEP_AFTER = timedelta(minutes=1)
# A pending row that failed once waits for its retry message; after this the message is
# taken as lost (longer than the largest backoff).
RETRY_LOST_AFTER = timedelta(minutes=15)
# A `sending` row this old belongs to a worker that died (the task's hard limit is 60 s).
SENDING_STALE_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 200
# How long a worker keeps trying to record "sent" while the database is down; under
# the task's soft time limit (45 s).
SENT_RECORD_PATIENCE_SECONDS = 30
_ERROR_MAX_LENGTH = 1000


class TransientEmailError(Exception):
    """The mail server may accept the message later; the task retries with backoff."""


def _render_text(template_name: str, context: dict) -> str:
    # Text parts and subjects are not HTML: autoescaping would put &amp; in the email.
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def notification_render(
    *, template: str, context: dict, template_dir: str = "careers/email"
) -> tuple[str, str, str]:
    """(subject, text body, HTML body) from templates/<template_dir>/<template>*."""
    base = f"{template_dir}/{template}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(_render_text(f"{base}_subject.txt", context).split())
        body_text = _render_text(f"{base}.txt", context)
        body_html = get_template(f"{base}.html").render(context)
    return subject[:300], body_text, body_html


def notification_queue(
    *,
    key: str,
    kind: str,
    to: list[str],
    template: str,
    context: dict,
    lead: Lead | None = None,
    template_dir: str = "careers/email",
    attachments: list[dict] | None = None,
) -> Notification:
    """Store a rendered email under an idempotency key and ring the worker after commit.

    A second call with the same key returns the first row and sends nothing. Each of
    `attachments` is a text file: {"filename", "content", "mimetype", "params"}.
    """
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    subject, body_text, body_html = notification_render(
        template=template, context=context, template_dir=template_dir
    )
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "kind": kind,
            "to": list(to),
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "lead": lead,
            "attachments": attachments or [],
        },
    )
    if created:
        notification_ring(notification_id=notification.id)
    return notification


def notification_ring(*, notification_id: int) -> None:
    """Publish the send task once the transaction commits; a broker outage is left to the sweep."""
    doorbell.ring_on_commit(SEND_NOTIFICATION_TASK, notification_id)


def _claim(notification_id: int) -> Notification | None:
    """pending → sending (or a stale sending row), in one conditional UPDATE; None if taken."""
    now = timezone.now()
    claimable = Q(status=Notification.Status.PENDING) | Q(
        status=Notification.Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    )
    claimed = (
        Notification.objects.filter(claimable, id=notification_id, attempts__lt=MAX_ATTEMPTS)
        # One UPDATE: of two workers racing for the row, the second matches nothing.
        .update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return Notification.objects.get(id=notification_id)


def _is_transient(error: BaseException) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        # 4xx: "try again later" (greylisting, mailbox busy, too many connections).
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    # Refused or reset connections, timeouts, DNS failures; a worker's soft time limit.
    return isinstance(error, OSError | SoftTimeLimitExceeded)


def _event(notification: Notification, kind: str, **details) -> None:
    if notification.lead_id is None:
        return
    LeadEvent.objects.create(
        lead_id=notification.lead_id,
        kind=kind,
        details={"notification_id": notification.id, "email_kind": notification.kind, **details},
    )


def _mark_failed(notification: Notification, error: str) -> None:
    with transaction.atomic():
        updated = Notification.objects.filter(
            id=notification.id, status=Notification.Status.SENDING
        ).update(status=Notification.Status.FAILED, last_error=error)
        if updated:
            _event(notification, LeadEvent.Kind.EMAIL_FAILED, error=error)
    logger.error("notification %s failed for good: %s", notification.id, error)


def notification_send(*, notification_id: int) -> str:
    """Send one outbox row if nobody else has; return its status afterwards.

    1. Claim it (pending → sending) with a conditional UPDATE; a lost race sends nothing.
    2. In one transaction, mark it sent and log EMAIL_SENT, then send the text and HTML
       parts; the commit follows the send at once. A worker killed before the commit
       rolls the mark back (the sweep sends it later); only a kill during the COMMIT
       itself can still leave a sent email unmarked.
    A transient error puts it back to pending and raises TransientEmailError (the task retries);
    a permanent one, or the last attempt, marks it failed and logs EMAIL_FAILED.
    """
    notification = _claim(notification_id)
    if notification is None:
        status = (
            Notification.objects.filter(id=notification_id).values_list("status", flat=True).first()
        )
        return status or "missing"
    message = _message(notification)
    sent = False
    try:
        with transaction.atomic():
            _mark_sent(notification)
            message.send()
            sent = True
    except (OperationalError, InterfaceError):
        if not sent:
            # Nothing went out; the claimed row is retried by the sweep once it looks stale.
            raise
        # The email went out but its commit failed: record it as soon as the database answers.
        _record_sent(notification)
    except Exception as error:
        described = f"{type(error).__name__}: {error}"[:_ERROR_MAX_LENGTH]
        if _is_transient(error) and notification.attempts < MAX_ATTEMPTS:
            Notification.objects.filter(
                id=notification.id, status=Notification.Status.SENDING
            ).update(status=Notification.Status.PENDING, last_error=described)
            logger.warning("notification %s will be retried: %s", notification.id, described)
            raise TransientEmailError(described) from error
        _mark_failed(notification, described)
        return Notification.Status.FAILED
    return Notification.Status.SENT


def _message(notification: Notification) -> EmailMultiAlternatives:
    sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=notification.to,
        reply_to=[settings.CONTACT_EMAIL],
        # The same Message-ID on every attempt, so mail clients that see a rare second
        # copy (a worker killed mid-commit) show it as one message.
        headers={"Message-ID": f"<notification-{notification.id}@{sender_domain}>"},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    for attachment in notification.attachments:
        message.attach(_attachment_part(attachment))
    return message


def _attachment_part(attachment: dict) -> MIMEPart:
    # A part of our own, because Django's attach() cannot add Content-Type parameters
    # such as the `method=REQUEST` that mail clients read to show an invitation.
    _maintype, subtype = attachment["mimetype"].split("/", 1)
    part = MIMEPart()
    part.set_content(
        attachment["content"],
        subtype=subtype,
        charset="utf-8",
        disposition="attachment",
        filename=attachment["filename"],
        params=attachment.get("params") or None,
    )
    return part


def _mark_sent(notification: Notification) -> None:
    Notification.objects.filter(id=notification.id).update(
        status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    _event(notification, LeadEvent.Kind.EMAIL_SENT)


def _record_sent(notification: Notification) -> None:
    """Mark the row sent, waiting out a short database outage.

    The email is already out: giving up here would leave the row `sending`, and the sweep
    would send it again once it looks stale. Only an outage longer than the patience
    (bounded by the task's soft time limit) can still cause a second copy.
    """
    deadline = time.monotonic() + SENT_RECORD_PATIENCE_SECONDS
    delay = 0.2
    while True:
        try:
            with transaction.atomic():
                _mark_sent(notification)
        except (OperationalError, InterfaceError):
            if time.monotonic() + delay > deadline:
                logger.critical("notification %s was sent but cannot be marked", notification.id)
                raise
            logger.warning("notification %s sent; database unavailable, retrying", notification.id)
            # The broken connection must go, so the next attempt opens a fresh one.
            connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 5)
        else:
            return


def notification_sweep(*, now=None) -> int:
    """Ring again for every email the doorbell missed; return how many were rung.

    1. Pending rows older than a minute never claimed (the broker was down at commit).
    2. Pending rows whose retry message is long overdue (lost while the broker was down).
    3. `sending` rows of a dead worker; past their last attempt they are marked failed.
    When the broker is down too, the rows are sent right here instead.
    """
    now = now or timezone.now()
    stale_sending = Notification.objects.filter(
        status=Notification.Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    )
    for notification in stale_sending.filter(attempts__gte=MAX_ATTEMPTS):
        _mark_failed(notification, "the worker stopped while sending (no attempts left)")
    due = (
        Notification.objects.filter(
            Q(status=Notification.Status.PENDING, created_at__lt=now - SWEEP_AFTER)
            & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - RETRY_LOST_AFTER))
        )
        | stale_sending.filter(attempts__lt=MAX_ATTEMPTS)
    ).order_by("created_at")
    due_ids = list(due.values_list("id", flat=True)[:SWEEP_BATCH])
    broker_down = False
    for notification_id in due_ids:
        if not broker_down:
            broker_down = not _publish(notification_id)
        if broker_down:
            # A transient error leaves the row pending for the next sweep.
            with contextlib.suppress(TransientEmailError):
                notification_send(notification_id=notification_id)
    if due_ids:
        logger.info("notification sweep rang for %d emails", len(due_ids))
    return len(due_ids)


def _publish(notification_id: int) -> bool:
    try:
        return doorbell.ring(SEND_NOTIFICATION_TASK, notification_id)
    except (TransientEmailError, Retry):
        # Eager mode (no broker configured) ran the task right here; it is pending again.
        return True
