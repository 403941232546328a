"""The weekly 「新着案件」 digest: last week's new open projects of each subscriber's field,
sent through the outbox once per (digest, subscriber)."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app as celery_app
from newsletter.models import Subscriber
from newsletter.project_digest import DIGEST_KIND, digest_week_for, project_digest_send
from outbox.models import Email
from outbox.services import SEND_TASK
from tests.factories import ProjectFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def week():
    return digest_week_for(now=timezone.now())


@pytest.fixture
def last_weeks_projects(week):
    """Opened last week: one per field; and the projects a digest must leave out."""
    opened = week.since + timedelta(days=2)
    ProjectFactory(title="LLM評価基盤の開発", field="ai", opened_at=opened)
    ProjectFactory(title="NFTマーケットの開発", field="web3", opened_at=opened)
    ProjectFactory(title="オンチェーンAIエージェント", field="both", opened_at=opened)
    ProjectFactory(title="先々週の案件", field="both", opened_at=week.since - timedelta(hours=1))
    ProjectFactory(title="今週の案件", field="both", opened_at=week.until + timedelta(minutes=1))
    ProjectFactory(title="もう成約した案件", field="both", opened_at=opened, status="filled")
    ProjectFactory(
        title="締切を過ぎた案件", field="both", opened_at=opened, closes_at=timezone.now()
    )


def _digests(mailoutbox):
    return {message.to[0]: message for message in mailoutbox if "新着案件" in message.subject}


def test_each_subscriber_gets_the_new_projects_of_their_field_once(
    last_weeks_projects, mailoutbox, django_capture_on_commit_callbacks, doorbell_rings
):
    SubscriberFactory(email="ai@example.com", topics="ai", project_alerts=True)
    SubscriberFactory(email="web3@example.com", topics="web3", project_alerts=True)
    SubscriberFactory(email="both@example.com", topics="both", project_alerts=True)
    SubscriberFactory(email="articles-only@example.com", topics="both")
    SubscriberFactory(email="left@example.com", status="unsubscribed", project_alerts=True)
    SubscriberFactory(email="pending@example.com", status="pending", project_alerts=True)

    with django_capture_on_commit_callbacks(execute=True):
        first = project_digest_send()
    assert doorbell_rings.run() == [SEND_TASK] * 3
    with django_capture_on_commit_callbacks(execute=True):
        second = project_digest_send()
    assert doorbell_rings.pending == []

    assert (first, second) == (3, 0)
    digests = _digests(mailoutbox)
    assert len(mailoutbox) == 3
    assert set(digests) == {"ai@example.com", "web3@example.com", "both@example.com"}
    ai, both = digests["ai@example.com"].body, digests["both@example.com"].body
    assert "LLM評価基盤の開発" in ai
    assert "オンチェーンAIエージェント" in ai
    assert "NFTマーケットの開発" not in ai
    for title in ("LLM評価基盤の開発", "NFTマーケットの開発", "オンチェーンAIエージェント"):
        assert title in both
    for left_out in ("先々週の案件", "今週の案件", "もう成約した案件", "締切を過ぎた案件"):
        assert left_out not in both
    assert digests["ai@example.com"].subject == "新着案件 2件 | AI・Web3 Insight"
    assert "/projects/?field=ai&utm_source=newsletter" in ai
    subscriber = Subscriber.objects.get(email="ai@example.com")
    assert subscriber.unsubscribe_url() in ai
    headers = digests["ai@example.com"].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert subscriber.unsubscribe_url() in headers["List-Unsubscribe"]
    assert Email.objects.filter(kind=DIGEST_KIND).count() == 3


def test_a_week_without_new_projects_of_a_field_sends_that_field_nothing(
    week, mailoutbox, django_capture_on_commit_callbacks, doorbell_rings
):
    ProjectFactory(title="Web3だけの新着", field="web3", opened_at=week.since + timedelta(days=1))
    SubscriberFactory(email="ai@example.com", topics="ai", project_alerts=True)
    SubscriberFactory(email="web3@example.com", topics="web3", project_alerts=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert project_digest_send() == 1
    assert doorbell_rings.run() == [SEND_TASK]

    assert set(_digests(mailoutbox)) == {"web3@example.com"}


def test_the_digest_is_named_by_its_week_so_a_run_the_next_week_is_a_new_digest(week):
    later_the_same_week = digest_week_for(now=week.until + timedelta(days=6, hours=23))
    next_week = digest_week_for(now=week.until + timedelta(days=7))

    assert later_the_same_week == week
    assert next_week.since == week.until
    assert next_week.label != week.label


def test_a_beat_entry_runs_the_digest_task_weekly():
    entry = settings.CELERY_BEAT_SCHEDULE["newsletter-project-digest"]

    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].day_of_week == {1}


def test_readers_choose_the_topic_on_signup_and_change_it_in_their_preferences(client, signup):
    signup(email="freelancer@example.com", topics="web3", project_alerts="on")
    subscriber = Subscriber.objects.get()
    assert subscriber.project_alerts is True
    assert "新着案件" in client.get("/newsletter/").content.decode()

    Subscriber.objects.filter(pk=subscriber.pk).update(
        status="confirmed", confirmed_at=timezone.now()
    )
    url = f"/newsletter/preferences/{subscriber.token}/"
    page = client.get(url).content.decode()
    assert 'name="project_alerts" id="id_project_alerts" checked' in page

    response = client.post(url, {"topics": "web3"})

    assert response.status_code == HTTPStatus.FOUND
    subscriber.refresh_from_db()
    assert subscriber.project_alerts is False
