"""希望する連絡方法 = 電話 needs a number, and the form says so before it is sent (issue 16, 3)."""

from http import HTTPStatus

import pytest

from careers.forms import ConsultationForm
from careers.models import Lead
from tests.factories import consultation_form_data

PHONE_REQUIRED = "「希望する連絡方法」で「電話」を選んだ場合は、電話番号を入力してください。"


def test_a_phone_request_without_a_number_is_refused_in_japanese():
    form = ConsultationForm(consultation_form_data(contact_method="phone", phone=""))
    assert not form.is_valid()
    assert form.errors == {"phone": [PHONE_REQUIRED]}
    assert ("id_phone", "電話番号", PHONE_REQUIRED) in form.error_summary()


@pytest.mark.parametrize("contact_method", ["email", "online", ""])
def test_other_contact_methods_still_leave_the_phone_optional(contact_method):
    form = ConsultationForm(consultation_form_data(contact_method=contact_method, phone=""))
    assert form.is_valid(), form.errors


def test_a_phone_request_with_a_number_is_accepted():
    form = ConsultationForm(consultation_form_data(contact_method="phone"))
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_the_page_says_so_before_the_form_is_sent(client):
    page = client.get("/consultation/").content.decode()
    assert "「電話」を選んだ場合は必須です" in page
    # The page's script marks the field required as soon as 電話 is chosen.
    assert 'data-required-when="contact_method=phone"' in page


@pytest.mark.django_db
def test_the_post_comes_back_with_the_error_and_no_lead(client):
    response = client.post(
        "/consultation/", consultation_form_data(contact_method="phone", phone="")
    )
    assert response.status_code == HTTPStatus.OK
    assert PHONE_REQUIRED in response.content.decode()
    assert not Lead.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choosing_the_phone_marks_the_number_required_in_the_browser(desktop_page, live_server):
    page = desktop_page
    page.goto(live_server.url + "/consultation/")
    badge = page.locator("label[for='id_phone'] .form-badge")
    assert badge.inner_text() == "任意"

    page.get_by_label("電話", exact=True).check()
    assert badge.inner_text() == "必須"
    assert page.locator("#id_phone").get_attribute("aria-required") == "true"

    page.get_by_label("メール", exact=True).check()
    assert badge.inner_text() == "任意"
