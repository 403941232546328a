"""Celery tasks for the newsletter: thin doors into newsletter.sending (queue: email)."""

from celery import shared_task

from newsletter.project_digest import project_digest_send
from newsletter.sending import (
    SEND_ISSUE_TASK,
    BatchOutcome,
    issue_send_batch,
    issue_sender_ring,
    issues_stalled_resume,
)

# How long to wait before trying again when the mail server does not answer.
SERVER_RETRY_SECONDS = 60


@shared_task(bind=True, name=SEND_ISSUE_TASK)
def send_issue_task(self, issue_id: int, previous_owner: str = "") -> str:
    """Send one batch of an issue, then hand the lease on to the next batch."""
    outcome, owner = issue_send_batch(issue_id=issue_id, previous_owner=previous_owner)
    if outcome == BatchOutcome.MORE:
        # Unpublished, the lease runs out and the sweep resumes the issue instead.
        issue_sender_ring(issue_id=issue_id, owner=owner)
    elif outcome == BatchOutcome.RETRY_LATER and not self.request.is_eager:
        # In-process (no broker) a countdown is ignored; the sweep retries instead.
        send_issue_task.apply_async((issue_id,), countdown=SERVER_RETRY_SECONDS)
    return outcome


@shared_task
def newsletter_sweep_task() -> int:
    """Every minute: restart the sender of any issue whose worker died or whose message was lost."""
    return issues_stalled_resume()


@shared_task
def send_project_digest_task() -> int:
    """Beat, Mondays: the week's 「新着案件」 digest; delivered twice, it queues nothing twice."""
    return project_digest_send()
