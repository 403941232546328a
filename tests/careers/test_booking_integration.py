"""Real PostgreSQL, Redis and a Celery worker: the invitation and the reminders arrive once."""

import time
from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from careers.booking.services import booking_cancel
from careers.models import Booking
from careers.tasks.bookings import booking_reminders_task
from tests.factories import AdvisorFactory, LeadFactory
from tests.support.mail import mail_to
from tests.support.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def due_booking(lead, *, hours_ahead: int) -> Booking:
    """A booking whose day-before reminder fell due a minute ago."""
    starts_at = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours_ahead)
    return Booking.objects.create(
        lead=lead,
        advisor=lead.advisor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        meeting="online",
        uid=f"booking-{lead.id}@example.com",
        day_before_reminder_at=timezone.now() - timedelta(minutes=1),
    )


def test_a_due_reminder_is_sent_once_by_the_worker_even_when_the_task_runs_twice(
    celery_worker_process,
):
    advisor = AdvisorFactory()
    kept = LeadFactory(advisor=advisor, status="assigned", email="kept@example.com")
    cancelled = LeadFactory(advisor=advisor, status="assigned", email="gone@example.com")
    due_booking(kept, hours_ahead=20)
    due_booking(cancelled, hours_ahead=30)
    booking_cancel(lead=cancelled)

    booking_reminders_task.delay()
    booking_reminders_task.delay()
    mail_dir = celery_worker_process.mail_dir
    wait_for(
        lambda: mail_to(mail_dir, "kept@example.com", "リマインド"),
        timeout=60,
        message="the reminder never arrived",
    )
    # Time for a wrongly duplicated email to show up too.
    time.sleep(3)
    assert len(mail_to(mail_dir, "kept@example.com", "リマインド")) == 1
    assert mail_to(mail_dir, "gone@example.com", "リマインド") == []

    # The cancellation went out as an invitation the calendar understands.
    (cancellation,) = wait_for(
        lambda: mail_to(mail_dir, "gone@example.com", "キャンセル"),
        timeout=60,
        message="the cancellation never arrived",
    )
    (part,) = [p for p in cancellation.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"
    calendar = icalendar.Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    assert (str(event["UID"]), event["SEQUENCE"]) == (f"booking-{cancelled.id}@example.com", 1)
