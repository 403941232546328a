"""The small things staff and visitors noticed: each says what it means, in Japanese."""

import json
from http import HTTPStatus

import pytest

from careers.models import Advisor
from tests.factories import AdvisorFactory, company_inquiry_form_data

pytestmark = pytest.mark.django_db


def test_the_recruiters_thank_you_page_names_the_field_as_the_form_did(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/recruiters/", company_inquiry_form_data(interest="ai"))
    thanks = client.get(response["Location"]).content.decode()
    assert "AI領域の人材" in thanks
    assert "AI業界" not in thanks


def test_the_recruiters_phone_hint_names_no_choice_the_form_lacks(client):
    page = client.get("/recruiters/").content.decode()
    assert "希望する連絡方法" not in page


def test_the_newsletter_consent_box_is_marked_required(client):
    page = client.get("/newsletter/").content.decode()
    consent = page.split('data-testid="consent-required"')
    assert len(consent) == 2
    assert consent[1].startswith(">必須<")


def test_the_date_widgets_time_zone_note_is_in_japanese(client, manager):
    client.force_login(manager)
    catalog = client.get("/admin/jsi18n/")
    assert catalog.status_code == HTTPStatus.OK
    # The catalog is JSON inside JavaScript, with non-ASCII text as \u escapes.
    assert json.dumps("時間遅れています")[1:-1] in catalog.content.decode()


def test_an_advisors_specialty_reads_in_staff_words(client, manager):
    AdvisorFactory(name="両方 担当", specialty="both")
    client.force_login(manager)
    assert Advisor.objects.get().get_specialty_display() == "AI・Web3の両方"
    page = client.get("/admin/careers/lead/dashboard/").content.decode()
    assert "AI・Web3の両方" in page
    assert "まだ決めていない" not in page.split('data-testid="advisor-load"')[1]
