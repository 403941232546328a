"""No double booking on PostgreSQL: concurrent transactions, concurrent HTTP requests to the
running site, and the database's own guard."""

import re
import threading
from datetime import datetime, timedelta
from http import HTTPStatus
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from careers.booking.links import booking_token
from careers.booking.services import BookingError, booking_schedule
from careers.models import Booking
from tests.factories import AdvisorFactory, LeadFactory, weekly_hours_create
from tests.support.concurrency import run_at_once
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


def _open_the_booking_page(base: str, lead) -> dict:
    """What a browser holds after loading the page: its CSRF cookie, the form token, a slot."""
    url = urlsplit(base)
    path = reverse("careers:booking", kwargs={"token": booking_token(lead=lead)})
    http = HTTPConnection(url.hostname, url.port, timeout=30)
    http.request("GET", path)
    response = http.getresponse()
    html = response.read().decode()
    assert response.status == HTTPStatus.OK
    cookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie"):
        cookie.load(header)
    return {
        "host": (url.hostname, url.port),
        "path": path,
        "cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items()),
        "csrf": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        "slot": re.search(r'name="slot" value="([^"]+)"', html).group(1),
    }


def _post_the_slot(browser: dict) -> tuple[int, str]:
    http = HTTPConnection(*browser["host"], timeout=60)
    body = urlencode(
        {"csrfmiddlewaretoken": browser["csrf"], "slot": browser["slot"], "meeting": "online"}
    )
    http.request(
        "POST",
        browser["path"],
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": browser["cookie"],
        },
    )
    response = http.getresponse()
    return response.status, response.read().decode()


def test_two_browsers_posting_the_same_slot_at_once_get_one_booking_and_one_conflict_page(
    live_server,
):
    """Real concurrent HTTP requests to the running site, for the advisor's same slot."""
    require_postgresql()
    advisor = AdvisorFactory()
    weekly_hours_create(advisor, ("10:00", "10:45"))
    browsers = [
        _open_the_booking_page(live_server.url, LeadFactory(advisor=advisor, status="assigned"))
        for _ in range(2)
    ]
    assert browsers[0]["slot"] == browsers[1]["slot"]
    waiting = list(browsers)
    lock = threading.Lock()

    def candidate():
        with lock:
            browser = waiting.pop()
        return _post_the_slot(browser)

    answers = sorted(run_at_once(candidate, times=2))
    (booked_status, _), (refused_status, refused_page) = answers
    assert (booked_status, refused_status) == (HTTPStatus.SEE_OTHER, HTTPStatus.CONFLICT)
    assert "ほかの方の予約が入ったか受付を終了したため" in refused_page
    fresh = re.findall(r'name="slot" value="([^"]+)"', refused_page)
    assert fresh
    assert browsers[0]["slot"] not in fresh
    assert Booking.objects.filter(advisor=advisor, status="booked").count() == 1
