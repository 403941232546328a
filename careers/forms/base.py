"""LeadForm: what every lead form shares (contact fields, consent, the traps, the error summary).

A form subclass only declares its own questions and sections.
"""

import functools

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from careers.forms.fields import JapanesePhoneField, NormalizedEmailField
from careers.forms.traps import TrapField, form_token_make, traps_check
from careers.services.capture import LeadDetails

TRAP_FIELDS = ("website", "form_token")


@functools.cache
def _labels(form_class: type["LeadForm"], language: str | None) -> tuple[dict, dict]:
    """(plain labels, labels as the page shows them) of a form class's fields, built once per
    class and language rather than for every form, each POST's included.

    The page's labels carry a 必須 or 任意 badge; the consent's links to the policy.
    """
    fields = form_class.base_fields
    plain = {name: str(field.label) for name, field in fields.items()}
    # Opens in a new tab so reading the policy never loses what was typed.
    consent = format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>{}',
        reverse("privacy"),
        _("個人情報の取り扱い"),
        _("に同意する"),
    )
    shown = {
        name: _label_with_badge(consent if name == "consent" else field.label, field.required)
        for name, field in fields.items()
        if name not in TRAP_FIELDS
    }
    return plain, shown


def _label_with_badge(label, required: bool) -> str:
    if required:
        badge = format_html(
            '<span class="badge form-badge form-badge--required">{}</span>', _("必須")
        )
    else:
        badge = format_html(
            '<span class="badge form-badge form-badge--optional">{}</span>', _("任意")
        )
    return format_html("{} {}", label, badge)


class LeadForm(forms.Form):
    """What every lead form shares. A subclass declares its questions and sets:

    - `kind`: the Lead.Kind it creates;
    - `SECTIONS`: (legend, field names) in page order; consent always comes last;
    - `LEAD_FIELDS`: the answers that make its LeadDetails;
    - `consent_required_message`: why consent is needed, in the form's own words;
    - `PRESELECTABLE`: choice fields a link may answer in advance through the query string.
    """

    kind: str
    SECTIONS: tuple = ()
    LEAD_FIELDS: tuple = ()
    PRESELECTABLE: tuple = ()
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
        self.order_fields([*self._page_order(), *TRAP_FIELDS])
        if not self.is_bound:
            self.initial["form_token"] = form_token_make()
        self.fields["consent"].error_messages["required"] = self.consent_required_message
        self.plain_labels, shown = _labels(type(self), get_language())
        for name, label in shown.items():
            self.fields[name].label = label
        self.trap_reasons: list[str] = []
        self.fill_seconds: float | None = None
        self.submission_key: str | None = None

    @classmethod
    def preselected(cls, query) -> dict[str, str]:
        """Answers a link may choose in advance (a CTA button's ?interest=), if valid choices."""
        initial = {}
        for name in cls.PRESELECTABLE:
            value = query.get(name, "")
            field = cls.base_fields.get(name)
            if field is not None and value in dict(field.choices):
                initial[name] = value
        return initial

    @cached_property
    def helper(self) -> FormHelper:
        """crispy's layout, built only for a form that is shown (a valid POST never is)."""
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
        caught = traps_check(
            honeypot=cleaned_data.get("website") or "",
            form_token=cleaned_data.get("form_token") or "",
        )
        self.trap_reasons = caught.reasons
        self.fill_seconds = caught.fill_seconds
        self.submission_key = caught.submission_key
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

    def lead_details(self, **context) -> LeadDetails:
        """The person's answers, as lead_create takes them, with what the page knew (`context`)."""
        answers = {name: self.cleaned_data[name] for name in self.LEAD_FIELDS}
        return LeadDetails(kind=self.kind, **answers, **context)
