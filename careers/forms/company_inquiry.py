"""The companies' inquiry form (/recruiters/), hiring or 業務委託: a lead of kind company."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.forms.base import LeadForm
from careers.forms.fields import CountField, choice_field, message_field, name_field
from careers.models import Interest, Lead

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

    company_name = name_field(
        _("会社名"),
        max_length=200,
        autocomplete="organization",
        placeholder=_("例:株式会社プラスウェブスリー"),
    )
    department = name_field(_("部署名"), max_length=100, required=False, placeholder=_("例:人事部"))
    name = name_field(
        _("ご担当者名"), max_length=100, autocomplete="name", placeholder=_("山田 太郎")
    )
    engagement = choice_field(
        _("ご依頼の形"),
        choices=Lead.Engagement.choices,
        required=True,
        radio=True,
        help_text=_("業務委託のご依頼は、担当者が内容を伺って案件として掲載します。"),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("engagement", Lead.Engagement.HIRING)

    SECTIONS = (
        (_("貴社について"), ("company_name", "department", "name", "email", "phone")),
        (_("ご依頼について"), ("engagement", "interest", "positions", "timing", "message")),
    )
    LEAD_FIELDS = (
        "company_name",
        "department",
        "name",
        "email",
        "phone",
        "engagement",
        "interest",
        "positions",
        "timing",
        "message",
    )
