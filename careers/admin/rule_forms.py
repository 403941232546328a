"""Forms of the rule-set admin: condition values in the managers' words, weekdays as boxes."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from careers.models import Condition, Rule, RuleMember
from careers.rule_selectors import WEEKDAY_LABELS, condition_vocabulary, normalise_value

Operator = Condition.Operator
# Managers type lists the Japanese way (、) or the ASCII way (,).
_SEPARATORS = re.compile(r"[、,，]")


def condition_value_clean(*, fact: str, operator: str, text: str) -> str:
    """The stored form of what a manager typed: codes joined by commas; Japanese errors."""
    parts = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    if operator == Operator.IS_EMPTY:
        if parts:
            raise ValidationError(_("「空欄」の条件には値を入れないでください。"))
        return ""
    if not parts:
        raise ValidationError(_("値を入力してください。"))
    if operator != Operator.IS_ONE_OF and len(parts) > 1:
        raise ValidationError(
            _("値は1つだけ入力してください。複数なら「が次のいずれか」を選んでください。")
        )
    choices = condition_vocabulary().get(fact)
    if choices is None:
        if fact == Condition.Fact.POSITIONS and not all(part.isdigit() for part in parts):
            raise ValidationError(_("募集人数は数字で入力してください。"))
        return ",".join(normalise_value(fact, part) for part in parts)
    by_word = {**{label: code for code, label in choices.items()}, **{c: c for c in choices}}
    unknown = [part for part in parts if part not in by_word]
    if unknown:
        raise ValidationError(
            _("「{values}」は選択肢にありません。選べる値: {choices}").format(
                values="、".join(unknown), choices="、".join(choices.values())
            )
        )
    return ",".join(dict.fromkeys(by_word[part] for part in parts))


def condition_value_display(*, fact: str, value: str) -> str:
    """Stored codes back in the managers' words."""
    choices = condition_vocabulary().get(fact, {})
    return "、".join(choices.get(code, code) for code in value.split(",") if code)


class ConditionForm(forms.ModelForm):
    class Meta:
        model = Condition
        fields = ("fact", "operator", "value")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["value"] = condition_value_display(
                fact=self.instance.fact, value=self.instance.value
            )

    def clean(self):
        cleaned = super().clean()
        fact, operator = cleaned.get("fact"), cleaned.get("operator")
        if fact and operator:
            try:
                cleaned["value"] = condition_value_clean(
                    fact=fact, operator=operator, text=cleaned.get("value", "")
                )
            except ValidationError as error:
                self.add_error("value", error)
        return cleaned


class TakingHoursForm(forms.ModelForm):
    """Days as boxes and a start-and-end pair, for a rule and for each member of its pool."""

    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("受け付ける曜日"),
        choices=[(str(day), label) for day, label in enumerate(WEEKDAY_LABELS)],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("どれも選ばなければ毎日。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["weekdays"] = list(self.instance.weekdays)

    def clean_weekdays(self):
        return "".join(sorted(self.cleaned_data["weekdays"]))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("hours_start"), cleaned.get("hours_end")
        if (start is None) != (end is None):
            raise ValidationError(_("受付時間は開始と終了の両方を入力してください。"))
        if start is not None and end is not None and start >= end:
            raise ValidationError(_("受付終了時刻は開始時刻より後にしてください。"))
        return cleaned


class RuleForm(TakingHoursForm):
    class Meta:
        model = Rule
        fields = (
            "ruleset",
            "position",
            "name",
            "specialty",
            "method",
            "weekdays",
            "hours_start",
            "hours_end",
        )


class RuleMemberForm(TakingHoursForm):
    class Meta:
        model = RuleMember
        fields = ("position", "advisor", "weekdays", "hours_start", "hours_end")


class ReplayForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("対象期間(日)"),
        min_value=1,
        max_value=366,
        initial=30,
        error_messages={
            "invalid": gettext_lazy("日数を整数で入力してください。"),
            "min_value": gettext_lazy("1日以上を指定してください。"),
            "max_value": gettext_lazy("366日以内を指定してください。"),
        },
    )
