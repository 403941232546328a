"""面談予約: when advisors take consultations, and the consultations candidates booked."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from careers.models.advisors import Advisor
from careers.models.leads import Lead
from core.models import TimeStampedModel


class Weekday(models.IntegerChoices):
    # date.weekday() numbering, so a date maps onto its row without translation.
    MONDAY = 0, _("月曜日")
    TUESDAY = 1, _("火曜日")
    WEDNESDAY = 2, _("水曜日")
    THURSDAY = 3, _("木曜日")
    FRIDAY = 4, _("金曜日")
    SATURDAY = 5, _("土曜日")
    SUNDAY = 6, _("日曜日")


class AdvisorWeeklyHours(models.Model):
    """A recurring window in which the advisor takes consultations, in Japan time."""

    advisor = models.ForeignKey(
        Advisor,
        verbose_name=_("アドバイザー"),
        on_delete=models.CASCADE,
        related_name="weekly_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("曜日"), choices=Weekday.choices)
    starts_at = models.TimeField(_("開始時刻"))
    ends_at = models.TimeField(_("終了時刻"))

    class Meta:
        verbose_name = _("面談受付時間(毎週)")
        verbose_name_plural = _("面談受付時間(毎週)")
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="careers_weekly_hours_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}〜{self.ends_at:%H:%M}"


class AdvisorHoursException(models.Model):
    """A dated change to the weekly hours: extra hours, or hours blocked for something else."""

    class Kind(models.TextChoices):
        EXTRA = "extra", _("追加で受け付ける")
        BLOCKED = "blocked", _("受け付けない")

    advisor = models.ForeignKey(
        Advisor,
        verbose_name=_("アドバイザー"),
        on_delete=models.CASCADE,
        related_name="hours_exceptions",
    )
    on = models.DateField(_("日付"))
    starts_at = models.TimeField(_("開始時刻"))
    ends_at = models.TimeField(_("終了時刻"))
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("理由"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("面談受付時間の例外")
        verbose_name_plural = _("面談受付時間の例外")
        ordering = ["on", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="careers_hours_exception_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.on} {self.starts_at:%H:%M}〜{self.ends_at:%H:%M} {self.get_kind_display()}"


class Booking(TimeStampedModel):
    """A consultation a candidate booked; rescheduling moves this row, so its UID stays."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("予約済み")
        CANCELLED = "cancelled", _("キャンセル")
        DONE = "done", _("実施済み")
        NO_SHOW = "no_show", _("無断欠席")

    class Meeting(models.TextChoices):
        ONLINE = "online", _("オンライン")
        PHONE = "phone", _("電話")

    lead = models.ForeignKey(
        Lead, verbose_name=_("リード"), on_delete=models.CASCADE, related_name="bookings"
    )
    advisor = models.ForeignKey(
        Advisor, verbose_name=_("アドバイザー"), on_delete=models.PROTECT, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("開始日時"), db_index=True)
    ends_at = models.DateTimeField(_("終了日時"))
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.BOOKED, db_index=True
    )
    meeting = models.CharField(_("面談方法"), max_length=10, choices=Meeting.choices)
    # RFC 5545: every invitation about this consultation carries the same UID and a
    # SEQUENCE raised on each change, so calendars update the one event they hold.
    uid = models.CharField(_("カレンダーUID"), max_length=100, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("更新回数"), default=0)
    # When each reminder is due; cleared once it is queued (the claim), so it goes once.
    day_before_reminder_at = models.DateTimeField(
        _("前営業日リマインド予定"), null=True, blank=True
    )
    hour_before_reminder_at = models.DateTimeField(
        _("1時間前リマインド予定"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("キャンセル日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("面談予約")
        verbose_name_plural = _("面談予約")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="careers_booking_ends_after_start"
            ),
            # One live consultation per lead: reschedule moves it, cancel frees the lead.
            models.UniqueConstraint(
                fields=["lead"],
                condition=Q(status="booked"),
                name="careers_booking_one_live_per_lead",
            ),
            # The portable half of the double-booking guard (SQLite for `make run` too).
            # PostgreSQL also has an exclusion constraint over overlapping time ranges,
            # added in migration 0006 (see there for why it is not declared here).
            models.UniqueConstraint(
                fields=["advisor", "starts_at"],
                condition=Q(status="booked"),
                name="careers_booking_one_per_advisor_start",
            ),
        ]
        indexes = [
            models.Index(
                fields=["advisor", "status", "starts_at"], name="careers_booking_calendar"
            ),
        ]

    def __str__(self):
        return f"{self.lead_id} {self.starts_at:%Y-%m-%d %H:%M}"


class AdvisorCalendar(models.Model):
    """The secret of an advisor's private calendar feed (.ics); rotating it revokes old URLs."""

    advisor = models.OneToOneField(
        Advisor, verbose_name=_("アドバイザー"), on_delete=models.CASCADE, related_name="calendar"
    )
    token = models.CharField(_("購読用の秘密のキー"), max_length=64, unique=True)
    rotated_at = models.DateTimeField(_("発行日時"), auto_now=True)

    class Meta:
        verbose_name = _("予定の購読URL")
        verbose_name_plural = _("予定の購読URL")

    def __str__(self):
        return str(self.advisor)
