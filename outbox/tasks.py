"""Celery tasks that send the outbox's emails.

Thin doors over outbox.services: they take ids, and running one twice sends nothing
twice (the service claims the row with a conditional UPDATE).
"""

from celery import shared_task

from outbox.services import MAX_ATTEMPTS, SEND_TASK, TransientEmailError, email_send, email_sweep


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


@shared_task
def email_sweep_task() -> int:
    """Beat (outbox-sweep): send what the doorbell missed (broker down at commit, lost retry)."""
    return email_sweep()
