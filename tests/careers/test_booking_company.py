"""Companies book too: the recruiters' inquiry offers a time with corporate sales only."""

import re
from http import HTTPStatus

import icalendar
import pytest
from django.urls import reverse

from careers.booking.links import booking_token
from careers.booking.selectors import booking_slots_for
from careers.models import Booking, Lead, Team
from careers.services.pipeline import lead_route
from outbox.models import Email
from tests.factories import (
    AdvisorFactory,
    LeadFactory,
    ProjectFactory,
    company_inquiry_form_data,
    email_as_sent,
    weekly_hours_create,
)

pytestmark = pytest.mark.django_db

BOOKING_LINK = re.compile(r'href="(/booking/[^"]+/)" data-testid="booking-link"')
SLOT_VALUE = re.compile(r'name="slot" value="([^"]+)"')


@pytest.fixture
def career_advisor():
    """Free every morning, and the best choice were companies allowed to meet them."""
    advisor = AdvisorFactory(name="キャリア 担当", team=Team.CAREER, specialty="both", capacity=50)
    weekly_hours_create(advisor, ("10:00", "12:00"))
    return advisor


@pytest.fixture
def sales_advisor():
    advisor = AdvisorFactory(
        name="法人営業 担当", email="sales@plusweb3.example", team=Team.SALES, specialty="both"
    )
    weekly_hours_create(advisor, ("14:00", "18:00"))
    return advisor


def test_a_company_books_a_time_with_corporate_sales_from_the_thank_you_page(
    client, career_advisor, sales_advisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        thanks = client.post("/recruiters/", company_inquiry_form_data(), follow=True)
    assert "打ち合わせ日時を予約する" in thanks.text
    lead = Lead.objects.get()
    assert lead.kind == Lead.Kind.COMPANY
    confirmation = email_as_sent(Email.objects.get(lead=lead, kind="lead_confirmation"))
    assert "/booking/" in confirmation.body_text
    with django_capture_on_commit_callbacks(execute=False):
        lead_route(lead_id=lead.id)

    page = client.get(BOOKING_LINK.search(thanks.text).group(1))
    assert page.status_code == HTTPStatus.OK
    assert '<p class="lead-page__eyebrow">採用支援サービス</p>' in page.text
    assert "担当の法人営業の担当者との面談" in page.text
    offered = SLOT_VALUE.findall(page.text)
    assert offered
    # Only corporate sales' afternoons: the career advisor's mornings are never offered.
    assert {int(value[11:13]) for value in offered} <= {14, 15, 16, 17}

    with django_capture_on_commit_callbacks(execute=False):
        booked = client.post(page.request["PATH_INFO"], {"slot": offered[0], "meeting": "online"})
    assert booked.status_code == HTTPStatus.SEE_OTHER
    booking = Booking.objects.get()
    assert booking.advisor == sales_advisor
    invitation = Email.objects.get(kind="booking_booked", to=["okada@mirai-ai.example"])
    calendar = icalendar.Calendar.from_ical(invitation.attachments[0]["content"])
    (vevent,) = calendar.walk("VEVENT")
    assert "採用のご相談" in str(vevent["SUMMARY"])
    assert Email.objects.filter(kind="booking_booked_advisor", to=["sales@plusweb3.example"])


def test_a_company_lead_sees_no_career_advisors_slots_even_when_unassigned(
    career_advisor, sales_advisor
):
    company = LeadFactory(kind=Lead.Kind.COMPANY, status=Lead.Status.UNASSIGNED)
    slots = booking_slots_for(lead=company)
    assert slots
    assert {advisor_id for slot in slots for advisor_id in slot.advisor_ids} == {sales_advisor.id}


def test_a_freelance_applicants_link_books_nothing(client, sales_advisor):
    applicant = LeadFactory(kind=Lead.Kind.FREELANCE, project=ProjectFactory())
    token = booking_token(lead=applicant)
    page = client.get(reverse("careers:booking", kwargs={"token": token}))
    assert page.status_code == HTTPStatus.NOT_FOUND
    assert "このお申し込みは見つかりませんでした。" in page.text
