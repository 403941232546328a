"""面談予約 for staff: the 予定 list, own consultation hours, the private feed, no-shows."""

from datetime import timedelta
from http import HTTPStatus

import icalendar
import pytest
from django.utils import timezone

from careers.booking.feed import advisor_calendar_rotate
from careers.models import AdvisorCalendar, AdvisorWeeklyHours, Booking, Lead, LeadEvent
from careers.services.personal_data import lead_anonymize
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

SCHEDULE_URL = "/admin/careers/booking/"


def book(lead, *, hours_from_now=3, **fields):
    starts_at = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours_from_now)
    booking = Booking.objects.create(
        lead=lead,
        advisor=lead.advisor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        meeting="online",
        uid=f"test-{lead.id}@example.com",
        **fields,
    )
    LeadEvent.objects.create(
        lead=lead,
        kind=LeadEvent.Kind.BOOKED,
        details={
            "starts_at": starts_at.isoformat(),
            "meeting": "online",
            "advisor": {"id": lead.advisor.id, "name": lead.advisor.name},
        },
    )
    return booking


def test_an_advisor_sees_only_their_own_schedule_with_the_candidates_details(
    client, advisor_a, lead_of_a, lead_of_b, django_assert_max_num_queries
):
    book(lead_of_a)
    book(lead_of_b, hours_from_now=5)
    for number in range(5):
        book(assigned_lead(advisor_a, phone=f"0900000000{number}"), hours_from_now=10 + number)
    client.force_login(advisor_a.user)
    with django_assert_max_num_queries(20):
        response = client.get(SCHEDULE_URL, {"period": "upcoming"})
    assert response.status_code == HTTPStatus.OK
    assert "高橋 花子 様" in response.text
    assert f"/admin/careers/lead/{lead_of_a.pk}/change/" in response.text
    assert "田中 一郎" not in response.text
    assert 'data-testid="calendar-feed"' in response.text


def test_a_manager_sees_everyones_schedule(client, manager, lead_of_a, lead_of_b):
    book(lead_of_a)
    book(lead_of_b, hours_from_now=5)
    client.force_login(manager)
    response = client.get(SCHEDULE_URL)
    assert "高橋 花子 様" in response.text
    assert "田中 一郎 様" in response.text


def test_the_private_feed_lists_bookings_and_rotating_revokes_the_old_url(
    client, advisor_a, lead_of_a
):
    booking = book(lead_of_a)
    old = advisor_calendar_rotate(advisor=advisor_a).token
    response = client.get(f"/calendar/{old}.ics")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == booking.uid
    assert "高橋 花子" in str(event["SUMMARY"])

    client.force_login(advisor_a.user)
    rotated = client.post(f"{SCHEDULE_URL}calendar/rotate/")
    assert rotated.status_code == HTTPStatus.FOUND
    new = AdvisorCalendar.objects.get(advisor=advisor_a).token
    assert new != old
    client.logout()
    assert client.get(f"/calendar/{old}.ics").status_code == HTTPStatus.NOT_FOUND
    assert client.get(f"/calendar/{new}.ics").status_code == HTTPStatus.OK


def test_the_feed_shows_no_candidate_data_once_the_lead_is_erased(client, advisor_a, lead_of_a):
    book(lead_of_a)
    token = advisor_calendar_rotate(advisor=advisor_a).token
    lead_anonymize(lead=lead_of_a)
    body = client.get(f"/calendar/{token}.ics").content.decode()
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "面談(個人情報削除済み)"
    assert "高橋" not in body
    assert lead_of_a.reference not in body


def test_marking_a_no_show_reopens_the_first_call(client, advisor_a, lead_of_a):
    booking = book(lead_of_a, hours_from_now=-1)
    client.force_login(advisor_a.user)
    response = client.post(
        SCHEDULE_URL, {"action": "mark_no_show", "_selected_action": [booking.pk]}
    )
    assert response.status_code == HTTPStatus.FOUND
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    event = lead_of_a.events.get(kind=LeadEvent.Kind.BOOKING_NO_SHOW)
    assert event.actor == advisor_a.user


def test_an_advisor_edits_their_own_hours_only(client, advisor_a, advisor_b):
    client.force_login(advisor_a.user)
    response = client.post(
        "/admin/careers/advisorweeklyhours/add/",
        {"advisor": advisor_a.pk, "weekday": 0, "starts_at": "10:00", "ends_at": "12:00"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert AdvisorWeeklyHours.objects.get().advisor == advisor_a
    refused = client.post(
        "/admin/careers/advisorweeklyhours/add/",
        {"advisor": advisor_b.pk, "weekday": 0, "starts_at": "10:00", "ends_at": "12:00"},
    )
    assert refused.status_code == HTTPStatus.OK  # the form error: not a choice
    assert AdvisorWeeklyHours.objects.count() == 1
    other = AdvisorWeeklyHours.objects.create(
        advisor=advisor_b, weekday=1, starts_at="10:00", ends_at="11:00"
    )
    page = client.get(f"/admin/careers/advisorweeklyhours/{other.pk}/change/")
    assert page.status_code in (HTTPStatus.FOUND, HTTPStatus.NOT_FOUND)


def test_the_lead_timeline_tells_the_booking(client, manager, lead_of_a):
    book(lead_of_a)
    client.force_login(manager)
    response = client.get(f"/admin/careers/lead/{lead_of_a.pk}/change/")
    assert "との面談が予約されました。" in response.text
    assert "面談日時" in response.text


def test_the_dashboard_shows_bookings_share_time_to_booking_and_no_shows(
    client, manager, advisor_a, lead_of_a, lead_of_b
):
    Lead.objects.filter(pk=lead_of_a.pk).update(created_at=timezone.now() - timedelta(hours=1))
    book(lead_of_a, hours_from_now=2)  # booked for three hours after the form
    book(lead_of_b, hours_from_now=-2, status=Booking.Status.NO_SHOW)
    assigned_lead(advisor_a)  # a candidate who did not book
    client.force_login(manager)
    html = client.get("/admin/careers/lead/dashboard/").content.decode()
    assert 'data-testid="kpi-booked-share">66.7%<' in html
    assert 'data-testid="kpi-no-shows">1<' in html
    assert 'data-testid="kpi-booked-time">' in html
    figures = client.get("/admin/careers/lead/dashboard/").context["figures"]
    assert figures.booked == 2
