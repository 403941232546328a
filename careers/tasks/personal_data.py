"""Celery tasks for personal data: the daily retention purge."""

from celery import shared_task

from careers.services.personal_data import leads_purge_expired

# Each lead is a few small queries: a batch this size stays far below the task time limit.
PURGE_BATCH = 500


@shared_task
def purge_expired_leads_task() -> int:
    """Anonymise one batch of leads past their retention; queue the next batch if more remain."""
    count = leads_purge_expired(limit=PURGE_BATCH)
    if count == PURGE_BATCH:
        purge_expired_leads_task.delay()
    return count
