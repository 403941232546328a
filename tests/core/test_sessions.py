"""Sessions are purged every night, so an abandoned one does not outlive its expiry for long."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.tasks import sessions_clear_expired_task

pytestmark = pytest.mark.django_db


def test_the_nightly_task_deletes_expired_sessions_and_keeps_live_ones():
    expired, live = SessionStore(), SessionStore()
    for session in (expired, live):
        session["careers_submitted_reference"] = "PW-TEST"
        session.save()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )

    sessions_clear_expired_task()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_beat_runs_the_session_purge_every_night():
    entry = settings.CELERY_BEAT_SCHEDULE["core-clear-expired-sessions"]
    assert entry["task"] == "core.tasks.sessions_clear_expired_task"
    assert entry["schedule"].hour == {4}
