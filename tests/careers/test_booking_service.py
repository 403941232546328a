"""Booking, rescheduling and cancelling through the services, with the clock passed in."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from careers.booking.selectors import booking_slots_for
from careers.booking.services import (
    BookingError,
    booking_cancel,
    booking_mark_no_show,
    booking_reminders_send,
    booking_schedule,
)
from careers.models import Booking, Lead, LeadEvent
from careers.routing import Rule
from careers.services.personal_data import lead_anonymize, leads_disclose
from careers.services.pipeline import lead_route
from core.dates import jst
from outbox.models import Email
from tests.factories import AdvisorFactory, LeadFactory, weekly_hours_create

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
# Tuesday 1 December 2026, 09:00 in Tokyo: the first slot is 11:00 the same day.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=TOKYO)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=TOKYO)


@pytest.fixture
def advisor():
    advisor = AdvisorFactory(name="佐藤 花子", email="sato@example.com")
    weekly_hours_create(advisor)
    return advisor


@pytest.fixture
def lead(advisor, django_capture_on_commit_callbacks):
    lead = LeadFactory(name="山田 太郎", email="taro@example.com")
    with django_capture_on_commit_callbacks(execute=False):
        lead_route(lead_id=lead.id, now=NOW)
    lead.refresh_from_db()
    assert lead.advisor == advisor
    return lead


def invitation(notification: Email) -> icalendar.Calendar:
    (attachment,) = notification.attachments
    assert attachment["mimetype"] == "text/calendar"
    assert attachment["filename"] == "invite.ics"
    return icalendar.Calendar.from_ical(attachment["content"])


def candidate_email(booking: Booking, occasion: str) -> Email:
    return Email.objects.get(kind=f"booking_{occasion}", to=[booking.lead.email])


def test_booking_a_slot_confirms_it_with_an_ics_and_makes_it_the_first_contact_deadline(lead):
    booking = booking_schedule(lead=lead, starts_at=at(2, 10), meeting="online", now=NOW)

    assert (booking.advisor, booking.status, booking.meeting) == (lead.advisor, "booked", "online")
    assert booking.ends_at - booking.starts_at == timedelta(minutes=45)
    lead.refresh_from_db()
    assert lead.first_contact_due_at == at(2, 10)
    event = lead.events.get(kind=LeadEvent.Kind.BOOKED)
    assert event.details["decision"]["rule"] == Rule.CURRENT_ADVISOR
    assert event.details["starts_at"] == "2026-12-02T10:00:00+09:00"

    calendar = invitation(candidate_email(booking, "booked"))
    assert calendar["METHOD"] == "REQUEST"
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == booking.uid
    assert vevent["SEQUENCE"] == 0
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent.decoded("DTSTART") == at(2, 10)
    assert vevent["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert vevent.decoded("DTEND") == at(2, 10, 45)
    assert "mailto:taro@example.com" in str(vevent["ATTENDEE"])
    assert "オンライン" in str(vevent["SUMMARY"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    # The advisor hears of it too.
    assert Email.objects.filter(kind="booking_booked_advisor", to=["sato@example.com"])


def test_reschedule_and_cancel_keep_the_uid_and_raise_the_sequence(lead):
    booking = booking_schedule(lead=lead, starts_at=at(2, 10), meeting="online", now=NOW)
    moved = booking_schedule(lead=lead, starts_at=at(3, 14), meeting="phone", now=NOW)
    assert moved.id == booking.id
    assert (moved.starts_at, moved.meeting, moved.sequence) == (at(3, 14), "phone", 1)

    calendar = invitation(candidate_email(moved, "rescheduled"))
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert (str(vevent["UID"]), vevent["SEQUENCE"]) == (booking.uid, 1)
    assert vevent.decoded("DTSTART") == at(3, 14)
    assert "電話" in str(vevent["SUMMARY"])
    # The old time is free again; the new one is taken.
    values = {slot.value for slot in booking_slots_for(lead=LeadFactory(), now=NOW)}
    assert "2026-12-02T10:00:00+09:00" in values
    assert "2026-12-03T14:00:00+09:00" not in values

    cancelled = booking_cancel(lead=lead, now=NOW)
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 2)
    calendar = invitation(candidate_email(cancelled, "cancelled"))
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert (str(vevent["UID"]), vevent["SEQUENCE"], vevent["STATUS"]) == (
        booking.uid,
        2,
        "CANCELLED",
    )
    kinds = list(lead.events.values_list("kind", flat=True))
    assert {"booked", "booking_rescheduled", "booking_cancelled"} <= set(kinds)


def test_changes_close_two_hours_before_the_start(lead):
    booking_schedule(lead=lead, starts_at=at(2, 10), meeting="online", now=NOW)
    late = at(2, 8, 1)
    with pytest.raises(BookingError) as cancel_error:
        booking_cancel(lead=lead, now=late)
    assert cancel_error.value.code == "too_late"
    with pytest.raises(BookingError) as move_error:
        booking_schedule(lead=lead, starts_at=at(4, 10), meeting="online", now=late)
    assert move_error.value.code == "too_late"
    assert Booking.objects.get().starts_at == at(2, 10)


@pytest.mark.parametrize(
    ("starts_at", "code"),
    [
        (at(1, 8), "past"),
        (at(1, 10), "too_soon"),
        (at(2, 10, 15), "slot_unavailable"),  # not on the slot grid
        (at(5, 10), "slot_unavailable"),  # a Saturday
        (at(2, 12, 30), "slot_unavailable"),  # the advisor's lunch
    ],
)
def test_times_that_are_not_offered_are_refused(lead, starts_at, code):
    with pytest.raises(BookingError) as error:
        booking_schedule(lead=lead, starts_at=starts_at, meeting="online", now=NOW)
    assert error.value.code == code
    assert not Booking.objects.exists()


def test_a_slot_with_another_eligible_advisor_reassigns_the_lead_with_the_reason(lead, advisor):
    other = AdvisorFactory(name="鈴木 一郎")
    weekly_hours_create(other, ("18:00", "19:00"))
    booking = booking_schedule(lead=lead, starts_at=at(2, 18), meeting="online", now=NOW)
    lead.refresh_from_db()
    assert booking.advisor == other
    assert lead.advisor == other
    reassigned = lead.events.get(kind=LeadEvent.Kind.REASSIGNED)
    assert reassigned.details["reason"].startswith("予約")
    record = lead.events.get(kind=LeadEvent.Kind.BOOKED).details["decision"]
    assert record["chosen"]["name"] == "鈴木 一郎"
    excluded = {c["name"]: c["excluded"] for c in record["candidates"]}
    assert excluded == {"佐藤 花子": "busy", "鈴木 一郎": None}


def test_when_several_advisors_are_free_the_fairness_order_decides(advisor):
    # An unassigned lead: the policy picks the lower load among the free advisors.
    busier = AdvisorFactory(name="高橋")
    weekly_hours_create(busier)
    LeadFactory(advisor=advisor, status=Lead.Status.ASSIGNED)
    lead = LeadFactory(status=Lead.Status.UNASSIGNED)
    booking = booking_schedule(lead=lead, starts_at=at(2, 10), meeting="online", now=NOW)
    assert booking.advisor == busier
    record = lead.events.get(kind=LeadEvent.Kind.BOOKED).details["decision"]
    # The published rule set's catch-all rule, by load: the same fairness routing uses.
    assert record["rule"] == Rule.RULESET_RULE
    assert record["ruleset"]["version"] == 1
    assert "負荷が最も低い" in record["why"]


def test_a_closed_lead_cannot_book(lead):
    Lead.objects.filter(id=lead.id).update(
        status=Lead.Status.CLOSED, close_reason=Lead.CloseReason.LOST
    )
    lead.refresh_from_db()
    with pytest.raises(BookingError) as error:
        booking_schedule(lead=lead, starts_at=at(2, 10), meeting="online", now=NOW)
    assert error.value.code == "closed"


def test_reminders_go_once_each_and_never_after_a_cancellation(lead):
    booking = booking_schedule(lead=lead, starts_at=at(3, 14), meeting="online", now=NOW)
    # The business day before at opening time, and one hour before.
    assert booking.day_before_reminder_at == at(2, 10)
    assert booking.hour_before_reminder_at == at(3, 13)
    assert booking_reminders_send(now=at(2, 9, 59)) == 0
    assert booking_reminders_send(now=at(2, 10)) == 1
    assert booking_reminders_send(now=at(2, 10, 1)) == 0
    assert Email.objects.filter(kind="booking_day_before").count() == 1
    booking_cancel(lead=lead, now=at(2, 11))
    assert booking_reminders_send(now=at(3, 13, 30)) == 0
    assert not Email.objects.filter(kind="booking_hour_before").exists()


def test_a_reminder_already_due_at_booking_time_is_not_sent(lead):
    evening = datetime(2026, 12, 1, 16, 0, tzinfo=TOKYO)
    booking = booking_schedule(lead=lead, starts_at=at(2, 14), meeting="online", now=evening)
    assert booking.day_before_reminder_at is None
    assert booking.hour_before_reminder_at == at(2, 13)


def test_a_no_show_reopens_the_first_contact_promise(lead):
    booking = booking_schedule(lead=lead, starts_at=at(2, 10), meeting="phone", now=NOW)
    with pytest.raises(BookingError):
        booking_mark_no_show(booking=booking, now=at(2, 9))
    booking_mark_no_show(booking=booking, now=at(2, 11))
    booking.refresh_from_db()
    lead.refresh_from_db()
    assert booking.status == "no_show"
    assert lead.first_contact_due_at > at(2, 11)
    assert lead.events.filter(kind=LeadEvent.Kind.BOOKING_NO_SHOW).exists()


def test_erasure_covers_bookings_their_invitations_and_reminders(lead):
    booking = booking_schedule(lead=lead, starts_at=at(3, 14), meeting="online", now=NOW)
    (record,) = leads_disclose(email="taro@example.com", actor=None)
    assert record["面談予約"][0]["開始日時"] == jst(booking.starts_at)
    assert record["面談予約"][0]["アドバイザー"] == "佐藤 花子"

    lead_anonymize(lead=lead)
    invitation_email = Email.objects.get(kind="booking_booked")
    assert invitation_email.attachments == []
    booking.refresh_from_db()
    assert (booking.day_before_reminder_at, booking.hour_before_reminder_at) == (None, None)
    assert booking_reminders_send(now=at(3, 13)) == 0


def advisor_invitation(kind: str, to: str) -> icalendar.Calendar:
    return invitation(Email.objects.get(kind=kind, to=[to]))


def test_the_advisor_gets_the_ics_of_the_booking_and_of_its_cancellation(lead):
    booking = booking_schedule(lead=lead, starts_at=at(2, 10), meeting="online", now=NOW)
    calendar = advisor_invitation("booking_booked_advisor", "sato@example.com")
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert (str(vevent["UID"]), vevent["SEQUENCE"]) == (booking.uid, 0)
    assert vevent.decoded("DTSTART") == at(2, 10)
    assert "mailto:sato@example.com" in str(vevent["ATTENDEE"])
    assert "山田 太郎" in str(vevent["SUMMARY"])
    assert lead.reference in str(vevent["DESCRIPTION"])

    booking_cancel(lead=lead, now=NOW)
    calendar = advisor_invitation("booking_cancelled_advisor", "sato@example.com")
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert (str(vevent["UID"]), vevent["SEQUENCE"], vevent["STATUS"]) == (
        booking.uid,
        1,
        "CANCELLED",
    )


def test_a_reschedule_to_another_advisor_invites_them_and_cancels_it_for_the_previous_one(lead):
    other = AdvisorFactory(name="鈴木 一郎", email="suzuki@example.com")
    weekly_hours_create(other, ("18:00", "19:00"))
    booking = booking_schedule(lead=lead, starts_at=at(2, 10), meeting="online", now=NOW)
    moved = booking_schedule(lead=lead, starts_at=at(2, 18), meeting="online", now=NOW)
    assert moved.advisor == other

    calendar = advisor_invitation("booking_rescheduled_advisor", "suzuki@example.com")
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert (str(vevent["UID"]), vevent["SEQUENCE"]) == (booking.uid, 1)
    assert vevent.decoded("DTSTART") == at(2, 18)

    told = Email.objects.get(kind="booking_moved_advisor")
    assert told.to == ["sato@example.com"]
    assert "鈴木 一郎" in told.body_text
    assert "予定からは外れます" in told.body_text
    calendar = invitation(told)
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert (str(vevent["UID"]), vevent["SEQUENCE"], vevent["STATUS"]) == (
        booking.uid,
        1,
        "CANCELLED",
    )
    # The cancellation names the time the previous advisor's calendar holds.
    assert vevent.decoded("DTSTART") == at(2, 10)
    assert "mailto:sato@example.com" in str(vevent["ATTENDEE"])
    # A reschedule with the same advisor tells nobody it moved.
    booking_schedule(lead=lead, starts_at=at(3, 18), meeting="online", now=NOW)
    assert Email.objects.filter(kind="booking_moved_advisor").count() == 1
