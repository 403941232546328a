"""Celery tasks of 面談予約: thin doors over careers.booking.services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from careers.booking.services import booking_reminders_send


@shared_task(
    # A database restart is worth waiting out; the next beat run would catch up anyway.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=30,
    max_retries=3,
)
def booking_reminders_task() -> int:
    """Beat, every minute: queue the due reminders; a second run queues nothing more."""
    return booking_reminders_send()
