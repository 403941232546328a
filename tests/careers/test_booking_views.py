"""The candidate's booking pages through the test client, on today's real clock."""

import re
import time
from datetime import datetime, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from careers.booking.calendar import earliest_start, offered_days
from careers.booking.links import booking_token
from careers.booking.selectors import booking_notice, booking_slots_for
from careers.models import Booking, LeadEvent
from outbox.models import Email
from tests.factories import (
    AdvisorFactory,
    LeadFactory,
    consultation_form_data,
    email_as_sent,
    weekly_hours_create,
)

pytestmark = pytest.mark.django_db

SLOT_VALUE = re.compile(r'name="slot" value="(\d{4}-\d\d-\d\dT\d\d:\d\d:00\+09:00)"')


@pytest.fixture
def advisor():
    advisor = AdvisorFactory(name="佐藤 花子")
    weekly_hours_create(advisor)
    return advisor


@pytest.fixture
def lead(advisor):
    return LeadFactory(advisor=advisor, status="assigned")


def url(name: str, lead) -> str:
    return reverse(f"careers:{name}", kwargs={"token": booking_token(lead=lead)})


def first_slot(lead) -> str:
    return booking_slots_for(lead=lead)[0].value


def test_the_thank_you_page_offers_the_booking_link(client, settings, advisor):
    settings.FORM_MIN_FILL_SECONDS = 0
    response = client.post(reverse("careers:consultation"), consultation_form_data(), follow=True)
    assert response.status_code == HTTPStatus.OK
    link = re.search(r'href="(/booking/[^"]+/)" data-testid="booking-link"', response.text)
    assert "面談日時を予約する" in response.text
    page = client.get(link.group(1))
    assert page.status_code == HTTPStatus.OK
    assert "面談日時の予約" in page.text


def test_the_page_lists_slots_as_iso_radios_grouped_by_day_and_is_never_stored(
    client, lead, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get(url("booking", lead))
    assert response.status_code == HTTPStatus.OK
    assert "no-store" in response["Cache-Control"]
    values = SLOT_VALUE.findall(response.text)
    assert values == [slot.value for slot in booking_slots_for(lead=lead)]
    starts = [datetime.fromisoformat(value) for value in values]
    assert min(starts) >= timezone.now() + timedelta(hours=2)
    assert {start.weekday() for start in starts} <= {0, 1, 2, 3, 4}
    # Every offered business day has slots, but today's last ones may be past the notice.
    offered = offered_days(
        earliest=earliest_start(now=timezone.now(), notice=booking_notice()), count=10
    )
    days = {start.date() for start in starts}
    assert set(offered[1:]) <= days <= set(offered)
    assert response.text.count('data-testid="booking-day"') == len(days)
    assert 'name="meeting" value="online"' in response.text
    assert 'name="meeting" value="phone"' in response.text


def test_booking_redirects_to_the_confirmation_and_emails_the_invitation(client, lead):
    slot = first_slot(lead)
    response = client.post(url("booking", lead), {"slot": slot, "meeting": "phone"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    confirmed = client.get(response["Location"])
    assert confirmed.status_code == HTTPStatus.OK
    assert "面談のご予約が確定しました" in confirmed.text
    assert "電話" in confirmed.text
    booking = Booking.objects.get()
    assert booking.starts_at == datetime.fromisoformat(slot)
    notification = Email.objects.get(kind="booking_booked")
    assert notification.attachments[0]["params"] == {"method": "REQUEST"}
    assert "面談のご予約が確定しました" in notification.subject


def test_cancel_through_the_link(client, lead):
    client.post(url("booking", lead), {"slot": first_slot(lead), "meeting": "online"})
    response = client.post(url("booking_cancel", lead))
    assert response.status_code == HTTPStatus.SEE_OTHER
    page = client.get(response["Location"])
    assert "面談のご予約をキャンセルしました" in page.text
    assert Booking.objects.get().status == Booking.Status.CANCELLED


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        ("tomorrow", "面談日時の形式が正しくありません"),
        ("2026-12-03T10:00:00", "面談日時の形式が正しくありません"),  # no offset
        ("", "面談日時を選んでください"),
        ("2020-01-06T10:00:00+09:00", "過去の日時は選べません"),
    ],
)
def test_bad_slot_values_get_a_japanese_message_and_no_booking(client, lead, slot, message):
    response = client.post(url("booking", lead), {"slot": slot, "meeting": "online"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.text
    assert SLOT_VALUE.search(response.text)  # fresh slots to choose from
    assert not Booking.objects.exists()


def test_a_taken_slot_gets_a_conflict_page_with_fresh_slots(client, lead, advisor):
    slot = first_slot(lead)
    other = LeadFactory(advisor=advisor, status="assigned")
    client.post(url("booking", other), {"slot": slot, "meeting": "online"})
    response = client.post(url("booking", lead), {"slot": slot, "meeting": "online"})
    assert response.status_code == HTTPStatus.CONFLICT
    assert "ほかの方の予約が入ったか" in response.text
    assert slot not in SLOT_VALUE.findall(response.text)
    assert Booking.objects.count() == 1


def test_an_unknown_meeting_method_is_refused(client, lead):
    response = client.post(url("booking", lead), {"slot": first_slot(lead), "meeting": "fax"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "面談方法は「オンライン」か「電話」から選んでください" in response.text


def test_a_forged_token_gets_a_japanese_page_and_no_cookie(client, lead):
    token = booking_token(lead=lead)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for name in ("booking", "booking_confirmed"):
        response = client.get(reverse(f"careers:{name}", kwargs={"token": forged}))
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert "この予約リンクは無効です" in response.text
        assert not response.cookies
    response = client.post(
        reverse("careers:booking", kwargs={"token": forged}),
        {"slot": first_slot(lead), "meeting": "online"},
    )
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Booking.objects.exists()


def test_a_link_older_than_fourteen_days_has_expired(client, lead, monkeypatch):
    issued = time.time() - timedelta(days=14, minutes=1).total_seconds()
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: issued)
        token = booking_token(lead=lead)
    response = client.get(reverse("careers:booking", kwargs={"token": token}))
    assert response.status_code == HTTPStatus.GONE
    assert "有効期限が切れています" in response.text


def test_with_no_slot_the_candidate_can_send_wished_times_to_the_advisor(client, lead, advisor):
    advisor.weekly_hours.all().delete()
    response = client.get(url("booking", lead))
    assert 'data-testid="booking-empty"' in response.text
    assert "希望日時を連絡する" in response.text
    response = client.post(url("booking_request", lead), {"message": "来週の平日19時以降"})
    assert response.status_code == HTTPStatus.OK
    assert "ご希望の日時を受け付けました" in response.text
    event = lead.events.get(kind=LeadEvent.Kind.BOOKING_REQUESTED)
    assert event.details["message"] == "来週の平日19時以降"
    email = Email.objects.get(kind="booking_request")
    assert email.to == [advisor.email]
    assert "来週の平日19時以降" in email.body_text
    again = client.post(url("booking_request", lead), {"message": "もう一度"})
    assert again.status_code == HTTPStatus.BAD_REQUEST
    assert Email.objects.filter(kind="booking_request").count() == 1


def test_the_confirmation_email_carries_a_working_booking_link(client, settings, advisor):
    settings.FORM_MIN_FILL_SECONDS = 0
    client.post(reverse("careers:consultation"), consultation_form_data())
    confirmation = email_as_sent(Email.objects.get(kind="lead_confirmation"))
    link = re.search(r"http://\S+(/booking/[^/\s]+/)", confirmation.body_text)
    assert link, confirmation.body_text
    assert link.group(1) in confirmation.body_html
    page = client.get(link.group(1))
    assert page.status_code == HTTPStatus.OK
