"""The advisor's private calendar feed: a secret URL to subscribe to, and its rotation."""

import secrets
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.booking.ics import advisor_feed, booking_location
from careers.models import Advisor, AdvisorCalendar, Booking
from careers.services.routing_emails import lead_admin_url

# How far back the feed reaches: last month's consultations stay visible for follow-ups.
FEED_HISTORY = timedelta(days=31)


def advisor_calendar_rotate(*, advisor: Advisor) -> AdvisorCalendar:
    """A new secret for the advisor's feed; every URL handed out before stops working."""
    calendar, _created = AdvisorCalendar.objects.update_or_create(
        advisor=advisor, defaults={"token": secrets.token_urlsafe(32)}
    )
    return calendar


def advisor_calendar_url(*, advisor: Advisor, request) -> str:
    """The advisor's feed URL, issuing the secret on first use."""
    calendar = AdvisorCalendar.objects.filter(advisor=advisor).first()
    if calendar is None:
        calendar = advisor_calendar_rotate(advisor=advisor)
    path = reverse("careers:advisor_calendar", kwargs={"token": calendar.token})
    return request.build_absolute_uri(path)


def advisor_event_text(booking: Booking) -> tuple[str, str]:
    """(summary, description) of a booking in the advisor's calendar: feed and invitations."""
    lead = booking.lead
    where = booking_location(booking)
    if lead.anonymized_at is not None:
        # Erased on request: the time stays booked, nothing about the person does.
        return _("面談(個人情報削除済み)"), where
    summary = _("面談: {name} 様({meeting})").format(
        name=lead.name, meeting=booking.get_meeting_display()
    )
    return summary, f"{lead.reference}\n{where}\n{lead_admin_url(lead)}"


def advisor_feed_for(*, token: str, now: datetime | None = None) -> str | None:
    """The feed of the advisor whose secret this is, or None for an unknown secret."""
    now = now or timezone.now()
    calendar = AdvisorCalendar.objects.select_related("advisor").filter(token=token).first()
    if calendar is None or not token:
        return None
    bookings = (
        Booking.objects.filter(advisor=calendar.advisor, starts_at__gte=now - FEED_HISTORY)
        .exclude(status=Booking.Status.NO_SHOW)
        .select_related("lead", "advisor")
        .order_by("starts_at")
    )
    return advisor_feed(bookings=bookings, now=now, describe=advisor_event_text)
