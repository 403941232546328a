"""The candidate's booking pages: thin doors into careers.booking.services.

Every page is reached through the signed link, is never cached (no-store), and works
without JavaScript: slots are plain radio inputs and every change is a POST, then a 303.
"""

from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from careers.booking.feed import advisor_feed_for
from careers.booking.forms import BookingForm, BookingRequestForm
from careers.booking.links import BookingLinkError, booking_lead
from careers.booking.selectors import booking_live_for, booking_slots_for, slots_by_day
from careers.booking.services import (
    BookingError,
    booking_cancel,
    booking_change_deadline,
    booking_request_send,
    booking_schedule,
)
from careers.booking.wording import booking_wording
from careers.models import Booking


def _see_other(name: str, token: str) -> HttpResponseRedirect:
    # 303: a reload shows the page again instead of posting the change twice.
    response = HttpResponseRedirect(reverse(f"careers:{name}", kwargs={"token": token}))
    response.status_code = HTTPStatus.SEE_OTHER
    return response


def _link_error(request, error: BookingLinkError):
    status = HTTPStatus.GONE if error.expired else HTTPStatus.NOT_FOUND
    return render(
        request, "careers/booking/link_error.html", {"message": error.message}, status=status
    )


def _with_lead(view):
    """Resolve the signed token to its lead, or answer with the Japanese link error page."""

    def wrapper(request, token: str):
        try:
            lead = booking_lead(token=token)
        except BookingLinkError as error:
            return _link_error(request, error)
        return view(request, token, lead)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


def _form_errors(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


def _booking_page(request, token, lead, *, form=None, request_form=None, errors=(), status=None):
    live = booking_live_for(lead=lead)
    now = timezone.now()
    slots = booking_slots_for(lead=lead, now=now, moving=live)
    context = {
        "token": token,
        "lead": lead,
        "wording": booking_wording(lead),
        "live": live,
        "changeable": live is None or now < booking_change_deadline(live),
        "days": slots_by_day(slots),
        # A reschedule keeps the chosen meeting method unless the candidate changes it.
        "form": form or BookingForm(initial={"meeting": live.meeting} if live else None),
        "request_form": request_form or BookingRequestForm(),
        "errors": list(errors),
        "chosen": form["slot"].value() if form is not None else None,
        "meetings": Booking.Meeting.choices,
        "minutes": settings.CAREERS_BOOKING_SLOT_MINUTES,
    }
    return render(request, "careers/booking/page.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@_with_lead
def booking(request, token, lead):
    """GET lists the open slots (and the current booking); POST books or reschedules."""
    if request.method != "POST":
        return _booking_page(request, token, lead)
    form = BookingForm(request.POST)
    if not form.is_valid():
        return _booking_page(
            request,
            token,
            lead,
            form=form,
            errors=_form_errors(form),
            status=HTTPStatus.BAD_REQUEST,
        )
    try:
        booking_schedule(
            lead=lead,
            starts_at=form.cleaned_data["slot"],
            meeting=form.cleaned_data["meeting"],
        )
    except BookingError as error:
        status = HTTPStatus.CONFLICT if error.code == "slot_unavailable" else HTTPStatus.BAD_REQUEST
        return _booking_page(request, token, lead, form=form, errors=error.messages, status=status)
    return _see_other("booking_confirmed", token)


@require_safe
@_with_lead
def booking_confirmed(request, token, lead):
    """The confirmation page of the live booking."""
    live = booking_live_for(lead=lead)
    if live is None:
        return _see_other("booking", token)
    return render(
        request,
        "careers/booking/confirmed.html",
        {"token": token, "lead": lead, "wording": booking_wording(lead), "booking": live},
    )


@require_POST
@_with_lead
def booking_cancel_view(request, token, lead):
    """Cancel the live booking, then show that it is cancelled."""
    try:
        booking_cancel(lead=lead)
    except BookingError as error:
        return _booking_page(
            request, token, lead, errors=error.messages, status=HTTPStatus.BAD_REQUEST
        )
    return _see_other("booking_cancelled", token)


@require_safe
@_with_lead
def booking_cancelled(request, token, lead):
    cancelled = lead.bookings.filter(status=Booking.Status.CANCELLED).order_by("-cancelled_at")
    return render(
        request,
        "careers/booking/cancelled.html",
        {
            "token": token,
            "lead": lead,
            "wording": booking_wording(lead),
            "booking": cancelled.first(),
        },
    )


@require_POST
@_with_lead
def booking_request(request, token, lead):
    """「希望日時を連絡する」: the wish goes to the advisor; the page says it did."""
    form = BookingRequestForm(request.POST)
    if not form.is_valid():
        return _booking_page(
            request,
            token,
            lead,
            request_form=form,
            errors=_form_errors(form),
            status=HTTPStatus.BAD_REQUEST,
        )
    try:
        booking_request_send(lead=lead, message=form.cleaned_data["message"])
    except BookingError as error:
        return _booking_page(
            request, token, lead, errors=error.messages, status=HTTPStatus.BAD_REQUEST
        )
    return render(
        request,
        "careers/booking/request_sent.html",
        {"token": token, "lead": lead, "wording": booking_wording(lead)},
    )


@require_safe
@never_cache
def advisor_calendar(request, token: str):
    """The advisor's private feed; the secret URL is the only key, so it is never cached."""
    body = advisor_feed_for(token=token)
    if body is None:
        raise Http404
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
