"""The candidates' free career consultation form (/consultation/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.forms.base import LeadForm
from careers.forms.fields import (
    KatakanaField,
    choice_field,
    message_field,
    name_field,
    text_field,
)
from careers.models import Interest, Lead


class ConsultationForm(LeadForm):
    """A candidate's free career consultation. Field names are the product contract."""

    kind = Lead.Kind.CANDIDATE
    consent_required_message = _("ご相談には、個人情報の取り扱いへの同意が必要です。")
    phone_required_message = _(
        "「希望する連絡方法」で「電話」を選んだ場合は、電話番号を入力してください。"
    )

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
    name = name_field(_("お名前"), max_length=100, autocomplete="name", placeholder=_("山田 太郎"))
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
    PRESELECTABLE = ("interest",)
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        phone = self.fields["phone"]
        phone.help_text = _("「希望する連絡方法」で「電話」を選んだ場合は必須です。")
        # careers/consultation.js turns the 任意 badge into 必須 while 電話 is chosen.
        phone.widget.attrs["data-required-when"] = f"contact_method={Lead.ContactMethod.PHONE}"
        phone.widget.attrs["data-required-label"] = _("必須")

    def clean(self):
        cleaned_data = super().clean()
        wants_a_call = cleaned_data.get("contact_method") == Lead.ContactMethod.PHONE
        # Only when the number is missing: a malformed one already has its own error.
        if wants_a_call and not cleaned_data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", self.phone_required_message)
        return cleaned_data
