"""Field types of the lead forms: normalise, then validate, with a Japanese message each.

Every question is built by one of the factories below, so a label and its messages agree.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.normalization import (
    has_control_characters,
    has_url,
    is_japanese_phone,
    is_katakana_name,
    nfkc,
    normalize_kana,
    normalize_multiline,
    normalize_phone,
    normalize_typed_email,
)

MESSAGE_MAX_LENGTH = 2000
NUL_MESSAGE = _("使用できない文字(NUL文字)が含まれています。入力し直してください。")


def reject_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text: a form error here, not a 500 at INSERT time.
    if "\x00" in value:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
    return value


class TextField(forms.CharField):
    def to_python(self, value):
        return reject_nul(super().to_python(value))


class NameField(TextField):
    """A person's or a company's name: one line of plain words.

    Names are printed in emails we send; a line break or a link there would let anyone write
    their own text into a genuine Plus Web3 email to any address.
    """

    def __init__(self, *, label, **kwargs):
        super().__init__(label=label, **kwargs)
        self.error_messages["control_characters"] = format_lazy(
            _("{label}に改行や制御文字は入力できません。1行で入力してください。"), label=label
        )
        self.error_messages["url"] = format_lazy(
            _("{label}にURLやドメイン名は入力できません。"), label=label
        )

    def validate(self, value):
        super().validate(value)
        if has_control_characters(value):
            raise ValidationError(self.error_messages["control_characters"], code="invalid")
        if has_url(value):
            raise ValidationError(self.error_messages["url"], code="invalid")


class MultilineTextField(TextField):
    def to_python(self, value):
        return normalize_multiline(super().to_python(value))


class NormalizedEmailField(forms.EmailField):
    def to_python(self, value):
        return normalize_typed_email(reject_nul(super().to_python(value)))


class JapanesePhoneField(TextField):
    default_error_messages = {
        "invalid_characters": _("電話番号は数字とハイフンで入力してください。"),
        "invalid": _(
            "日本の電話番号を入力してください(携帯電話は11桁、固定電話は市外局番から10桁)。"
        ),
    }

    def to_python(self, value):
        return normalize_phone(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        if not value.lstrip("+").isdigit():
            raise ValidationError(self.error_messages["invalid_characters"], code="invalid")
        if not is_japanese_phone(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class KatakanaField(TextField):
    default_error_messages = {
        "invalid": _("フリガナは全角カタカナで入力してください(例:ヤマダ タロウ)。"),
    }

    def to_python(self, value):
        return normalize_kana(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value and not is_katakana_name(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class CountField(forms.IntegerField):
    """A whole number typed on any keyboard: full-width digits (３) are read as ASCII."""

    def to_python(self, value):
        if isinstance(value, str):
            value = nfkc(value).strip()
        return super().to_python(value)


def text_field(
    label, *, max_length: int, required: bool = True, field_class=TextField, **attrs
) -> TextField:
    """A one-line answer; `attrs` go to the <input> (autocomplete, placeholder…)."""
    return field_class(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": format_lazy(_("{label}を入力してください。"), label=label),
            "max_length": format_lazy(
                _("{label}は{max_length}文字以内で入力してください。"),
                label=label,
                max_length=max_length,
            ),
        },
    )


def name_field(label, *, max_length: int, required: bool = True, **attrs) -> NameField:
    """A name (of a person, a company or a department): text_field with NameField's checks."""
    return text_field(
        label, max_length=max_length, required=required, field_class=NameField, **attrs
    )


def choice_field(
    label, *, choices, required: bool = False, radio: bool = False, help_text=""
) -> forms.ChoiceField:
    """Radio buttons, or a select that starts on 「選択してください」."""
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=choices if radio else [("", _("選択してください")), *choices],
        widget=forms.RadioSelect if radio else forms.Select,
        help_text=help_text,
        error_messages={
            "required": format_lazy(_("{label}を選んでください。"), label=label),
            "invalid_choice": format_lazy(
                _("{label}は表示された選択肢から選んでください。"), label=label
            ),
        },
    )


def message_field(label, *, help_text) -> MultilineTextField:
    return MultilineTextField(
        label=label,
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=help_text,
        error_messages={
            "max_length": format_lazy(
                _("{label}は2,000文字以内で入力してください(現在%(show_value)d文字)。"),
                label=label,
            )
        },
    )
