"""Routing rules that managers edit: a versioned rule set per team, its rules and conditions.

Each RuleSet row is one version. A draft is edited freely; publishing it (the
ruleset_publish service) retires the team's published row and makes the draft the new
published version in one transaction under the team's pool lock. Published and retired
rows are never edited again, so a decision record naming a version names a fixed policy.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from careers.models.advisors import Advisor
from careers.models.base import Interest, Team
from core.models import TimeStampedModel


class Method(models.TextChoices):
    """How a rule's target picks one advisor among those with room."""

    LOAD_BALANCE = "load_balance", _("負荷分散(未完了件数 ÷ 上限が最も低い人)")
    ROUND_ROBIN = "round_robin", _("順番制(最後の割り当てから最も時間が経っている人)")
    PRIORITY = "priority", _("優先順(並び順で空きのある最初の人)")


class RuleSet(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("公開中")
        RETIRED = "retired", _("過去の版")

    class Default(models.TextChoices):
        WAIT = "wait", _("「担当者なし」で待機し、マネージャーに通知")
        POOL = "pool", _("チーム全体に負荷分散で割り当て")
        ADVISOR = "advisor", _("指名した担当者(マネージャーなど)に割り当て")

    name = models.CharField(_("名前"), max_length=100)
    team = models.CharField(_("チーム"), max_length=10, choices=Team.choices)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    version = models.PositiveIntegerField(
        _("版"), null=True, blank=True, editable=False, help_text=_("公開時に採番されます。")
    )
    default = models.CharField(
        _("どのルールにも一致しないとき"),
        max_length=10,
        choices=Default.choices,
        default=Default.WAIT,
    )
    default_advisor = models.ForeignKey(
        Advisor,
        verbose_name=_("指名する担当者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cap_per_period = models.PositiveSmallIntegerField(
        _("期間あたりの上限(1人あたり)"),
        null=True,
        blank=True,
        help_text=_("空欄なら担当上限のみ。例: 7日間で20件まで。"),
    )
    cap_period_days = models.PositiveSmallIntegerField(_("上限の集計期間(日)"), default=7)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公開した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("振り分けルールセット")
        verbose_name_plural = _("振り分けルールセット")
        ordering = ["team", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(status="published"),
                name="careers_ruleset_one_published_per_team",
            ),
            models.UniqueConstraint(
                fields=["team", "version"], name="careers_ruleset_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(cap_period_days__gte=1), name="careers_ruleset_cap_period_positive"
            ),
        ]

    def __str__(self):
        if self.version is None:
            return f"{self.name}({self.get_status_display()})"
        return f"{self.name} v{self.version}({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class TakingHours(models.Model):
    """When leads are taken (JST): weekdays as digits, Monday = 0; empty means always."""

    weekdays = models.CharField(
        _("受け付ける曜日"),
        max_length=7,
        blank=True,
        help_text=_("空欄なら毎日。"),
    )
    hours_start = models.TimeField(_("受付開始時刻"), null=True, blank=True)
    hours_end = models.TimeField(
        _("受付終了時刻"), null=True, blank=True, help_text=_("日本時間。空欄なら終日。")
    )

    class Meta:
        abstract = True


def _hours_ordered() -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(hours_start__isnull=True, hours_end__isnull=True)
        | Q(hours_start__lt=models.F("hours_end")),
        name="%(app_label)s_%(class)s_hours_ordered",
    )


class Rule(TakingHours):
    ruleset = models.ForeignKey(
        RuleSet, verbose_name=_("ルールセット"), on_delete=models.CASCADE, related_name="rules"
    )
    position = models.PositiveSmallIntegerField(
        _("順番"), default=0, help_text=_("小さい順に試し、最初に一致したルールで振り分けます。")
    )
    name = models.CharField(_("ルール名"), max_length=100)
    specialty = models.CharField(
        _("対象の専門領域"),
        max_length=10,
        choices=Interest.choices,
        blank=True,
        help_text=_("空欄ならすべての専門領域。"),
    )
    advisors = models.ManyToManyField(
        Advisor,
        verbose_name=_("対象のアドバイザー"),
        through="RuleMember",
        related_name="+",
        blank=True,
    )
    method = models.CharField(
        _("割り当て方法"), max_length=15, choices=Method.choices, default=Method.LOAD_BALANCE
    )

    class Meta:
        verbose_name = _("振り分けルール")
        verbose_name_plural = _("振り分けルール")
        ordering = ["ruleset", "position", "id"]
        constraints = [_hours_ordered()]

    def __str__(self):
        return self.name


class RuleMember(TakingHours):
    """An advisor of a rule's pool; `position` is the order the priority method follows.

    Its own days and hours (Frappe's assignment_days, per advisor): outside them the
    advisor takes no leads from this rule, on top of the rule's own days and hours.
    """

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="members")
    advisor = models.ForeignKey(
        Advisor, verbose_name=_("アドバイザー"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("優先順"), default=0)

    class Meta:
        verbose_name = _("対象のアドバイザー")
        verbose_name_plural = _("対象のアドバイザー(空欄ならチーム全体)")
        ordering = ["rule", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "advisor"], name="careers_rulemember_unique"),
            _hours_ordered(),
        ]

    def __str__(self):
        return f"{self.rule} / {self.advisor}"


class Condition(models.Model):
    """One test on a lead fact; a rule's conditions must all hold (AND)."""

    class Fact(models.TextChoices):
        KIND = "kind", _("種別")
        INTEREST = "interest", _("興味のある領域")
        TIMING = "timing", _("転職希望時期")
        EXPERIENCE = "experience", _("経験年数")
        CURRENT_JOB = "current_job", _("現在のお仕事")
        CONTACT_METHOD = "contact_method", _("希望する連絡方法")
        ARTICLE_CATEGORY = "article_category", _("流入元記事のカテゴリ(スラッグ)")
        UTM_SOURCE = "utm_source", _("utm_source")
        UTM_CAMPAIGN = "utm_campaign", _("utm_campaign")
        POSITIONS = "positions", _("募集人数(企業)")
        WEEKDAY = "weekday", _("受付の曜日(日本時間)")
        HOUR = "hour", _("受付の時(0〜23時、日本時間)")
        REPEAT = "repeat", _("再度の申し込み")

    class Operator(models.TextChoices):
        IS = "is", _("が次と一致")
        IS_ONE_OF = "is_one_of", _("が次のいずれか")
        IS_NOT = "is_not", _("が次以外")
        IS_EMPTY = "is_empty", _("が空欄")

    rule = models.ForeignKey(
        Rule, verbose_name=_("ルール"), on_delete=models.CASCADE, related_name="conditions"
    )
    fact = models.CharField(_("項目"), max_length=20, choices=Fact.choices)
    operator = models.CharField(_("条件"), max_length=10, choices=Operator.choices)
    value = models.CharField(
        _("値"),
        max_length=500,
        blank=True,
        help_text=_(
            "選択肢のある項目は表示名でも入力できます。「いずれか」は読点(、)かカンマで区切ります。"
        ),
    )

    class Meta:
        verbose_name = _("条件")
        verbose_name_plural = _("条件(すべて満たすと一致)")
        ordering = ["rule", "id"]

    def __str__(self):
        return f"{self.get_fact_display()}{self.get_operator_display()} {self.value}".strip()
