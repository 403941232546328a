"""Forms of the admin's own pages: status change, reassignment and personal-data requests."""

from django import forms
from django.utils.translation import gettext_lazy as _

from careers.models import Advisor, Lead

# What people may choose; assignment and "nobody found" belong to routing.
MANUAL_STATUSES = [
    (status, label)
    for status, label in Lead.Status.choices
    if status not in {Lead.Status.ASSIGNED, Lead.Status.UNASSIGNED}
]
CLOSE_REASON_HELP = _("「クローズ」にするときは必ず選んでください。")


class StatusChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("新しいステータス"), choices=MANUAL_STATUSES)
    close_reason = forms.ChoiceField(
        label=_("クローズ理由"),
        choices=[("", "---------"), *Lead.CloseReason.choices],
        required=False,
        help_text=CLOSE_REASON_HELP,
    )
    reason = forms.CharField(
        label=_("変更の理由・メモ"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("対応履歴に残ります。"),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["to"].choices = choices

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("to") == Lead.Status.CLOSED and not cleaned_data.get("close_reason"):
            self.add_error("close_reason", _("クローズ理由を選んでください。"))
        return cleaned_data


class BulkStatusForm(StatusChangeForm):
    """The same questions for several leads; each lead is still checked by the pipeline."""


class ReassignForm(forms.Form):
    advisor = forms.ModelChoiceField(
        label=_("新しい担当アドバイザー"),
        queryset=Advisor.objects.filter(is_active=True),
        required=False,
        empty_label=_("自動(振り分けルールで選ぶ)"),
        help_text=_("空欄にすると、振り分けルールが現在の担当者以外から選びます。"),
    )
    reason = forms.CharField(
        label=_("変更の理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("対応履歴に残り、「なぜこの担当者か」の記録になります。"),
    )

    def __init__(self, *args, team: str, exclude_id: int | None = None, **kwargs):
        """Only the advisors of the leads' `team`; `exclude_id` is the current holder."""
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = Advisor.objects.filter(is_active=True, team=team).exclude(
            pk=exclude_id
        )


class BulkReassignForm(ReassignForm):
    pass


class PersonalDataForm(forms.Form):
    DISCLOSE = "disclose"
    ERASE = "erase"

    email = forms.EmailField(label=_("メールアドレス"))
    request_type = forms.ChoiceField(
        label=_("請求の種類"),
        choices=[(DISCLOSE, _("開示(JSONで書き出す)")), (ERASE, _("削除(匿名化する)"))],
        widget=forms.RadioSelect,
        initial=DISCLOSE,
    )
    confirm = forms.BooleanField(
        label=_("削除は元に戻せないことを確認しました"),
        required=False,
        help_text=_("削除のときだけ必要です。件数と日時は統計のために残ります。"),
    )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("request_type") == self.ERASE and not cleaned_data.get("confirm"):
            self.add_error("confirm", _("削除するには確認にチェックしてください。"))
        return cleaned_data
