"""Every rule of the consultation form, with the Japanese message a candidate reads."""

import pytest

from careers.forms import ConsultationForm
from core.normalization import normalize_kana
from tests.factories import consultation_form_data


def _errors(**overrides) -> dict[str, list[str]]:
    form = ConsultationForm(consultation_form_data(**overrides))
    form.is_valid()
    return form.errors


def _cleaned(**overrides) -> dict:
    form = ConsultationForm(consultation_form_data(**overrides))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_a_complete_form_is_valid_and_not_trapped():
    form = ConsultationForm(consultation_form_data())
    assert form.is_valid(), form.errors
    assert form.trap_reasons == []
    assert form.submission_key


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "お名前を入力してください。"),
        ("email", "メールアドレスを入力してください。"),
        ("interest", "興味のある領域を選んでください。"),
        ("consent", "ご相談には、個人情報の取り扱いへの同意が必要です。"),
    ],
)
def test_each_required_field_says_what_is_missing_in_japanese(field, message):
    data = consultation_form_data()
    del data[field]
    form = ConsultationForm(data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_missing_consent_is_refused_even_when_everything_else_is_right():
    errors = _errors(consent="")
    assert list(errors) == ["consent"]
    assert "同意が必要です" in errors["consent"][0]


def test_optional_fields_may_be_left_empty():
    data = consultation_form_data()
    for field in (
        "name_kana",
        "phone",
        "current_job",
        "experience",
        "timing",
        "contact_method",
        "message",
    ):
        data[field] = ""
    form = ConsultationForm(data)
    assert form.is_valid(), form.errors


def test_a_bad_email_gets_the_format_message():
    assert _errors(email="taro@")["email"] == [
        "メールアドレスの形式が正しくありません(例:taro@example.com)。"
    ]


def test_full_width_email_is_folded_to_ascii_and_the_domain_lower_cased():
    assert _cleaned(email=" Ｔａｒｏ．Ｙａｍａｄａ＠Ｅｘａｍｐｌｅ．ＣＯＭ ")["email"] == (
        "Taro.Yamada@example.com"
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("090-1234-5678", "09012345678"),
        ("０９０－１２３４－５６７８", "09012345678"),
        ("080 1234 5678", "08012345678"),
        ("(03) 1234-5678", "0312345678"),
        ("03ー1234ー5678", "0312345678"),
        ("+81 90-1234-5678", "09012345678"),
        ("+81 (0)3-1234-5678", "0312345678"),
        ("＋８１９０１２３４５６７８", "09012345678"),
        ("0120-123-456", "0120123456"),
        ("050-1234-5678", "05012345678"),
    ],
)
def test_phone_numbers_are_stored_as_national_digits(typed, stored):
    assert _cleaned(phone=typed)["phone"] == stored


@pytest.mark.parametrize(
    "typed",
    [
        "090-1234-567",  # a mobile number is 11 digits
        "0901234567890",
        "03-1234-567",  # a landline is 10 digits
        "1234567890",  # no trunk 0
        "00-1234-5678",
        "+1 415 555 0100",  # not Japanese
    ],
)
def test_numbers_that_are_not_japanese_phone_numbers_are_refused(typed):
    assert _errors(phone=typed)["phone"] == [
        "日本の電話番号を入力してください(携帯電話は11桁、固定電話は市外局番から10桁)。"
    ]


def test_letters_in_a_phone_number_are_an_error_not_silently_dropped():
    assert _errors(phone="090-abcd-5678")["phone"] == [
        "電話番号は数字とハイフンで入力してください。"
    ]


def test_furigana_accepts_katakana_with_full_width_or_half_width_spaces():
    assert _cleaned(name_kana="ヤマダ　タロウ")["name_kana"] == "ヤマダ\u3000タロウ"
    assert _cleaned(name_kana="ヤマダ  タロウ")["name_kana"] == "ヤマダ\u3000タロウ"
    assert _cleaned(name_kana="ヴァン・ゴッホ")["name_kana"] == "ヴァン・ゴッホ"


def test_half_width_katakana_becomes_full_width():
    assert _cleaned(name_kana="ﾔﾏﾀﾞ ﾀﾛｳ")["name_kana"] == "ヤマダ\u3000タロウ"
    assert normalize_kana("ｶﾞｷﾞ") == "ガギ"


@pytest.mark.parametrize("typed", ["やまだ たろう", "山田 太郎", "Yamada Taro", "ヤマダ1"])
def test_furigana_other_than_katakana_is_refused(typed):
    assert _errors(name_kana=typed)["name_kana"] == [
        "フリガナは全角カタカナで入力してください(例:ヤマダ タロウ)。"
    ]


def test_message_up_to_2000_characters_is_accepted_and_line_breaks_count_once():
    # 2,020 characters as sent (CRLF), 2,000 as shown; the final break is trimmed.
    two_thousand = ("あ" * 99 + "\r\n") * 20
    message = _cleaned(message=two_thousand)["message"]
    assert len(message) == 1999
    assert "\r" not in message
    assert "message" not in _errors(message="あ" * 2000)


def test_message_over_2000_characters_says_how_long_it_is():
    assert _errors(message="あ" * 2001)["message"] == [
        "ご相談内容は2,000文字以内で入力してください(現在2001文字)。"
    ]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "お名前は100文字以内で入力してください。"),
        ("current_job", "現在のお仕事は100文字以内で入力してください。"),
    ],
)
def test_long_single_line_answers_get_a_length_message(field, message):
    assert _errors(**{field: "あ" * 101})[field] == [message]


@pytest.mark.parametrize("field", ["name", "name_kana", "email", "phone", "current_job", "message"])
def test_a_nul_character_is_a_form_error_in_every_text_field(field):
    value = consultation_form_data()[field]
    errors = _errors(**{field: value[:2] + "\x00" + value[2:]})
    assert errors[field] == ["使用できない文字(NUL文字)が含まれています。入力し直してください。"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interest", "crypto", "興味のある領域は表示された選択肢から選んでください。"),
        ("timing", "someday", "転職希望時期は表示された選択肢から選んでください。"),
        ("contact_method", "fax", "希望する連絡方法は表示された選択肢から選んでください。"),
        ("experience", "10", "経験年数は表示された選択肢から選んでください。"),
    ],
)
def test_choices_outside_the_list_are_refused(field, value, message):
    assert _errors(**{field: value})[field] == [message]


def test_the_form_asks_nothing_the_employment_security_guideline_forbids():
    labels = " ".join(ConsultationForm().plain_labels.values())
    for forbidden in ("本籍", "出生地", "出身地", "家族", "宗教", "信条", "支持政党"):
        assert forbidden not in labels
