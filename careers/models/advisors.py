from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from careers.models.base import Specialty, Team
from core.models import TimeStampedModel


class Advisor(TimeStampedModel):
    name = models.CharField(_("氏名"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ログインユーザー"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor",
    )
    team = models.CharField(
        _("チーム"), max_length=10, choices=Team.choices, default=Team.CAREER, db_index=True
    )
    specialty = models.CharField(_("専門領域"), max_length=10, choices=Specialty.choices)
    capacity = models.PositiveSmallIntegerField(
        _("担当上限"), default=10, help_text=_("同時に担当できる未完了リードの上限です。")
    )
    is_active = models.BooleanField(_("有効"), default=True)
    is_accepting = models.BooleanField(
        _("新規受付中"), default=True, help_text=_("オフにすると新しいリードが割り当てられません。")
    )
    last_assigned_at = models.DateTimeField(_("最終割り当て日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("アドバイザー")
        verbose_name_plural = _("アドバイザー")
        ordering = ["team", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="careers_advisor_capacity_positive"
            ),
        ]

    def __str__(self):
        return self.name


class AdvisorAbsence(models.Model):
    advisor = models.ForeignKey(
        Advisor, verbose_name=_("アドバイザー"), on_delete=models.CASCADE, related_name="absences"
    )
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"))
    reason = models.CharField(_("理由"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("不在期間")
        verbose_name_plural = _("不在期間")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="careers_absence_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.advisor} {self.starts_on}〜{self.ends_on}"


class RoutingPool(models.Model):
    """One row per team, locked while a routing decision is made.

    Leads of every interest draw on the same advisors (a `both` advisor serves AI
    and Web3), so the whole team is the unit of mutual exclusion: locking this row
    serialises decisions in a pool and keeps capacity and fairness exact.
    """

    team = models.CharField(_("チーム"), max_length=10, choices=Team.choices, unique=True)

    class Meta:
        verbose_name = _("振り分けプール")
        verbose_name_plural = _("振り分けプール")

    def __str__(self):
        return self.get_team_display()
