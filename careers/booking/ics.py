"""The .ics invitation (RFC 5545/5546) of a booking, built with the icalendar package.

Every version of one consultation carries the booking's UID and its SEQUENCE, so a
calendar that holds the event updates it (REQUEST) or removes it (CANCEL).
"""

from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from careers.booking.wording import booking_wording
from careers.business_days import TOKYO
from careers.models import Booking

PRODID = "-//Plus Web3//面談予約//JA"
MIMETYPE = "text/calendar"
FILENAME = "invite.ics"


def booking_summary(booking: Booking) -> str:
    return _("Plus Web3 {service}({meeting})").format(
        service=booking_wording(booking.lead)["meeting"], meeting=booking.get_meeting_display()
    )


def booking_location(booking: Booking) -> str:
    if booking.meeting == Booking.Meeting.PHONE:
        return _("お電話(担当アドバイザーからお電話します)")
    return _("オンライン(参加用URLは担当アドバイザーからお送りします)")


def _event(booking: Booking, *, now: datetime, cancelled: bool, description: str) -> Event:
    event = Event()
    event.add("uid", booking.uid)
    event.add("sequence", booking.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", booking.starts_at.astimezone(TOKYO))
    event.add("dtend", booking.ends_at.astimezone(TOKYO))
    event.add("summary", booking_summary(booking))
    event.add("location", booking_location(booking))
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = "Plus Web3"
    event.add("organizer", organizer)
    return event


def booking_invitation(
    *,
    booking: Booking,
    now: datetime,
    description: str,
    cancelled: bool = False,
    attendee: tuple[str, str] | None = None,
    summary: str = "",
) -> str:
    """An invitation: METHOD:REQUEST for a booking or a change, CANCEL to remove.

    The candidate's by default; the advisor's names them as `attendee` (email, name),
    with the summary and description their calendar feed shows.
    """
    email, name = attendee or (booking.lead.email, booking.lead.name)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = _event(booking, now=now, cancelled=cancelled, description=description)
    if summary:
        event["summary"] = summary
    invited = vCalAddress(f"mailto:{email}")
    invited.params["cn"] = name
    invited.params["role"] = "REQ-PARTICIPANT"
    event.add("attendee", invited)
    calendar.add_component(event)
    # A VTIMEZONE for Asia/Tokyo, so clients without the zone database read the times right.
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def advisor_feed(*, bookings, now: datetime, describe) -> str:
    """An advisor's private calendar (no METHOD: a published feed, not an invitation).

    `describe(booking)` returns (summary, description): the feed decides nothing about
    which candidate details may be shown.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Plus Web3 面談予定"))
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    for booking in bookings:
        summary, description = describe(booking)
        event = _event(
            booking,
            now=now,
            cancelled=booking.status == Booking.Status.CANCELLED,
            description=description,
        )
        event["summary"] = summary
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def booking_invitation_attachment(**kwargs) -> dict:
    """The invitation as an outbox attachment (outbox.services.email_queue)."""
    method = "CANCEL" if kwargs.get("cancelled") else "REQUEST"
    return {
        "filename": FILENAME,
        "content": booking_invitation(**kwargs),
        "mimetype": MIMETYPE,
        "params": {"method": method},
    }
