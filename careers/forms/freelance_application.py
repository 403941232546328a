"""The application to a 業務委託案件 (/projects/<slug>/apply/): a lead of kind freelance."""

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from careers.forms.base import LeadForm
from careers.forms.fields import (
    TextField,
    choice_field,
    message_field,
    name_field,
    text_field,
)
from careers.models import Lead
from careers.services.capture import LeadDetails

DAYS_CHOICES = [(str(days), _("週%(days)d日") % {"days": days}) for days in range(1, 6)]
# The desired start, in the freelancers' words; the values are Lead.Timing's.
START_CHOICES = [
    (Lead.Timing.NOW, _("すぐにでも")),
    (Lead.Timing.WITHIN_3_MONTHS, _("3か月以内")),
    (Lead.Timing.WITHIN_6_MONTHS, _("半年以内")),
    (Lead.Timing.EXPLORING, _("時期は相談したい")),
]
URL_MAX_LENGTH = 300


class PortfolioURLField(TextField):
    """An http(s) address only: anything else (javascript:, data:…) is refused, never stored."""

    default_validators = [
        URLValidator(
            schemes=["http", "https"],
            message=_("URLは http:// か https:// で始まる形で入力してください。"),
        )
    ]


class FreelanceApplicationForm(LeadForm):
    """A freelancer's application to one open project; the view hands the project in."""

    kind = Lead.Kind.FREELANCE
    consent_required_message = _("ご応募には、個人情報の取り扱いへの同意が必要です。")

    name = name_field(_("お名前"), max_length=100, autocomplete="name", placeholder=_("山田 太郎"))
    timing = choice_field(_("開始希望時期"), choices=START_CHOICES, required=True)
    available_days = choice_field(
        _("稼働できる日数"), choices=DAYS_CHOICES, required=True, radio=True
    )
    desired_rate = text_field(
        _("希望単価"), max_length=60, required=False, placeholder=_("例:月額80万円")
    )
    skills = text_field(
        _("スキル"),
        max_length=300,
        placeholder=_("例:Python, PyTorch, AWS(実務3年)"),
    )
    portfolio_url = PortfolioURLField(
        label=_("ポートフォリオ・GitHubのURL"),
        required=False,
        max_length=URL_MAX_LENGTH,
        widget=forms.URLInput(
            attrs={"inputmode": "url", "placeholder": "https://github.com/yourname"}
        ),
        error_messages={"max_length": _("URLは300文字以内で入力してください。")},
    )
    message = message_field(
        _("メッセージ"),
        help_text=_(
            "これまでの案件や、この案件で活かせる経験を自由にお書きください(2,000文字以内)。"
        ),
    )

    SECTIONS = (
        (_("お客さま情報"), ("name", "email", "phone")),
        (
            _("働き方とスキル"),
            ("timing", "available_days", "desired_rate", "skills", "portfolio_url"),
        ),
        (_("メッセージ"), ("message",)),
    )
    LEAD_FIELDS = (
        "name",
        "email",
        "phone",
        "timing",
        "desired_rate",
        "skills",
        "portfolio_url",
        "message",
    )

    def __init__(self, *args, project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    def lead_details(self, **context) -> LeadDetails:
        """The answers, tied to the project; its field is the interest routing matches."""
        return super().lead_details(
            project=self.project,
            interest=self.project.field,
            available_days=int(self.cleaned_data["available_days"]),
            **context,
        )
