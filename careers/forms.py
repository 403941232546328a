"""The forms that make leads: normalise, then validate, with a Japanese message for every rule.

LeadForm holds what every lead form shares (contact fields, consent, the honeypot, the signed
fill-time token, the error summary); ConsultationForm (candidates) and CompanyInquiryForm
(companies, /recruiters/) only declare their own questions and sections.

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
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from careers.models import Interest, Lead
from core.normalization import (
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
        return normalize_typed_email(_reject_nul(super().to_python(value)))


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


class CountField(forms.IntegerField):
    """A whole number typed on any keyboard: full-width digits (３) are read as ASCII."""

    def to_python(self, value):
        if isinstance(value, str):
            value = nfkc(value).strip()
        return super().to_python(value)


# Every question is built by one of these, so a label and its messages always agree.


def text_field(label, *, max_length: int, required: bool = True, **attrs) -> TextField:
    """A one-line answer; `attrs` go to the <input> (autocomplete, placeholder…)."""
    return TextField(
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


class LeadForm(forms.Form):
    """What every lead form shares. A subclass declares its questions and sets:

    - `kind`: the Lead.Kind it creates;
    - `SECTIONS`: (legend, field names) in page order; consent always comes last;
    - `LEAD_FIELDS`: the answers lead_create takes;
    - `consent_required_message`: why consent is needed, in the form's own words.
    """

    kind: str
    SECTIONS: tuple = ()
    LEAD_FIELDS: tuple = ()
    consent_required_message = _("個人情報の取り扱いへの同意が必要です。")

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
    consent = forms.BooleanField(label=_("個人情報の取り扱いに同意する"))
    # Named like a real field so bots fill it; hidden from people by careers.css.
    website = TrapField(
        label=_("ウェブサイト(入力しないでください)"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = TrapField(widget=forms.HiddenInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([*self._page_order(), "website", "form_token"])
        if not self.is_bound:
            self.initial["form_token"] = form_token_make()
        self.fields["consent"].error_messages["required"] = self.consent_required_message
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
        return {"kind": self.kind, **{name: self.cleaned_data[name] for name in self.LEAD_FIELDS}}


class ConsultationForm(LeadForm):
    """A candidate's free career consultation. Field names are the product contract."""

    kind = Lead.Kind.CANDIDATE
    consent_required_message = _("ご相談には、個人情報の取り扱いへの同意が必要です。")

    interest = choice_field(
        _("興味のある領域"), choices=Interest.choices, required=True, radio=True
    )
    timing = choice_field(_("転職希望時期"), choices=Lead.Timing.choices)
    contact_method = choice_field(
        _("希望する連絡方法"), choices=Lead.ContactMethod.choices, radio=True
    )
    message = message_field(
        _("ご相談内容"),
        help_text=_("気になる企業や職種、不安なことなど、自由にお書きください(2,000文字以内)。"),
    )
    name = text_field(_("お名前"), max_length=100, autocomplete="name", placeholder=_("山田 太郎"))
    name_kana = KatakanaField(
        label=_("フリガナ"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("ヤマダ タロウ")}),
        error_messages={"max_length": _("フリガナは100文字以内で入力してください。")},
    )
    current_job = text_field(
        _("現在のお仕事"),
        max_length=100,
        required=False,
        autocomplete="organization-title",
        placeholder=_("例:Webエンジニア"),
    )
    experience = choice_field(
        _("経験年数"), choices=Lead.Experience.choices, help_text=_("現在の職種でのご経験です。")
    )

    SECTIONS = (
        (_("ご相談について"), ("interest", "timing", "contact_method", "message")),
        (_("お客さま情報"), ("name", "name_kana", "email", "phone")),
        (_("現在のお仕事"), ("current_job", "experience")),
    )
    LEAD_FIELDS = (
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


# The same values as Interest (routing matches them to the sales team's specialties), worded
# for a company that hires rather than a person who looks for work.
HIRING_FIELD_CHOICES = [
    (Interest.AI, _("AI領域の人材")),
    (Interest.WEB3, _("Web3領域の人材")),
    (Interest.BOTH, _("両方・まだ決めていない")),
]
POSITIONS_MAX = 999


class CompanyInquiryForm(LeadForm):
    """A company's inquiry about hiring through us (/recruiters/): a lead of kind company."""

    kind = Lead.Kind.COMPANY
    consent_required_message = _("お問い合わせには、個人情報の取り扱いへの同意が必要です。")

    company_name = text_field(
        _("会社名"),
        max_length=200,
        autocomplete="organization",
        placeholder=_("例:株式会社プラスウェブスリー"),
    )
    department = text_field(_("部署名"), max_length=100, required=False, placeholder=_("例:人事部"))
    name = text_field(
        _("ご担当者名"), max_length=100, autocomplete="name", placeholder=_("山田 太郎")
    )
    interest = choice_field(
        _("採用したい領域"), choices=HIRING_FIELD_CHOICES, required=True, radio=True
    )
    positions = CountField(
        label=_("募集人数"),
        required=False,
        min_value=1,
        max_value=POSITIONS_MAX,
        # Text, not type=number: a number input silently drops full-width digits.
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": _("例:3")}
        ),
        help_text=_("未定の場合は空欄で構いません。"),
        error_messages={
            "invalid": _("募集人数は数字で入力してください(例:3)。"),
            "min_value": _("募集人数は1名以上で入力してください。"),
            "max_value": _("募集人数は999名以内で入力してください。"),
        },
    )
    timing = choice_field(_("採用希望時期"), choices=Lead.Timing.choices)
    message = message_field(
        _("ご相談内容"),
        help_text=_(
            "募集職種、求めるスキルや経験、採用の課題など、自由にお書きください(2,000文字以内)。"
        ),
    )

    SECTIONS = (
        (_("貴社について"), ("company_name", "department", "name", "email", "phone")),
        (_("採用について"), ("interest", "positions", "timing", "message")),
    )
    LEAD_FIELDS = (
        "company_name",
        "department",
        "name",
        "email",
        "phone",
        "interest",
        "positions",
        "timing",
        "message",
    )
