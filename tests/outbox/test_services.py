"""The outbox: rendered once, sent once, retried when the server says later, swept when lost."""

import smtplib
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from celery.schedules import maybe_schedule
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import timezone

from careers.models import LeadEvent
from config.celery import app as celery_app
from outbox.models import Email
from outbox.services import (
    MAX_ATTEMPTS,
    SEND_TASK,
    TransientEmailError,
    email_queue,
    email_send,
    email_sweep,
)
from outbox.tasks import email_sweep_task, send_email_task, send_emails_task
from tests.factories import LeadFactory, lead_submit

pytestmark = pytest.mark.django_db


class FlakyBackend(LocmemBackend):
    """A mail server that fails with the queued errors first, then accepts (into mail.outbox)."""

    errors: list[BaseException] = []

    def send_messages(self, messages):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings, mailoutbox):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyBackend"}}
    FlakyBackend.errors = []
    yield FlakyBackend.errors
    FlakyBackend.errors = []


def _lead_with_confirmation(**overrides):
    lead = lead_submit(**{"interest": "web3", **overrides})
    return lead, Email.objects.get(lead=lead)


def _lead_with_sent_confirmation(**overrides):
    """The confirmation as the worker sent it: the request stores its values, not its text."""
    lead, notification = _lead_with_confirmation(**overrides)
    assert email_send(email_id=notification.pk) == Email.Status.SENT
    notification.refresh_from_db()
    return lead, notification


def _age(notification, *, created=None, claimed=None, status=None):
    now = timezone.now()
    changes = {}
    if created is not None:
        changes["created_at"] = now - created
    if claimed is not None:
        changes["claimed_at"] = now - claimed
    if status is not None:
        changes["status"] = status
    Email.objects.filter(pk=notification.pk).update(**changes)


def test_the_confirmation_is_japanese_with_reference_interest_next_steps_and_contact(settings):
    settings.CONTACT_EMAIL = "help@plusweb3.example"
    lead, notification = _lead_with_sent_confirmation(contact_method="phone")
    assert notification.subject == (
        f"【Plus Web3】無料キャリア相談のお申し込みを受け付けました(受付番号 {lead.reference})"
    )
    for part in (notification.body_text, notification.body_html):
        assert "山田 太郎 様" in part
        assert lead.reference in part
        assert "Web3業界" in part
        assert "電話" in part
        assert "1営業日以内に、担当のキャリアアドバイザーからご連絡します。" in part
        assert "help@plusweb3.example" in part
    assert notification.body_html.lstrip().startswith("<!DOCTYPE html>")


def test_markup_is_escaped_in_the_html_part_and_plain_in_the_text_part():
    attack = "<script>alert('x')</script> & Co."
    _lead, notification = _lead_with_sent_confirmation(name=attack)
    assert "<script>" not in notification.body_html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co." in notification.body_html
    # The text part is not HTML: entities there would be garbage, and nothing runs in it.
    assert f"{attack} 様" in notification.body_text
    assert "&lt;" not in notification.body_text
    assert "&amp;" not in notification.body_text


def test_the_sent_email_has_both_parts_and_a_reply_to(mailoutbox):
    _lead, notification = _lead_with_sent_confirmation()
    (message,) = mailoutbox
    assert message.to == ["taro@example.com"]
    assert message.reply_to == ["support@plusweb3.example"]
    assert message.body == notification.body_text
    assert message.alternatives[0].content == notification.body_html
    assert message.alternatives[0].mimetype == "text/html"


def test_the_request_renders_no_email_and_the_row_keeps_what_the_worker_sent(mailoutbox):
    lead, notification = _lead_with_confirmation()
    # The request stored the templates' values only; nothing was rendered in it.
    assert (notification.subject, notification.body_text, notification.body_html) == ("", "", "")
    assert notification.template == "careers/email/candidate_confirmation"
    assert notification.context["reference"] == lead.reference
    assert email_send(email_id=notification.pk) == Email.Status.SENT
    notification.refresh_from_db()
    (message,) = mailoutbox
    assert (notification.subject, notification.body_text) == (message.subject, message.body)
    assert lead.reference in notification.subject
    # What was sent is the truth now: the values go, as a rendered email never had them.
    assert (notification.template, notification.context) == ("", {})


def test_an_unrenderable_email_fails_for_good_instead_of_retrying(mailoutbox):
    _lead, notification = _lead_with_confirmation()
    Email.objects.filter(pk=notification.pk).update(template="careers/email/no_such_email")
    assert email_send(email_id=notification.pk) == Email.Status.FAILED
    notification.refresh_from_db()
    assert "TemplateDoesNotExist" in notification.last_error
    assert mailoutbox == []


def test_queueing_the_same_key_twice_is_a_no_op(django_capture_on_commit_callbacks):
    lead = LeadFactory()
    arguments = {
        "key": f"lead:{lead.pk}:confirmation",
        "kind": "lead_confirmation",
        "to": [lead.email],
        "template": "careers/email/candidate_confirmation",
        "context": {"name": "一回目", "reference": lead.reference},
        "about": lead,
    }
    with django_capture_on_commit_callbacks() as callbacks:
        first = email_queue(**arguments)
        second = email_queue(**{**arguments, "context": {"name": "二回目"}})
    assert first == second
    assert Email.objects.count() == 1
    assert "一回目" in second.body_text
    assert len(callbacks) == 1


def test_the_email_is_sent_once_even_when_the_task_runs_twice(mailoutbox):
    lead, notification = _lead_with_confirmation()
    assert send_email_task.apply(args=[notification.pk]).get() == "sent"
    assert send_email_task.apply(args=[notification.pk]).get() == "sent"
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.status == Email.Status.SENT
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert lead.events.filter(kind=LeadEvent.Kind.EMAIL_SENT).count() == 1


def test_emails_rung_together_are_each_sent_once_even_when_the_message_comes_twice(mailoutbox):
    _lead, first = _lead_with_confirmation(email="first@example.com")
    _lead, second = _lead_with_confirmation(email="second@example.com")
    assert send_emails_task.apply(args=[[first.pk, second.pk]]).get() == ["sent", "sent"]
    assert send_emails_task.apply(args=[[first.pk, second.pk]]).get() == ["sent", "sent"]
    assert [message.to for message in mailoutbox] == [["first@example.com"], ["second@example.com"]]


def test_one_of_emails_rung_together_failing_for_now_is_retried_alone(
    flaky_mail, mailoutbox, doorbell_rings
):
    """The other is sent once; the failed one gets send_email_task's first retry, backoff
    included, and its later retries carry on from there."""
    _lead, refused = _lead_with_confirmation(email="refused@example.com")
    _lead, accepted = _lead_with_confirmation(email="accepted@example.com")
    flaky_mail.append(smtplib.SMTPResponseException(451, b"Greylisted, try again later"))
    assert send_emails_task.apply(args=[[refused.pk, accepted.pk]]).get() == ["retrying", "sent"]
    assert [message.to for message in mailoutbox] == [["accepted@example.com"]]
    assert doorbell_rings.pending == [(SEND_TASK, (refused.pk,))]
    (options,) = doorbell_rings.options
    assert 0 <= options["countdown"] <= 15
    assert options["retries"] == 1
    doorbell_rings.run()
    assert [message.to for message in mailoutbox] == [
        ["accepted@example.com"],
        ["refused@example.com"],
    ]
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (Email.Status.SENT, 2)


def test_a_row_another_worker_is_sending_is_left_alone(mailoutbox):
    _lead, notification = _lead_with_confirmation()
    _age(notification, status=Email.Status.SENDING, claimed=timedelta(seconds=5))
    assert email_send(email_id=notification.pk) == Email.Status.SENDING
    assert mailoutbox == []


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPConnectError(421, b"Too many connections"),
        smtplib.SMTPResponseException(451, b"Greylisted, try again later"),
        smtplib.SMTPRecipientsRefused({"taro@example.com": (452, b"Mailbox full")}),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
    ],
    ids=["disconnected", "connect-421", "greylisted-451", "recipient-452", "refused", "timeout"],
)
def test_a_transient_error_puts_the_email_back_for_a_retry(flaky_mail, mailoutbox, error):
    lead, notification = _lead_with_confirmation()
    flaky_mail.append(error)
    with pytest.raises(TransientEmailError):
        email_send(email_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Email.Status.PENDING
    assert notification.attempts == 1
    assert type(error).__name__ in notification.last_error
    assert not lead.events.filter(kind=LeadEvent.Kind.EMAIL_FAILED).exists()
    assert email_send(email_id=notification.pk) == Email.Status.SENT
    assert len(mailoutbox) == 1


def test_the_task_retries_transient_errors_with_backoff_until_the_server_accepts(
    flaky_mail, mailoutbox
):
    lead, notification = _lead_with_confirmation()
    flaky_mail.extend([smtplib.SMTPServerDisconnected("bye"), TimeoutError("slow")])
    for attempt in (1, 2):
        # Each failure schedules a retry: 15 s, then 30 s, … (jittered, at most 10 minutes).
        with pytest.raises(Retry) as retry:
            send_email_task.apply(args=[notification.pk], retries=attempt - 1)
        assert isinstance(retry.value.exc, TransientEmailError)
        assert 0 <= retry.value.when <= 15 * 2 ** (attempt - 1)
    assert send_email_task.apply(args=[notification.pk], retries=2).get() == "sent"
    notification.refresh_from_db()
    assert notification.status == Email.Status.SENT
    assert notification.attempts == 3
    assert len(mailoutbox) == 1
    assert lead.events.filter(kind=LeadEvent.Kind.EMAIL_SENT).count() == 1


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPResponseException(550, b"No such user"),
        smtplib.SMTPRecipientsRefused({"taro@example.com": (550, b"User unknown")}),
        smtplib.SMTPAuthenticationError(535, b"Bad credentials"),
        ValueError("Header values may not contain linefeed"),
    ],
    ids=["550", "recipient-550", "auth-535", "bug"],
)
def test_a_permanent_failure_is_recorded_on_the_lead(flaky_mail, mailoutbox, error):
    lead, notification = _lead_with_confirmation()
    flaky_mail.append(error)
    assert email_send(email_id=notification.pk) == Email.Status.FAILED
    notification.refresh_from_db()
    assert notification.status == Email.Status.FAILED
    failed = lead.events.get(kind=LeadEvent.Kind.EMAIL_FAILED)
    assert failed.details["notification_id"] == notification.pk
    assert type(error).__name__ in failed.details["error"]
    # A failed email is not retried by anyone.
    assert email_send(email_id=notification.pk) == Email.Status.FAILED
    assert email_sweep(now=timezone.now() + timedelta(hours=1)) == 0
    assert mailoutbox == []


def test_the_last_transient_failure_gives_up_and_records_it(flaky_mail):
    lead, notification = _lead_with_confirmation()
    Email.objects.filter(pk=notification.pk).update(attempts=MAX_ATTEMPTS - 1)
    flaky_mail.append(smtplib.SMTPServerDisconnected("still down"))
    assert email_send(email_id=notification.pk) == Email.Status.FAILED
    assert lead.events.filter(kind=LeadEvent.Kind.EMAIL_FAILED).count() == 1


def test_the_sweep_sends_pending_emails_older_than_a_minute(mailoutbox, doorbell_rings):
    _lead, fresh = _lead_with_confirmation(email="fresh@example.com")
    _lead, lost = _lead_with_confirmation(email="lost@example.com")
    _age(lost, created=timedelta(minutes=2))
    assert email_sweep_task.apply().get() == 1
    assert doorbell_rings.pending == [(SEND_TASK, (lost.id,))]
    doorbell_rings.run()
    assert [message.to for message in mailoutbox] == [["lost@example.com"]]
    fresh.refresh_from_db()
    assert fresh.status == Email.Status.PENDING


def test_the_sweep_leaves_a_retry_alone_until_its_message_is_overdue(mailoutbox, doorbell_rings):
    _lead, waiting = _lead_with_confirmation(email="waiting@example.com")
    _lead, overdue = _lead_with_confirmation(email="overdue@example.com")
    _age(waiting, created=timedelta(minutes=10), claimed=timedelta(minutes=2))
    _age(overdue, created=timedelta(minutes=30), claimed=timedelta(minutes=20))
    assert email_sweep() == 1
    assert doorbell_rings.pending == [(SEND_TASK, (overdue.id,))]
    doorbell_rings.run()
    assert [message.to for message in mailoutbox] == [["overdue@example.com"]]


def test_the_sweep_takes_over_from_a_worker_that_died_while_sending(mailoutbox, doorbell_rings):
    _lead, busy = _lead_with_confirmation(email="busy@example.com")
    _lead, orphan = _lead_with_confirmation(email="orphan@example.com")
    _age(busy, created=timedelta(minutes=10), claimed=timedelta(seconds=30), status="sending")
    _age(orphan, created=timedelta(minutes=10), claimed=timedelta(minutes=6), status="sending")
    assert email_sweep() == 1
    assert doorbell_rings.pending == [(SEND_TASK, (orphan.id,))]
    doorbell_rings.run()
    assert [message.to for message in mailoutbox] == [["orphan@example.com"]]
    busy.refresh_from_db()
    assert busy.status == Email.Status.SENDING


def test_a_dead_workers_last_attempt_is_marked_failed_by_the_sweep(mailoutbox):
    lead, orphan = _lead_with_confirmation()
    _age(orphan, created=timedelta(minutes=30), claimed=timedelta(minutes=6), status="sending")
    Email.objects.filter(pk=orphan.pk).update(attempts=MAX_ATTEMPTS)
    assert email_sweep() == 0
    orphan.refresh_from_db()
    assert orphan.status == Email.Status.FAILED
    assert lead.events.filter(kind=LeadEvent.Kind.EMAIL_FAILED).count() == 1
    assert mailoutbox == []


def test_an_email_without_a_lead_is_sent_without_an_event(mailoutbox):
    notification = email_queue(
        key="test:no-lead",
        kind="test",
        to=["someone@example.com"],
        template="careers/email/candidate_confirmation",
        context={"name": "読者", "reference": "PW-TEST-0000"},
    )
    assert email_send(email_id=notification.pk) == "sent"
    assert not LeadEvent.objects.exists()
    assert len(mail.outbox) == 1


def test_the_beat_schedule_runs_the_sweep_every_minute():
    entry = celery_app.conf.beat_schedule["outbox-sweep"]
    assert entry["task"] == email_sweep_task.name
    every = maybe_schedule(entry["schedule"], app=celery_app)
    now = every.now()
    assert not every.is_due(now - timedelta(seconds=58)).is_due
    assert every.is_due(now - timedelta(seconds=61)).is_due
