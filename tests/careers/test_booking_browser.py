"""On a phone in Chromium: form → thank-you → pick a slot → confirmation → reschedule → cancel."""

import re
from datetime import datetime

import pytest

from careers.models import Booking
from outbox.models import Email
from tests.factories import AdvisorFactory, weekly_hours_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    advisor = AdvisorFactory(name="佐藤 花子", specialty="ai")
    weekly_hours_create(advisor)
    return live_server.url


def send_the_consultation_form(page, site):
    page.goto(site + "/consultation/?source=none")
    page.get_by_label("AI業界").check()
    page.get_by_label("お名前").fill("山田 太郎")
    page.get_by_label("フリガナ").fill("ヤマダ タロウ")
    page.get_by_label("メールアドレス").fill("taro@example.com")
    page.get_by_label("電話番号").fill("090-1234-5678")
    page.get_by_label("個人情報の取り扱いに同意する").check()
    page.get_by_role("button", name="無料で相談する").click()
    page.wait_for_url(re.compile(r"/consultation/thanks/[^/]+/$"))


def test_a_candidate_books_reschedules_and_cancels_on_a_phone(phone_page, site):
    page = phone_page
    send_the_consultation_form(page, site)
    page.get_by_test_id("booking-link").click()
    page.wait_for_url(re.compile(r"/booking/[^/]+/$"))
    assert page.get_by_role("heading", name="面談日時の予約").is_visible()
    # Tap-sized slots on a 375 px screen, without horizontal scrolling.
    first = page.locator('input[name="slot"]').first
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.locator(".booking__slot span").first.bounding_box()["height"] >= 44

    first_value = first.get_attribute("value")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+09:00", first_value)
    page.get_by_label("電話").check()
    first.check()
    page.get_by_test_id("booking-submit").click()
    page.wait_for_url(re.compile(r"/booking/[^/]+/confirmed/$"))
    assert page.get_by_role("heading", name="面談のご予約が確定しました").is_visible()
    assert "佐藤 花子" in page.get_by_test_id("booking-summary").inner_text()
    booking = Booking.objects.get()
    assert (booking.starts_at, booking.meeting) == (datetime.fromisoformat(first_value), "phone")

    page.get_by_test_id("booking-manage").click()
    assert page.get_by_role("heading", name="ご予約中の面談").is_visible()
    second = page.locator('input[name="slot"]').nth(3)
    second_value = second.get_attribute("value")
    second.check()
    page.get_by_test_id("booking-submit").click()
    page.wait_for_url(re.compile(r"/booking/[^/]+/confirmed/$"))
    booking.refresh_from_db()
    assert (booking.starts_at, booking.sequence) == (datetime.fromisoformat(second_value), 1)

    page.get_by_test_id("booking-manage").click()
    page.get_by_test_id("booking-cancel").click()
    page.wait_for_url(re.compile(r"/booking/[^/]+/cancelled/$"))
    assert page.get_by_role("heading", name="面談のご予約をキャンセルしました").is_visible()
    booking.refresh_from_db()
    assert (booking.status, booking.sequence) == ("cancelled", 2)
    kinds = set(Email.objects.values_list("kind", flat=True))
    assert {"booking_booked", "booking_rescheduled", "booking_cancelled"} <= kinds


def test_the_booking_page_works_without_javascript(chromium, site):
    context = chromium.new_context(
        viewport={"width": 375, "height": 740}, java_script_enabled=False, locale="ja-JP"
    )
    page = context.new_page()
    try:
        send_the_consultation_form(page, site)
        page.get_by_test_id("booking-link").click()
        page.get_by_label("オンライン").check()
        page.locator('input[name="slot"]').first.check()
        page.get_by_test_id("booking-submit").click()
        page.wait_for_url(re.compile(r"/booking/[^/]+/confirmed/$"))
        assert Booking.objects.get().meeting == "online"
    finally:
        context.close()
