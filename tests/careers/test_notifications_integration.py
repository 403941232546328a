"""Real PostgreSQL, Redis and a Celery worker: the confirmation arrives, even after an outage."""

import email
import logging
from datetime import timedelta
from email.policy import default as default_policy
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from careers.models import Lead, LeadEvent, Notification
from careers.services.notifications import notification_sweep
from careers.tasks.notifications import send_notification_task
from config.celery import app as celery_app
from core import doorbell
from tests.factories import consultation_form_data
from tests.support.processes import drain_queue, task_result, wait_for
from tests.support.tasks import write_marker

pytestmark = pytest.mark.integration

# Nothing listens here: every publish is refused at once, like a stopped Redis.
CLOSED_BROKER = "redis://127.0.0.1:9/0"


def _point_app_at(url: str) -> None:
    celery_app.conf.broker_url = url
    # The connection and producer pools remember the old URL; drop them.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings, real_broker):
    """The web side of the app publishes to a closed port; the worker keeps real Redis.

    Yields a function that brings the broker back.
    """
    working = celery_app.conf.broker_url
    settings.CELERY_BROKER_URL = CLOSED_BROKER
    _point_app_at(CLOSED_BROKER)
    doorbell.reset()

    def broker_back():
        _point_app_at(working)
        # The process would try again by itself after QUIET_SECONDS; tests do not wait.
        doorbell.reset()

    yield broker_back
    broker_back()


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
    notification = Notification.objects.get(lead=lead)
    wait_for(
        lambda: lead.events.filter(kind=LeadEvent.Kind.EMAIL_SENT).exists(),
        timeout=10,
        message="the worker never logged the email",
    )
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
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
    notification = Notification.objects.get(lead=lead)
    assert (notification.status, notification.attempts) == (Notification.Status.PENDING, 0)
    # The worker logs "Task <name>[<id>] received" for each message it takes.
    assert f"{send_notification_task.name}[" not in celery_worker_process.log()
    assert _confirmations_for(celery_worker_process.mail_dir, lead) == []

    broker_down()  # the broker is back
    # The doorbell's minute has passed (rather than waiting it out here).
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=2)
    )
    assert notification_sweep() == 1
    wait_for(
        lambda: _confirmations_for(celery_worker_process.mail_dir, lead),
        timeout=30,
        message="the swept email never went out",
    )
    # A second sweep, and a late duplicate message, change nothing.
    assert notification_sweep() == 0
    duplicate = send_notification_task.delay(notification.pk)
    # The duplicate ran to the end and found the email already sent.
    assert task_result(celery_worker_process, duplicate.id) == repr(Notification.Status.SENT.value)
    assert len(_confirmations_for(celery_worker_process.mail_dir, lead)) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert lead.events.filter(kind=LeadEvent.Kind.EMAIL_SENT).count() == 1


def test_after_a_refused_publish_the_doorbell_stays_quiet_for_a_while(broker_down, settings):
    """One request pays for finding the broker down; the next ones do not even try."""
    assert doorbell.ring(write_marker.name, "/nonexistent", "x") is False
    _point_app_at(settings.REDIS_URL)  # the broker is back; this process has not tried yet
    assert doorbell.ring(write_marker.name, "/nonexistent", "x") is False
    doorbell.reset()
    assert doorbell.ring(write_marker.name, "/nonexistent", "x") is True
    celery_app.control.purge()


def test_the_sweep_sends_in_process_while_the_broker_is_down(
    broker_down, transactional_db, mailoutbox
):
    """`manage.py route_leads` run by hand during an outage still delivers the emails."""
    response = Client().post("/consultation/", consultation_form_data())
    assert response.status_code == HTTPStatus.SEE_OTHER
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert notification_sweep() == 1
    assert [message.to for message in mailoutbox] == [["taro@example.com"]]
    assert Notification.objects.get().status == Notification.Status.SENT
