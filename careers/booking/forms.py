"""The candidate's booking forms; the slot list itself is checked by the service."""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from careers.models import Booking

REQUEST_MAX_LENGTH = 1000


class BookingForm(forms.Form):
    """A slot (its ISO 8601 start, as the radio's value) and the meeting method."""

    slot = forms.CharField(
        label=_("面談日時"),
        max_length=40,
        error_messages={"required": _("面談日時を選んでください。")},
    )
    meeting = forms.ChoiceField(
        label=_("面談方法"),
        choices=Booking.Meeting.choices,
        initial=Booking.Meeting.ONLINE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("面談方法を選んでください。"),
            "invalid_choice": _("面談方法は「オンライン」か「電話」から選んでください。"),
        },
    )

    def clean_slot(self) -> datetime:
        value = self.cleaned_data["slot"].strip()
        try:
            starts_at = datetime.fromisoformat(value)
        except ValueError:
            starts_at = None
        # A start without its offset could be any time zone's: only the offered values count.
        if starts_at is None or starts_at.utcoffset() is None:
            raise ValidationError(
                _("面談日時の形式が正しくありません。一覧から日時を選んでください。"),
                code="malformed",
            )
        return starts_at


class BookingRequestForm(forms.Form):
    """「希望日時を連絡する」: free text for the advisor when no slot suits."""

    message = forms.CharField(
        label=_("ご希望の日時"),
        max_length=REQUEST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例:12月10日(水)の午後、または平日19時以降"),
        error_messages={
            "required": _("ご希望の日時を入力してください。"),
            "max_length": _("%(limit_value)d文字以内で入力してください。"),
        },
    )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].replace("\x00", "").strip()
        if not message:
            raise ValidationError(_("ご希望の日時を入力してください。"), code="required")
        return message
