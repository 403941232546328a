"""The consultation form: normalise, then validate, with a Japanese message for every rule.

Trapped bots (honeypot, too fast) are not errors: the form is valid and `trap_reasons` says
why the lead must be stored as spam, so a bot learns nothing from the answer.
"""

import secrets
import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from careers.models import Interest, Lead
from careers.normalization import (
    is_japanese_phone,
    is_katakana_name,
    normalize_email,
    normalize_kana,
    normalize_multiline,
    normalize_phone,
)

MESSAGE_MAX_LENGTH = 2000
NUL_MESSAGE = _("使用できない文字(NUL文字)が含まれています。入力し直してください。")
_FORM_TOKEN_SALT = "careers.consultation.form-token"  # noqa: S105 - a namespace, not a secret


def form_token_make(*, shown_at: float | None = None) -> str:
    """A signed note of when the form was shown, plus a random key for this one rendering."""
    shown_at = time.time() if shown_at is None else shown_at
    return signing.dumps({"t": shown_at, "k": secrets.token_urlsafe(16)}, salt=_FORM_TOKEN_SALT)


def form_token_read(token: str) -> tuple[float, str] | None:
    """(shown at, submission key), or None when the token is missing, forged or malformed."""
    try:
        data = signing.loads(token, salt=_FORM_TOKEN_SALT)
    except signing.BadSignature:
        return None
    shown_at, key = (data.get("t"), data.get("k")) if isinstance(data, dict) else (None, None)
    if not isinstance(shown_at, int | float) or not isinstance(key, str) or not key:
        return None
    return float(shown_at), key


def _reject_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text: a form error here, not a 500 at INSERT time.
    if "\x00" in value:
        raise ValidationError(NUL_MESSAGE, code="null_characters_not_allowed")
    return value


class TextField(forms.CharField):
    def to_python(self, value):
        return _reject_nul(super().to_python(value))


class MultilineTextField(TextField):
    def to_python(self, value):
        return normalize_multiline(super().to_python(value))


class NormalizedEmailField(forms.EmailField):
    def to_python(self, value):
        return normalize_email(_reject_nul(super().to_python(value)))


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


class TrapField(forms.CharField):
    """Honeypot and token: never an error the visitor sees, whatever a bot puts in them."""

    def __init__(self, **kwargs):
        super().__init__(required=False, strip=False, **kwargs)
        self.validators = []

    def to_python(self, value):
        return super().to_python(value).replace("\x00", "")


def _choices_with_blank(choices):
    return [("", _("選択してください")), *choices]


class ConsultationForm(forms.Form):
    """Field names are the product contract; sections and order follow the layout below."""

    interest = forms.ChoiceField(
        label=_("興味のある領域"),
        choices=Interest.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("興味のある領域を選んでください。"),
            "invalid_choice": _("興味のある領域は表示された選択肢から選んでください。"),
        },
    )
    timing = forms.ChoiceField(
        label=_("転職希望時期"),
        required=False,
        choices=_choices_with_blank(Lead.Timing.choices),
        error_messages={"invalid_choice": _("転職希望時期は表示された選択肢から選んでください。")},
    )
    contact_method = forms.ChoiceField(
        label=_("希望する連絡方法"),
        required=False,
        choices=Lead.ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("希望する連絡方法は表示された選択肢から選んでください。")
        },
    )
    message = MultilineTextField(
        label=_("ご相談内容"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("気になる企業や職種、不安なことなど、自由にお書きください(2,000文字以内)。"),
        error_messages={
            "max_length": _("ご相談内容は2,000文字以内で入力してください(現在%(show_value)d文字)。")
        },
    )
    name = TextField(
        label=_("お名前"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("山田 太郎")}),
        error_messages={
            "required": _("お名前を入力してください。"),
            "max_length": _("お名前は100文字以内で入力してください。"),
        },
    )
    name_kana = KatakanaField(
        label=_("フリガナ"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("ヤマダ タロウ")}),
        error_messages={"max_length": _("フリガナは100文字以内で入力してください。")},
    )
    email = NormalizedEmailField(
        label=_("メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={
                "autocomplete": "email",
                "inputmode": "email",
                "autocapitalize": "off",
                "spellcheck": "false",
                "placeholder": "taro@example.com",
            }
        ),
        help_text=_("受付完了のメールをお送りします。"),
        error_messages={
            "required": _("メールアドレスを入力してください。"),
            "invalid": _("メールアドレスの形式が正しくありません(例:taro@example.com)。"),
            "max_length": _("メールアドレスは254文字以内で入力してください。"),
        },
    )
    phone = JapanesePhoneField(
        label=_("電話番号"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "tel",
                "autocomplete": "tel",
                "inputmode": "tel",
                "maxlength": 30,
                "placeholder": "090-1234-5678",
            }
        ),
        help_text=_("お電話でのご連絡を希望される場合にご入力ください。"),
    )
    current_job = TextField(
        label=_("現在のお仕事"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "organization-title", "placeholder": _("例:Webエンジニア")}
        ),
        error_messages={"max_length": _("現在のお仕事は100文字以内で入力してください。")},
    )
    experience = forms.ChoiceField(
        label=_("経験年数"),
        required=False,
        choices=_choices_with_blank(Lead.Experience.choices),
        help_text=_("現在の職種でのご経験です。"),
        error_messages={"invalid_choice": _("経験年数は表示された選択肢から選んでください。")},
    )
    consent = forms.BooleanField(
        label=_("個人情報の取り扱いに同意する"),
        error_messages={
            "required": _("ご相談には、個人情報の取り扱いへの同意が必要です。"),
        },
    )
    # Named like a real field so bots fill it; hidden from people by careers.css.
    website = TrapField(
        label=_("ウェブサイト(入力しないでください)"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = TrapField(widget=forms.HiddenInput(attrs={"autocomplete": "off"}))

    SECTIONS = (
        (_("ご相談について"), ("interest", "timing", "contact_method", "message")),
        (_("お客さま情報"), ("name", "name_kana", "email", "phone")),
        (_("現在のお仕事"), ("current_job", "experience")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = form_token_make()
        self.plain_labels = {name: str(field.label) for name, field in self.fields.items()}
        # Opens in a new tab so reading the policy never loses what was typed.
        self.fields["consent"].label = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>{}',
            reverse("privacy"),
            _("個人情報の取り扱い"),
            _("に同意する"),
        )
        for name, field in self.fields.items():
            if name in ("website", "form_token"):
                continue
            field.label = self._label_with_badge(field)
        self.trap_reasons: list[str] = []
        self.fill_seconds: float | None = None
        self.submission_key: str | None = None
        self.helper = self._build_helper()

    @staticmethod
    def _label_with_badge(field):
        if field.required:
            badge = format_html(
                '<span class="badge form-badge form-badge--required">{}</span>', _("必須")
            )
        else:
            badge = format_html(
                '<span class="badge form-badge form-badge--optional">{}</span>', _("任意")
            )
        return format_html("{} {}", field.label, badge)

    def _build_helper(self) -> FormHelper:
        helper = FormHelper()
        # The template writes the <form> tag (novalidate, action) and the CSRF token.
        helper.form_tag = False
        helper.disable_csrf = True
        sections = [
            Fieldset(legend, *names, css_class="form-section") for legend, names in self.SECTIONS
        ]
        helper.layout = Layout(
            *sections,
            Div("consent", css_class="form-section form-section--consent"),
            Div("website", css_class="form-trap", aria_hidden="true"),
            "form_token",
        )
        return helper

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("website"):
            self.trap_reasons.append("honeypot")
        token = form_token_read(cleaned_data.get("form_token") or "")
        if token is None:
            self.trap_reasons.append("form_token_invalid")
        else:
            shown_at, self.submission_key = token
            self.fill_seconds = round(time.time() - shown_at, 1)
            if self.fill_seconds < settings.FORM_MIN_FILL_SECONDS:
                self.trap_reasons.append("too_fast")
        return cleaned_data

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor id, label, message) for each field in error, in the order of the page."""
        summary = []
        for name in self._page_order():
            bound = self[name]
            if not bound.errors:
                continue
            anchor = bound.id_for_label or f"{bound.auto_id}_0"
            summary.extend((anchor, self.plain_labels[name], error) for error in bound.errors)
        return summary

    def _page_order(self) -> list[str]:
        names = [name for _legend, section in self.SECTIONS for name in section]
        return [*names, "consent"]

    def lead_data(self) -> dict:
        """The person's answers, as lead_create takes them."""
        fields = (
            "name",
            "name_kana",
            "email",
            "phone",
            "interest",
            "current_job",
            "experience",
            "timing",
            "contact_method",
            "message",
        )
        return {name: self.cleaned_data[name] for name in fields}
