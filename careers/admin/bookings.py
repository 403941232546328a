"""面談予約 in the admin: the 予定 list, consultation hours, and the private calendar feed.

Advisors see and edit only their own (Advisor.user is the login); managers, who may
change advisors, see and edit everyone's. Status changes go through the booking services.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from careers.booking.feed import advisor_calendar_rotate, advisor_calendar_url
from careers.booking.services import booking_mark_no_show
from careers.models import Advisor, AdvisorHoursException, AdvisorWeeklyHours, Booking
from careers.roles import VIEW_ALL_LEADS

MANAGE_ADVISORS = "careers.change_advisor"


def own_advisor(user) -> Advisor | None:
    return Advisor.objects.filter(user_id=user.pk).first() if user.is_authenticated else None


class PeriodFilter(admin.SimpleListFilter):
    title = _("期間")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [
            ("today", _("今日")),
            ("week", _("今週")),
            ("upcoming", _("今後")),
            ("past", _("過去")),
        ]

    def queryset(self, request, queryset):
        now = timezone.localtime()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        monday = today - timedelta(days=today.weekday())
        ranges = {
            "today": (today, today + timedelta(days=1)),
            "week": (monday, monday + timedelta(days=7)),
            "upcoming": (now, None),
            "past": (None, now),
        }
        if self.value() not in ranges:
            return queryset
        starts, ends = ranges[self.value()]
        if starts is not None:
            queryset = queryset.filter(starts_at__gte=starts)
        if ends is not None:
            queryset = queryset.filter(starts_at__lt=ends)
        return queryset


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """予定: the consultations candidates booked, today's and this week's first."""

    list_display = ("starts_at_display", "candidate", "contact", "meeting", "advisor", "status")
    list_filter = (PeriodFilter, "status", "meeting")
    list_select_related = ("lead", "advisor")
    ordering = ("starts_at",)
    show_full_result_count = False
    actions = ("mark_no_show",)
    fields = (
        ("candidate", "contact"),
        ("starts_at", "ends_at"),
        ("meeting", "advisor", "status"),
        ("sequence", "cancelled_at", "created_at"),
    )
    readonly_fields = (
        "candidate",
        "contact",
        "starts_at",
        "ends_at",
        "meeting",
        "advisor",
        "status",
        "sequence",
        "cancelled_at",
        "created_at",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.has_perm(VIEW_ALL_LEADS):
            return queryset
        return queryset.filter(advisor__user_id=request.user.pk)

    def get_list_filter(self, request):
        if request.user.has_perm(VIEW_ALL_LEADS):
            return (*self.list_filter, "advisor")
        return self.list_filter

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        rotate = self.admin_site.admin_view(require_POST(self.rotate_calendar_view))
        return [
            path("calendar/rotate/", rotate, name="careers_booking_calendar_rotate"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        advisor = own_advisor(request.user)
        extra_context = {
            **(extra_context or {}),
            "calendar_url": advisor_calendar_url(advisor=advisor, request=request)
            if advisor
            else None,
        }
        return super().changelist_view(request, extra_context)

    def rotate_calendar_view(self, request):
        advisor = own_advisor(request.user)
        if advisor is None or not self.has_view_permission(request):
            raise PermissionDenied
        advisor_calendar_rotate(advisor=advisor)
        self.message_user(
            request,
            _(
                "購読URLを新しくしました。以前のURLはもう使えません。カレンダーに登録し直してください。"
            ),
            messages.SUCCESS,
        )
        return redirect("admin:careers_booking_changelist")

    @admin.display(description=_("日時"), ordering="starts_at")
    def starts_at_display(self, booking):
        start = timezone.localtime(booking.starts_at)
        return f"{start:%Y-%m-%d %H:%M}〜{timezone.localtime(booking.ends_at):%H:%M}"

    @admin.display(description=_("ご相談者"))
    def candidate(self, booking):
        lead = booking.lead
        url = reverse("admin:careers_lead_change", args=[lead.pk])
        return format_html('<a href="{}">{} {} 様</a>', url, lead.reference, lead.name)

    @admin.display(description=_("連絡先"))
    def contact(self, booking):
        return " / ".join(value for value in (booking.lead.phone, booking.lead.email) if value)

    @admin.action(
        description=_("無断欠席にする(リードは再び初回連絡待ちに)"), permissions=["change"]
    )
    def mark_no_show(self, request, queryset):
        due = queryset.filter(status=Booking.Status.BOOKED, starts_at__lte=timezone.now())
        count = 0
        for booking in due:
            booking_mark_no_show(booking=booking, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d件を無断欠席にしました。",
                "%(count)d件を無断欠席にしました。",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


class OwnHoursAdmin(admin.ModelAdmin):
    """Consultation hours: an advisor edits their own, a manager everyone's."""

    list_select_related = ("advisor",)

    def _manages(self, request) -> bool:
        return request.user.has_perm(MANAGE_ADVISORS)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self._manages(request):
            return queryset
        return queryset.filter(advisor__user_id=request.user.pk)

    def get_list_filter(self, request):
        return ("advisor",) if self._manages(request) else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "advisor" and not self._manages(request):
            kwargs["queryset"] = Advisor.objects.filter(user_id=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AdvisorWeeklyHours)
class AdvisorWeeklyHoursAdmin(OwnHoursAdmin):
    list_display = ("advisor", "weekday", "starts_at", "ends_at")
    ordering = ("advisor", "weekday", "starts_at")


@admin.register(AdvisorHoursException)
class AdvisorHoursExceptionAdmin(OwnHoursAdmin):
    list_display = ("advisor", "on", "starts_at", "ends_at", "kind", "reason")
    ordering = ("-on", "starts_at")


class AdvisorWeeklyHoursInline(admin.TabularInline):
    model = AdvisorWeeklyHours
    fields = ("weekday", "starts_at", "ends_at")
    extra = 0


class AdvisorHoursExceptionInline(admin.TabularInline):
    model = AdvisorHoursException
    fields = ("on", "starts_at", "ends_at", "kind", "reason")
    extra = 0
