"""Celery tasks that send the outbox's emails.

Thin doors over careers.services.notifications: they take ids, and running one twice sends
nothing twice (the service claims the row with a conditional UPDATE).
"""

from celery import shared_task

from careers.services.notifications import (
    MAX_ATTEMPTS,
    SEND_NOTIFICATION_TASK,
    TransientEmailError,
    notification_send,
    notification_sweep,
)


@shared_task(
    name=SEND_NOTIFICATION_TASK,
    autoretry_for=(TransientEmailError,),
    # 15 s, 30 s, 1 min … capped at 10 min, jittered so a recovering server is not stampeded.
    retry_backoff=15,
    retry_backoff_max=600,
    retry_jitter=True,
    # The service counts attempts in the row and gives up first; this is only a backstop.
    max_retries=MAX_ATTEMPTS,
)
def send_notification_task(notification_id: int) -> str:
    """Send one outbox email unless it was already sent or is being sent."""
    return notification_send(notification_id=notification_id)


@shared_task
def notification_sweep_task() -> int:
    """Beat, every minute: send what the doorbell missed (broker down at commit, lost retry)."""
    return notification_sweep()
