"""The 「新着案件」 digest task delivered twice to a real worker: one email per subscriber.

Real Redis, real PostgreSQL, a real worker process that writes each email to a file.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from newsletter.project_digest import DIGEST_KIND, digest_week_for
from newsletter.tasks import send_project_digest_task
from outbox.models import Email
from tests.factories import ProjectFactory, SubscriberFactory
from tests.newsletter.test_sending_integration import delivered
from tests.support.processes import task_result, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 6


def test_the_weekly_digest_reaches_each_subscriber_once_when_its_task_runs_twice(
    celery_worker_process,
):
    week = digest_week_for(now=timezone.now())
    ProjectFactory(title="DeFiプロトコルの監査", field="web3", opened_at=week.since + timedelta(1))
    subscribers = [
        SubscriberFactory(email=f"freelancer{n}@example.com", project_alerts=True)
        for n in range(SUBSCRIBERS)
    ]

    # The same message twice, as a redelivery (acks_late) or a doubled beat would send it.
    runs = [send_project_digest_task.delay() for _ in range(2)]
    for run in runs:
        task_result(celery_worker_process, run.id, timeout=60)
    wait_for(
        lambda: (
            Email.objects.filter(kind=DIGEST_KIND, status=Email.Status.SENT).count() == SUBSCRIBERS
        ),
        timeout=60,
        message=f"the digest was not sent:\n{celery_worker_process.log()[-3000:]}",
    )

    assert Email.objects.filter(kind=DIGEST_KIND).count() == SUBSCRIBERS
    messages = delivered(celery_worker_process.mail_dir)
    assert Counter(message["To"] for message in messages) == {
        subscriber.email: 1 for subscriber in subscribers
    }
    assert all(
        "DeFiプロトコルの監査" in message.get_body(("plain",)).get_content() for message in messages
    )
    assert all(
        message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for message in messages
    )
