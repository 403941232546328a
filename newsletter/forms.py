from django import forms
from django.utils.translation import gettext_lazy as _

from newsletter.models import Topic

PROJECT_ALERTS_LABEL = _("新着案件(週1回、テーマに合う業務委託案件をお届けします)")


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "you@example.com"}),
    )
    topics = forms.ChoiceField(
        label=_("受け取るテーマ"),
        choices=Topic.choices,
        initial=Topic.BOTH,
        widget=forms.RadioSelect,
    )
    project_alerts = forms.BooleanField(label=PROJECT_ALERTS_LABEL, required=False)
    consent = forms.BooleanField(
        label=_("個人情報の取り扱いに同意します"),
        error_messages={"required": _("登録には個人情報の取り扱いへの同意が必要です。")},
    )
    # The article the reader came from (its slug); unknown values are ignored, never an error.
    source = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    # Invisible to people; bots fill every field.
    website = forms.CharField(
        required=False,
        label=_("ウェブサイト(入力しないでください)"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class PreferencesForm(forms.Form):
    topics = forms.ChoiceField(
        label=_("受け取るテーマ"), choices=Topic.choices, widget=forms.RadioSelect
    )
    project_alerts = forms.BooleanField(label=PROJECT_ALERTS_LABEL, required=False)
