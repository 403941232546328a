"""The email outbox: the database row is the truth, the broker message only a doorbell.

`email_queue` writes the rendered email in the caller's transaction and rings after commit;
`email_queue_unrendered` does the same with only the templates' name and values, for web
requests, and the sending worker renders it (outbox.rendering); `email_send` claims a row
with a conditional UPDATE, so a duplicated or redelivered task sends nothing twice;
`email_sweep` sends what the doorbell missed. The outcome reaches other apps through
outbox.signals, so the outbox imports none of them.
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
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from core import doorbell
from outbox.connection import mail_send
from outbox.mime import OutboxMessage
from outbox.models import Email
from outbox.rendering import SUBJECT_MAX_LENGTH, email_render, email_render_stored, storable
from outbox.signals import email_failed, email_sent

logger = logging.getLogger(__name__)

# The task that sends one email, named rather than imported: tasks import services, never
# the reverse (outbox.tasks registers under this very name).
SEND_TASK = "outbox.tasks.send_email_task"
# The task that sends several, rung once for the emails one together() block queued or handed
# on (a lead's confirmation and its advisor's email, after routing).
SEND_MANY_TASK = "outbox.tasks.send_emails_task"
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


def email_queue(
    *,
    key: str,
    kind: str,
    to: list[str],
    template: str,
    context: dict,
    about: Model | None = None,
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> Email:
    """Render an email from templates and queue it (see email_queue_rendered).

    `template` names the templates without their endings (see email_render).
    """
    existing = Email.objects.filter(key=key).first()
    if existing is not None:
        # Rendering is the expensive part; a repeated request skips it.
        return existing
    subject, body_text, body_html = email_render(template=template, context=context)
    return email_queue_rendered(
        key=key,
        kind=kind,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        about=about,
        attachments=attachments,
        headers=headers,
    )


def email_queue_rendered(
    *,
    key: str,
    kind: str,
    to: list[str],
    subject: str,
    body_text: str,
    body_html: str = "",
    about: Model | None = None,
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> Email:
    """Store an email under an idempotency key and ring the worker after commit.

    `about` is what the email reports, found again by personal-data requests. Each of
    `attachments` is a text file: {"filename", "content", "mimetype", "params"}; `headers`
    are added to the message (List-Unsubscribe). A second call with the same key returns
    the first row and sends nothing.
    """
    return _email_store(
        key=key,
        kind=kind,
        to=to,
        about=about,
        subject=subject[:SUBJECT_MAX_LENGTH],
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
        headers=headers or {},
    )


def email_queue_unrendered(
    *,
    key: str,
    kind: str,
    to: list[str],
    template: str,
    context: dict,
    about: Model | None = None,
    ring: bool = True,
) -> Email:
    """Queue an email that the worker sending it renders (see email_render): a web request,
    or a transaction holding a lock, stores one small row and renders nothing.

    `context` is plain data (text, numbers, lists, dicts, aware datetimes), kept in the row
    until the email is sent, then replaced by what was sent; erasure scrubs it like the bodies.
    With `ring=False` the caller hands the row's id to a task that rings it (email_ring)
    later; if that message is lost, the sweep sends the row after SWEEP_AFTER.
    """
    return _email_store(
        key=key,
        kind=kind,
        to=to,
        about=about,
        ring=ring,
        template=template,
        context=storable(context),
    )


def _email_store(
    *, key: str, kind: str, to: list[str], about: Model | None, ring: bool = True, **content
) -> Email:
    try:
        # The INSERT alone, not get_or_create's SELECT first: a key is new but for a repeated
        # request, and the savepoint turns that one into a lookup.
        with transaction.atomic():
            email = Email.objects.create(key=key, kind=kind, to=list(to), about=about, **content)
    except IntegrityError:
        existing = Email.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing
    if ring:
        email_ring(email_id=email.id)
    return email


def email_ring(*, email_id: int) -> None:
    """Publish the send task once the transaction commits; a broker outage is left to the sweep.

    Inside doorbell.together(), the emails rung go out as one message of SEND_MANY_TASK.
    """
    doorbell.ring_on_commit(SEND_TASK, email_id, batch_task=SEND_MANY_TASK)


# The claim (pending → sending, or a stale sending row) and the row it took, in one
# statement: "UPDATE … RETURNING" read the row in the same conditional UPDATE that takes it,
# where the ORM needs an UPDATE and then a SELECT. Of two workers racing for the row, the
# second matches nothing and gets no row back.
_CLAIM_SQL = f"""
    UPDATE {Email._meta.db_table}
    SET status = %(sending)s, claimed_at = %(now)s, attempts = attempts + 1
    WHERE id = %(id)s AND attempts < %(max_attempts)s
      AND (status = %(pending)s OR (status = %(sending)s AND claimed_at < %(stale_before)s))
    RETURNING *
"""  # noqa: S608 - the table name is ours; every value is a parameter


def _claim(email_id: int) -> Email | None:
    """pending → sending (or a stale sending row), in one conditional UPDATE; None if taken."""
    now = timezone.now()
    claimed = Email.objects.raw(
        _CLAIM_SQL,
        {
            "id": email_id,
            "now": now,
            "stale_before": now - SENDING_STALE_AFTER,
            "max_attempts": MAX_ATTEMPTS,
            "pending": Email.Status.PENDING,
            "sending": Email.Status.SENDING,
        },
    )
    return next(iter(claimed), None)


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


def _mark_failed(email: Email, error: str) -> None:
    with transaction.atomic():
        updated = Email.objects.filter(id=email.id, status=Email.Status.SENDING).update(
            status=Email.Status.FAILED, last_error=error
        )
        if updated:
            email_failed.send(sender=Email, email=email, error=error)
    logger.error("email %s failed for good: %s", email.id, error)


def email_send(*, email_id: int) -> str:
    """Send one outbox row if nobody else has; return its status afterwards.

    1. Claim it (pending → sending) with a conditional UPDATE; a lost race sends nothing.
    2. In one transaction, mark it sent and send `email_sent` (careers logs EMAIL_SENT),
       then send the text and HTML parts; the commit follows the send at once. A worker
       killed before the commit rolls the mark back (the sweep sends it later); only a
       kill during the COMMIT itself can still leave a sent email unmarked.
    A transient error puts it back to pending and raises TransientEmailError (the task retries);
    a permanent one, or the last attempt, marks it failed and sends `email_failed`.
    """
    email = _claim(email_id)
    if email is None:
        status = Email.objects.filter(id=email_id).values_list("status", flat=True).first()
        return status or "missing"
    sent = False
    try:
        rendered = email_render_stored(email)
        message = _message(email)
        with transaction.atomic():
            _mark_sent(email, rendered=rendered)
            mail_send(message)
            sent = True
    except (OperationalError, InterfaceError):
        if not sent:
            # Nothing went out; the claimed row is retried by the sweep once it looks stale.
            raise
        # The email went out but its commit failed: record it as soon as the database answers.
        _record_sent(email, rendered=rendered)
    except Exception as error:
        described = f"{type(error).__name__}: {error}"[:_ERROR_MAX_LENGTH]
        if _is_transient(error) and email.attempts < MAX_ATTEMPTS:
            Email.objects.filter(id=email.id, status=Email.Status.SENDING).update(
                status=Email.Status.PENDING, last_error=described
            )
            logger.warning("email %s will be retried: %s", email.id, described)
            raise TransientEmailError(described) from error
        _mark_failed(email, described)
        return Email.Status.FAILED
    return Email.Status.SENT


def _message(email: Email) -> OutboxMessage:
    sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    message = OutboxMessage(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        reply_to=[settings.CONTACT_EMAIL],
        # The same Message-ID on every attempt, so mail clients that see a rare second
        # copy (a worker killed mid-commit) show it as one message. The prefix predates the
        # outbox app: rows sent before and after the move keep one form.
        headers={**email.headers, "Message-ID": f"<notification-{email.id}@{sender_domain}>"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
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


def _mark_sent(email: Email, *, rendered: dict) -> None:
    Email.objects.filter(id=email.id).update(
        status=Email.Status.SENT, sent_at=timezone.now(), last_error="", **rendered
    )
    email_sent.send(sender=Email, email=email)


def _record_sent(email: Email, *, rendered: dict) -> None:
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
                _mark_sent(email, rendered=rendered)
        except (OperationalError, InterfaceError):
            if time.monotonic() + delay > deadline:
                logger.critical("email %s was sent but cannot be marked", email.id)
                raise
            logger.warning("email %s sent; database unavailable, retrying", email.id)
            # The broken connection must go, so the next attempt opens a fresh one.
            connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 5)
        else:
            return


def email_sweep(*, now=None) -> int:
    """Ring again for every email the doorbell missed; return how many were rung.

    1. Pending rows older than a minute never claimed (the broker was down at commit).
    2. Pending rows whose retry message is long overdue (lost while the broker was down).
    3. `sending` rows of a dead worker; past their last attempt they are marked failed.
    When the broker is down too, the rows are sent right here instead.
    """
    now = now or timezone.now()
    stale_sending = Email.objects.filter(
        status=Email.Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    )
    for email in stale_sending.filter(attempts__gte=MAX_ATTEMPTS):
        _mark_failed(email, "the worker stopped while sending (no attempts left)")
    due = (
        Email.objects.filter(
            Q(status=Email.Status.PENDING, created_at__lt=now - SWEEP_AFTER)
            & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - RETRY_LOST_AFTER))
        )
        | stale_sending.filter(attempts__lt=MAX_ATTEMPTS)
    ).order_by("created_at")
    due_ids = list(due.values_list("id", flat=True)[:SWEEP_BATCH])
    broker_down = False
    for email_id in due_ids:
        if not broker_down:
            broker_down = not _publish(email_id)
        if broker_down:
            # A transient error leaves the row pending for the next sweep.
            with contextlib.suppress(TransientEmailError):
                email_send(email_id=email_id)
    if due_ids:
        logger.info("email sweep rang for %d emails", len(due_ids))
    return len(due_ids)


def _publish(email_id: int) -> bool:
    try:
        return doorbell.ring(SEND_TASK, email_id)
    except (TransientEmailError, Retry):
        # Eager mode (no broker configured) ran the task right here; it is pending again.
        return True
