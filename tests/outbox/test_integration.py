"""Real PostgreSQL, Redis and a Celery worker: the confirmation arrives, even after an outage."""

import email
import logging
from datetime import timedelta
from email.policy import default as default_policy
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from careers.models import Lead, LeadEvent
from outbox.models import Email
from outbox.services import email_sweep
from outbox.tasks import send_email_task
from tests.factories import consultation_form_data
from tests.support.processes import drain_queue, task_result, wait_for

pytestmark = pytest.mark.integration


def _received(mail_dir) -> list[email.message.EmailMessage]:
    """Every message the worker's file backend wrote, parsed."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                messages.append(email.message_from_bytes(raw, policy=default_policy))
    return messages


def _confirmations_for(mail_dir, lead: Lead) -> list[email.message.EmailMessage]:
    return [message for message in _received(mail_dir) if lead.reference in message["Subject"]]


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_submission_brings_the_confirmation_through_the_worker(client, celery_worker_process):
    response = client.post("/consultation/", consultation_form_data(name="<b>山田</b> 太郎"))
    assert response.status_code == HTTPStatus.SEE_OTHER
    lead = Lead.objects.get()
    (message,) = wait_for(
        lambda: _confirmations_for(celery_worker_process.mail_dir, lead),
        timeout=30,
        message="the worker never sent the confirmation",
    )
    assert message["To"] == "taro@example.com"
    body = _text(message)
    assert "<b>山田</b> 太郎 様" in body
    assert lead.reference in body
    assert "1営業日以内" in body
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "&lt;b&gt;山田&lt;/b&gt; 太郎 様" in html
    notification = Email.objects.get(lead=lead)
    wait_for(
        lambda: lead.events.filter(kind=LeadEvent.Kind.EMAIL_SENT).exists(),
        timeout=10,
        message="the worker never logged the email",
    )
    notification.refresh_from_db()
    assert notification.status == Email.Status.SENT
    assert notification.attempts == 1


def test_with_the_broker_down_the_lead_is_safe_and_the_sweep_sends_it_once(
    client, broker_down, celery_worker_process, caplog, tmp_path, settings
):
    with caplog.at_level(logging.INFO, logger="core.doorbell"):
        response = client.post("/consultation/", consultation_form_data())
    assert response.status_code == HTTPStatus.SEE_OTHER
    # The request paid for one refused publish, then left the rest to the sweep unasked.
    doorbell_log = [r for r in caplog.records if r.name == "core.doorbell"]
    refused = [r for r in doorbell_log if r.levelno == logging.WARNING]
    assert len(refused) == 1, [r.getMessage() for r in doorbell_log]
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    lead = Lead.objects.get()
    assert lead.reference in page.content.decode()
    # Whatever reached the worker's email queue before this marker has been taken by now.
    drain_queue(broker_url=settings.REDIS_URL, queue="email", directory=tmp_path)
    notification = Email.objects.get(lead=lead)
    assert (notification.status, notification.attempts) == (Email.Status.PENDING, 0)
    # The worker logs "Task <name>[<id>] received" for each message it takes.
    assert f"{send_email_task.name}[" not in celery_worker_process.log()
    assert _confirmations_for(celery_worker_process.mail_dir, lead) == []

    broker_down()  # the broker is back
    # The doorbell's minute has passed (rather than waiting it out here).
    Email.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=2)
    )
    assert email_sweep() == 1
    wait_for(
        lambda: _confirmations_for(celery_worker_process.mail_dir, lead),
        timeout=30,
        message="the swept email never went out",
    )
    # A second sweep, and a late duplicate message, change nothing.
    assert email_sweep() == 0
    duplicate = send_email_task.delay(notification.pk)
    # The duplicate ran to the end and found the email already sent.
    assert task_result(celery_worker_process, duplicate.id) == repr(Email.Status.SENT.value)
    assert len(_confirmations_for(celery_worker_process.mail_dir, lead)) == 1
    notification.refresh_from_db()
    assert notification.status == Email.Status.SENT
    assert lead.events.filter(kind=LeadEvent.Kind.EMAIL_SENT).count() == 1


def test_the_sweep_sends_in_process_while_the_broker_is_down(
    broker_down, transactional_db, mailoutbox
):
    """`manage.py route_leads` run by hand during an outage still delivers the emails."""
    response = Client().post("/consultation/", consultation_form_data())
    assert response.status_code == HTTPStatus.SEE_OTHER
    Email.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert email_sweep() == 1
    assert [message.to for message in mailoutbox] == [["taro@example.com"]]
    assert Email.objects.get().status == Email.Status.SENT
