"""A name cannot carry an attacker's text into a genuine Plus Web3 email (issue 14, item 6)."""

import pytest

from careers.forms import CompanyInquiryForm, ConsultationForm, FreelanceApplicationForm
from careers.models import Lead
from outbox.models import Email
from tests.factories import (
    ProjectFactory,
    company_inquiry_form_data,
    consultation_form_data,
    email_as_sent,
    freelance_application_form_data,
    lead_submit,
)

pytestmark = pytest.mark.django_db

CONTROL_MESSAGE = "改行や制御文字"
URL_MESSAGE = "URLやドメイン名は入力できません"


def _forms():
    project = ProjectFactory()
    return [
        (ConsultationForm, consultation_form_data, {}),
        (CompanyInquiryForm, company_inquiry_form_data, {}),
        (FreelanceApplicationForm, freelance_application_form_data, {"project": project}),
    ]


UNSAFE_NAMES = [
    ("山田 太郎\n\nお支払いは https://pay.evil.example まで", CONTROL_MESSAGE),
    ("山田\r太郎", CONTROL_MESSAGE),
    ("山田\x07太郎", CONTROL_MESSAGE),
    ("山田\u202e太郎", CONTROL_MESSAGE),
    ("山田\u2028太郎", CONTROL_MESSAGE),
    ("https://pay.evil.example", URL_MESSAGE),
    ("山田 hxxp://x", URL_MESSAGE),
    ("www.evil.example", URL_MESSAGE),
    ("当選 evil.com", URL_MESSAGE),
    ("ｅｖｉｌ．ｃｏｍ", URL_MESSAGE),
    ("evil。com", URL_MESSAGE),
    ("javascript://alert", URL_MESSAGE),
]


@pytest.mark.parametrize(("name", "message"), UNSAFE_NAMES)
def test_every_name_field_refuses_line_breaks_control_characters_and_urls(name, message):
    for form_class, data, kwargs in _forms():
        form = form_class(data(name=name), **kwargs)
        assert not form.is_valid()
        assert message in form.errors["name"][0], form_class


def test_the_company_name_and_department_refuse_them_too():
    form = CompanyInquiryForm(
        company_inquiry_form_data(company_name="https://evil.example", department="人事\n部")
    )
    assert not form.is_valid()
    assert URL_MESSAGE in form.errors["company_name"][0]
    assert CONTROL_MESSAGE in form.errors["department"][0]


@pytest.mark.parametrize("name", ["山田 太郎", "J.Smith", "Mr. Bean", "オーウェン・ジョーンズ"])
def test_ordinary_names_stay_valid(name):
    form = ConsultationForm(consultation_form_data(name=name))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("kind", [Lead.Kind.CANDIDATE, Lead.Kind.COMPANY])
def test_the_confirmation_does_not_open_with_the_name(kind):
    lead = lead_submit(name="山田 太郎", kind=kind, company_name="株式会社ミライ")
    confirmation = email_as_sent(Email.objects.get(lead=lead))
    first_line = confirmation.body_text.lstrip().splitlines()[0]
    assert "山田" not in first_line
    assert "ミライ" not in first_line
    assert first_line.startswith("Plus Web3")
    # The name is still there, as a labelled answer further down.
    assert "お名前:山田 太郎 様" in confirmation.body_text
    assert "<td>山田 太郎 様</td>" in confirmation.body_html
