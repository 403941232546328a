"""The booking's emails through the outbox: the candidate's, with the .ics, and the advisor's.

Keys name the booking's UID, its SEQUENCE and the occasion, so each version of the
consultation is announced once however often a service or task runs.
"""

from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from careers.booking.feed import advisor_event_text
from careers.booking.ics import booking_invitation_attachment, booking_location
from careers.booking.links import booking_url
from careers.booking.wording import booking_wording
from careers.models import Advisor, Booking, Lead, LeadEvent
from careers.selectors import manager_emails
from careers.services.routing_emails import TEMPLATE_DIR, lead_admin_url
from outbox.services import email_queue


class Occasion(StrEnum):
    BOOKED = "booked"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    DAY_BEFORE = "day_before"
    HOUR_BEFORE = "hour_before"


# The candidate's calendar changes only when the consultation does.
_INVITATION_OCCASIONS = {Occasion.BOOKED, Occasion.RESCHEDULED, Occasion.CANCELLED}


def _context(booking: Booking, occasion: Occasion, manage_url: str) -> dict:
    return {
        "occasion": occasion.value,
        "wording": booking_wording(booking.lead),
        "name": booking.lead.name,
        "reference": booking.lead.reference,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "meeting": booking.get_meeting_display(),
        "location": booking_location(booking),
        "advisor_name": booking.advisor.name,
        "manage_url": manage_url,
        "contact_email": settings.CONTACT_EMAIL,
        "site_url": settings.SITE_URL,
    }


def _advisor_invitation(booking: Booking, advisor: Advisor, *, cancelled: bool) -> dict:
    summary, description = advisor_event_text(booking)
    return booking_invitation_attachment(
        booking=booking,
        now=timezone.now(),
        description=description,
        summary=summary,
        cancelled=cancelled,
        attendee=(advisor.email, advisor.name),
    )


def booking_email_queue(*, booking: Booking, occasion: Occasion) -> None:
    """Tell the candidate (and, for a change, the advisor) about this version of the booking.

    Both get the .ics of the change: one UID, so each calendar updates or removes its event.
    """
    manage_url = booking_url(lead=booking.lead, absolute=True)
    context = _context(booking, occasion, manage_url)
    attachments = None
    cancelled = occasion == Occasion.CANCELLED
    if occasion in _INVITATION_OCCASIONS:
        attachments = [
            booking_invitation_attachment(
                booking=booking,
                now=timezone.now(),
                description=f"{context['location']}\n{manage_url}",
                cancelled=cancelled,
            )
        ]
    key = f"booking:{booking.uid}:{booking.sequence}:{occasion.value}"
    email_queue(
        key=key,
        kind=f"booking_{occasion.value}",
        to=[booking.lead.email],
        template=f"{TEMPLATE_DIR}/booking_candidate",
        context=context,
        about=booking.lead,
        attachments=attachments,
    )
    if occasion in _INVITATION_OCCASIONS:
        email_queue(
            key=f"{key}:advisor",
            kind=f"booking_{occasion.value}_advisor",
            to=[booking.advisor.email],
            template=f"{TEMPLATE_DIR}/booking_advisor",
            context={**context, "admin_url": lead_admin_url(booking.lead)},
            about=booking.lead,
            attachments=[_advisor_invitation(booking, booking.advisor, cancelled=cancelled)],
        )


def booking_moved_email_queue(*, previous: Booking, booking: Booking) -> None:
    """The consultation went to another advisor: the previous one is told, with a CANCEL .ics.

    `previous` is the booking as it stood (time, advisor) with the new SEQUENCE, so the
    cancellation outranks the invitation their calendar holds.
    """
    email_queue(
        key=f"booking:{booking.uid}:{booking.sequence}:moved:{previous.advisor_id}",
        kind="booking_moved_advisor",
        to=[previous.advisor.email],
        template=f"{TEMPLATE_DIR}/booking_moved",
        context={
            "advisor_name": previous.advisor.name,
            "new_advisor_name": booking.advisor.name,
            "reference": booking.lead.reference,
            "name": booking.lead.name,
            "starts_at": previous.starts_at,
            "ends_at": previous.ends_at,
            "admin_url": lead_admin_url(booking.lead),
        },
        about=booking.lead,
        attachments=[_advisor_invitation(previous, previous.advisor, cancelled=True)],
    )


def booking_request_email_queue(*, lead: Lead, event: LeadEvent) -> None:
    """The candidate's wished-for times, to the lead's advisor or, with none, the managers."""
    recipients = [lead.advisor.email] if lead.advisor else manager_emails()
    if not recipients:
        return  # the event log keeps the wish for whoever picks the lead up
    email_queue(
        key=f"lead:{lead.id}:booking_request:{event.id}",
        kind="booking_request",
        to=recipients,
        template=f"{TEMPLATE_DIR}/booking_request",
        context={
            "lead": lead,
            "message": event.details["message"],
            "admin_url": lead_admin_url(lead),
        },
        about=lead,
    )
