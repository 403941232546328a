"""Celery tasks that send the outbox's emails.

Thin doors over outbox.services: they take ids, and running one twice sends nothing
twice (the service claims the row with a conditional UPDATE).
"""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from outbox.services import (
    MAX_ATTEMPTS,
    SEND_MANY_TASK,
    SEND_TASK,
    TransientEmailError,
    email_send,
    email_sweep,
)


@shared_task(
    name=SEND_TASK,
    autoretry_for=(TransientEmailError,),
    # 15 s, 30 s, 1 min … capped at 10 min, jittered so a recovering server is not stampeded.
    retry_backoff=15,
    retry_backoff_max=600,
    retry_jitter=True,
    # The service counts attempts in the row and gives up first; this is only a backstop.
    max_retries=MAX_ATTEMPTS,
)
def send_email_task(email_id: int) -> str:
    """Send one outbox email unless it was already sent or is being sent."""
    return email_send(email_id=email_id)


@shared_task(name=SEND_MANY_TASK)
def send_emails_task(email_ids: list[int]) -> list[str]:
    """Send each of these outbox emails (rung together: a lead's confirmation and its
    advisor's email); one the mail server turns away for now is retried alone.

    The others are sent already and never again: the retry is send_email_task's first retry,
    with its backoff, for that email only. If the broker is down for it, the sweep takes the
    row once its retry looks lost.
    """
    statuses, retry_alone = [], []
    for email_id in email_ids:
        try:
            statuses.append(email_send(email_id=email_id))
        except TransientEmailError:
            statuses.append("retrying")
            retry_alone.append(email_id)
    for email_id in retry_alone:
        send_email_task.apply_async(
            (email_id,),
            countdown=get_exponential_backoff_interval(
                factor=send_email_task.retry_backoff,
                retries=0,
                maximum=send_email_task.retry_backoff_max,
                full_jitter=send_email_task.retry_jitter,
            ),
            # Its own later retries carry on from here: 30 s, 1 min …
            retries=1,
        )
    return statuses


@shared_task
def email_sweep_task() -> int:
    """Beat (outbox-sweep): send what the doorbell missed (broker down at commit, lost retry)."""
    return email_sweep()
