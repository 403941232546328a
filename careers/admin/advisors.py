"""The advisor admin for managers: load at a glance, absences inline, pause and resume.

Availability (active, accepting, capacity, absences) is what routing reads, so it changes
only through the pipeline services, which take the pool lock and move leads as the
routing rules say; the form's own fields cover the rest (name, email, specialty, login).
"""

from functools import partial

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careers.admin.bookings import AdvisorHoursExceptionInline, AdvisorWeeklyHoursInline
from careers.dashboard import advisors_with_absence
from careers.models import Advisor, AdvisorAbsence
from careers.services import pipeline

AVAILABILITY_FIELDS = ("is_active", "is_accepting", "capacity")


class AdvisorAbsenceInline(admin.TabularInline):
    """New absences go through advisor_absence_create: one that has begun moves leads now."""

    model = AdvisorAbsence
    fields = ("starts_on", "ends_on", "reason")
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        # Ending an absence early is the "end absence" action: it lets waiting leads flow.
        return False


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "team",
        "specialty",
        "capacity",
        "open_leads_display",
        "load_bar",
        "availability",
        "current_absence",
    )
    list_filter = ("team", "specialty", "is_active", "is_accepting")
    search_fields = ("name", "email")
    ordering = ("team", "name")
    show_full_result_count = False
    inlines = (AdvisorAbsenceInline, AdvisorWeeklyHoursInline, AdvisorHoursExceptionInline)
    actions = ("pause", "resume", "end_absence", "activate", "deactivate")

    class Media:
        css = {"all": ("staff/admin.css",)}

    def get_queryset(self, request):
        # One query for the whole page: open-lead counts and today's absence as annotations.
        return advisors_with_absence(on=timezone.localdate())

    def get_fields(self, request, obj=None):
        fields = ["name", "email", "user", "team", "specialty", *AVAILABILITY_FIELDS]
        if obj is not None:
            fields.append("last_assigned_at")
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("team", "is_active", "is_accepting", "last_assigned_at")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            pipeline.advisor_update(advisor=obj, changed=form.changed_data)
        else:
            pipeline.advisor_create(advisor=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not AdvisorAbsence:
            return super().save_formset(request, form, formset, change)
        added = []
        for absence_form in formset.extra_forms:
            if not absence_form.has_changed():
                continue
            data = absence_form.cleaned_data
            added.append(
                pipeline.advisor_absence_create(
                    advisor=form.instance,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data.get("reason", ""),
                    actor=request.user,
                )
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], []
        return None

    # -- columns -------------------------------------------------------------------

    @admin.display(description=_("担当中"), ordering="open_leads")
    def open_leads_display(self, advisor):
        return advisor.open_leads

    @admin.display(description=_("負荷"))
    def load_bar(self, advisor):
        # <meter> draws the bar itself: no inline style, which our CSP forbids.
        return format_html(
            '<meter class="advisor-load" min="0" max="{}" low="{}" high="{}" optimum="0" '
            'value="{}" title="{} / {}">{} / {}</meter>',
            advisor.capacity,
            advisor.capacity * 0.6,
            advisor.capacity * 0.9,
            advisor.open_leads,
            advisor.open_leads,
            advisor.capacity,
            advisor.open_leads,
            advisor.capacity,
        )

    @admin.display(description=_("受付状況"))
    def availability(self, advisor):
        if not advisor.is_active:
            return format_html(
                '<span class="advisor-state advisor-state--off">{}</span>', _("無効")
            )
        if not advisor.is_accepting:
            return format_html(
                '<span class="advisor-state advisor-state--paused">{}</span>', _("受付停止中")
            )
        return format_html('<span class="advisor-state advisor-state--on">{}</span>', _("受付中"))

    @admin.display(description=_("現在の不在"))
    def current_absence(self, advisor):
        if advisor.absence_ends_on is None:
            return "-"
        text = _("%(date)sまで") % {"date": advisor.absence_ends_on.strftime("%Y-%m-%d")}
        if advisor.absence_reason:
            text = f"{text}({advisor.absence_reason})"
        return text

    # -- actions -------------------------------------------------------------------

    def _each(self, request, queryset, service, message):
        count = 0
        for advisor in queryset:
            service(advisor=advisor)
            count += 1
        self.message_user(request, message(count), messages.SUCCESS)

    @admin.action(description=_("新規受付を停止する"), permissions=["change"])
    def pause(self, request, queryset):
        self._each(
            request,
            queryset.filter(is_accepting=True),
            pipeline.advisor_pause,
            lambda count: (
                ngettext(
                    "%(count)d名の新規受付を停止しました。",
                    "%(count)d名の新規受付を停止しました。",
                    count,
                )
                % {"count": count}
            ),
        )

    @admin.action(description=_("新規受付を再開する"), permissions=["change"])
    def resume(self, request, queryset):
        self._each(
            request,
            queryset.filter(is_accepting=False),
            pipeline.advisor_resume,
            lambda count: (
                ngettext(
                    "%(count)d名の新規受付を再開しました。待機中のリードを振り分けます。",
                    "%(count)d名の新規受付を再開しました。待機中のリードを振り分けます。",
                    count,
                )
                % {"count": count}
            ),
        )

    @admin.action(description=_("有効にする"), permissions=["change"])
    def activate(self, request, queryset):
        self._each(
            request,
            queryset.filter(is_active=False),
            pipeline.advisor_activate,
            lambda count: (
                ngettext("%(count)d名を有効にしました。", "%(count)d名を有効にしました。", count)
                % {"count": count}
            ),
        )

    @admin.action(description=_("無効にする(未連絡のリードは再振り分け)"), permissions=["change"])
    def deactivate(self, request, queryset):
        self._each(
            request,
            queryset.filter(is_active=True),
            partial(pipeline.advisor_deactivate, actor=request.user),
            lambda count: (
                ngettext(
                    "%(count)d名を無効にしました。未連絡のリードは他の担当者に振り分けます。",
                    "%(count)d名を無効にしました。未連絡のリードは他の担当者に振り分けます。",
                    count,
                )
                % {"count": count}
            ),
        )

    @admin.action(description=_("不在を終了・取り消す(復帰)"), permissions=["change"])
    def end_absence(self, request, queryset):
        today = timezone.localdate()
        absences = AdvisorAbsence.objects.filter(
            advisor__in=queryset, ends_on__gte=today
        ).select_related("advisor")
        count = 0
        for absence in absences:
            pipeline.advisor_absence_end(absence=absence)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d件の不在を終了しました。", "%(count)d件の不在を終了しました。", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
