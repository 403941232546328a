"""The recruiters' page (/recruiters/): the service explained in Japanese, and every rule of
the company inquiry form with the Japanese message a recruiter reads."""

import re
from http import HTTPStatus

import pytest

from careers.forms import CompanyInquiryForm
from careers.models import Lead
from careers.services.capture import LeadDetails
from tests.factories import company_inquiry_form_data

URL = "/recruiters/"


def _errors(**overrides) -> dict[str, list[str]]:
    form = CompanyInquiryForm(company_inquiry_form_data(**overrides))
    form.is_valid()
    return form.errors


def _cleaned(**overrides) -> dict:
    form = CompanyInquiryForm(company_inquiry_form_data(**overrides))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def _input_tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea|select)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


# -- the page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_explains_the_service_in_japanese_in_the_site_layout(client):
    response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    expected = (
        # The site's header and footer around it.
        'class="site-header"',
        'class="site-footer"',
        "<title>採用支援サービス(AI・Web3領域の人材紹介) | Plus Web3</title>",
        *("採用支援(人材紹介)の特長", "ご利用の流れ", "費用について", "よくあるご質問"),
        # What it costs to start, and when a fee is due.
        "ご相談・お見積り・求人のご登録は無料です",
        "成功報酬型",
        # A candidate who lands here is sent to the consultation form.
        'href="/consultation/"',
    )
    for text in expected:
        assert text in html, text


@pytest.mark.django_db
def test_the_form_has_its_sections_badges_privacy_link_and_honeypot(client):
    html = client.get(URL).content.decode()

    for legend in ("貴社について", "ご依頼について"):
        assert f"<legend>{legend}</legend>" in html
    # company name, contact person, email, hiring or freelance, hiring field, consent are
    # required; five optional.
    assert html.count("form-badge--required") == 6
    assert html.count("form-badge--optional") == 5
    assert 'href="/privacy/"' in html
    assert re.search(r'class="form-trap"\s+aria-hidden="true"', html)
    assert 'tabindex="-1"' in _input_tag(html, "website")
    assert 'name="form_token"' in html
    assert "novalidate" in html
    assert 'name="csrfmiddlewaretoken"' in html
    for choice in ("AI領域の人材", "Web3領域の人材", "両方・まだ決めていない"):
        assert choice in html


@pytest.mark.django_db
def test_inputs_bring_up_the_right_keyboard_and_autofill(client):
    html = client.get(URL).content.decode()
    assert 'autocomplete="organization"' in _input_tag(html, "company_name")
    assert 'autocomplete="name"' in _input_tag(html, "name")
    assert 'type="email"' in _input_tag(html, "email")
    assert 'type="tel"' in _input_tag(html, "phone")
    positions = _input_tag(html, "positions")
    # A text input with a numeric keyboard: type=number would drop full-width digits.
    assert 'type="text"' in positions
    assert 'inputmode="numeric"' in positions


@pytest.mark.django_db
def test_the_page_is_never_cached_and_runs_no_inline_script_or_style(client):
    response = client.get(URL)
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "<script>" not in html
    assert "style=" not in html
    assert "/static/careers/recruiters.css" in html
    assert "/static/careers/consultation.js" in html
    assert client.get("/static/careers/recruiters.css").status_code == HTTPStatus.OK


@pytest.mark.django_db
def test_errors_are_summarised_in_page_order_and_every_value_kept(client):
    data = company_inquiry_form_data(company_name="", email="okada@", positions="たくさん")
    response = client.post(URL, data)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') : html.index("<form")]
    assert "入力内容をご確認ください(3件)" in summary
    links = re.findall(r'<a href="#(id_\w+)">([^<]+)</a>', summary)
    assert [anchor for anchor, _text in links] == ["id_company_name", "id_email", "id_positions"]
    assert links[0][1] == "会社名:会社名を入力してください。"
    assert 'value="岡田 真理"' in html
    assert 'value="人事部"' in html
    assert 'value="たくさん"' in html
    assert "no-store" in response["Cache-Control"]
    assert Lead.objects.count() == 0


@pytest.mark.django_db
def test_only_get_and_post_are_answered(client):
    assert client.put(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.delete(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


# -- the rules -----------------------------------------------------------------------------


def test_a_complete_inquiry_is_valid_and_makes_a_company_lead():
    form = CompanyInquiryForm(company_inquiry_form_data())
    assert form.is_valid(), form.errors
    assert form.trap_reasons == []
    assert form.lead_details() == LeadDetails(
        kind=Lead.Kind.COMPANY,
        engagement=Lead.Engagement.HIRING,
        company_name="株式会社ミライAIラボ",
        department="人事部",
        name="岡田 真理",
        email="okada@mirai-ai.example",
        phone="0312345678",
        interest="ai",
        positions=3,
        timing="3_months",
        message="LLMアプリケーションのエンジニアを採用したいです。",
    )


def test_an_empty_inquiry_says_in_japanese_what_is_missing():
    required = ("company_name", "name", "email", "interest", "consent")
    form = CompanyInquiryForm(company_inquiry_form_data(**dict.fromkeys(required, "")))
    assert not form.is_valid()
    assert form.errors == {
        "company_name": ["会社名を入力してください。"],
        "name": ["ご担当者名を入力してください。"],
        "email": ["メールアドレスを入力してください。"],
        "interest": ["採用したい領域を選んでください。"],
        "consent": ["お問い合わせには、個人情報の取り扱いへの同意が必要です。"],
    }


def test_optional_fields_may_be_left_empty():
    blanks = dict.fromkeys(("department", "phone", "positions", "timing", "message"), "")
    cleaned = _cleaned(**blanks)
    assert cleaned["positions"] is None
    assert cleaned["department"] == ""


@pytest.mark.parametrize(
    ("typed", "stored"), [("3", 3), ("３", 3), (" 12 ", 12), ("１００", 100), ("999", 999)]
)
def test_positions_are_read_from_any_keyboard(typed, stored):
    assert _cleaned(positions=typed)["positions"] == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("三名", "募集人数は数字で入力してください(例:3)。"),
        ("2.5", "募集人数は数字で入力してください(例:3)。"),
        ("0", "募集人数は1名以上で入力してください。"),
        ("-1", "募集人数は1名以上で入力してください。"),
        ("1000", "募集人数は999名以内で入力してください。"),
    ],
)
def test_positions_that_are_not_a_head_count_are_refused(typed, message):
    assert _errors(positions=typed)["positions"] == [message]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interest", "crypto", "採用したい領域は表示された選択肢から選んでください。"),
        ("timing", "someday", "採用希望時期は表示された選択肢から選んでください。"),
    ],
)
def test_choices_outside_the_list_are_refused(field, value, message):
    assert _errors(**{field: value})[field] == [message]


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("company_name", 201, "会社名は200文字以内で入力してください。"),
        ("department", 101, "部署名は100文字以内で入力してください。"),
        ("name", 101, "ご担当者名は100文字以内で入力してください。"),
        ("message", 2001, "ご相談内容は2,000文字以内で入力してください(現在2001文字)。"),
    ],
)
def test_long_answers_get_a_length_message(field, length, message):
    assert _errors(**{field: "あ" * length})[field] == [message]


def test_contact_details_are_normalised_like_the_consultation_form():
    cleaned = _cleaned(
        email=" Ｏｋａｄａ＠Ｍｉｒａｉ－ＡＩ．ｅｘａｍｐｌｅ ",
        phone="＋８１ ３－１２３４－５６７８",
    )
    assert cleaned["email"] == "Okada@mirai-ai.example"
    assert cleaned["phone"] == "0312345678"
    assert _errors(phone="03-1234-567")["phone"] == [
        "日本の電話番号を入力してください(携帯電話は11桁、固定電話は市外局番から10桁)。"
    ]


@pytest.mark.parametrize("field", ["company_name", "department", "name", "email", "message"])
def test_a_nul_character_is_a_form_error_in_every_text_field(field):
    value = company_inquiry_form_data()[field]
    errors = _errors(**{field: value[:2] + "\x00" + value[2:]})
    assert errors[field] == ["使用できない文字(NUL文字)が含まれています。入力し直してください。"]


def test_bots_are_trapped_not_refused(settings):
    settings.FORM_MIN_FILL_SECONDS = 3
    honeypot = CompanyInquiryForm(company_inquiry_form_data(website="https://spam.example"))
    assert honeypot.is_valid()
    assert honeypot.trap_reasons == ["honeypot"]
    too_fast = CompanyInquiryForm(company_inquiry_form_data(filled_seconds_ago=1))
    assert too_fast.is_valid()
    assert too_fast.trap_reasons == ["too_fast"]
    forged = CompanyInquiryForm(company_inquiry_form_data(form_token="forged"))
    assert forged.is_valid()
    assert forged.trap_reasons == ["form_token_invalid"]
