"""No double booking on PostgreSQL: concurrent transactions, and the database's own guard."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from careers.booking.services import BookingError, booking_schedule
from careers.models import Booking
from tests.factories import AdvisorFactory, LeadFactory, weekly_hours_create
from tests.support.services import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=TOKYO)
SLOT = datetime(2026, 12, 2, 10, 0, tzinfo=TOKYO)


def test_two_candidates_posting_the_same_slot_at_once_get_one_booking():
    """Two transactions racing for the advisor's only slot: one booking, one clear refusal."""
    require_postgresql()
    advisor = AdvisorFactory()
    weekly_hours_create(advisor, ("10:00", "10:45"), weekdays=[2])
    leads = [LeadFactory(advisor=advisor, status="assigned") for _ in range(2)]
    start = threading.Barrier(len(leads))
    booked, refused, errors = [], [], []

    def candidate(lead):
        try:
            start.wait(timeout=10)
            booked.append(booking_schedule(lead=lead, starts_at=SLOT, meeting="online", now=NOW))
        except BookingError as error:
            refused.append(error.code)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=candidate, args=(lead,)) for lead in leads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(booked) == 1
    assert refused == ["slot_unavailable"]
    assert Booking.objects.filter(advisor=advisor, status="booked").count() == 1


def test_the_database_refuses_an_overlapping_booking_of_the_same_advisor():
    """Even a path that skips the service cannot overlap two live bookings (btree_gist)."""
    require_postgresql()
    advisor = AdvisorFactory()

    def book(lead, starts_at, **fields):
        return Booking.objects.create(
            lead=lead,
            advisor=advisor,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=45),
            meeting="online",
            uid=f"test-{lead.id}@example.com",
            **fields,
        )

    book(LeadFactory(), SLOT)
    with pytest.raises(IntegrityError), transaction.atomic():
        book(LeadFactory(), SLOT + timedelta(minutes=30))
    # Back to back is fine, and so is a cancelled booking at the same time.
    book(LeadFactory(), SLOT + timedelta(minutes=45))
    book(LeadFactory(), SLOT, status="cancelled")
    assert Booking.objects.count() == 3
