"""The lead admin: the advisors' and managers' daily list, and the only door to a lead's pipeline.

Every field of a lead is read-only here. Status changes and reassignment go through the
pipeline services (careers.services.pipeline), exactly as the routing tasks do; notes go
through lead_note_add. What a user sees is scoped by careers.roles.leads_visible_to, and
every view (list, change, history, autocomplete, actions, export) starts from that scope.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careers.admin import views
from careers.admin.export import export_response
from careers.admin.filters import DuplicateFilter, OverdueFilter
from careers.admin.forms import BulkReassignForm, BulkStatusForm
from careers.admin.timeline import describe_events
from careers.models import Lead, LeadEvent, LeadNote
from careers.roles import (
    EXPORT_LEAD,
    HANDLE_PERSONAL_DATA,
    REASSIGN_LEAD,
    VIEW_ALL_LEADS,
    VIEW_DASHBOARD,
    leads_visible_to,
)
from careers.services import pipeline
from careers.services.notes import lead_note_add
from core.admin import ReadOnlyAdmin

ALWAYS = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]
# Beyond this many selected leads, a dry run per lead would make the page slow.
MAX_DRY_RUNS = 20

# Rows of read-only fields, so a lead reads on one screen.
CANDIDATE_FIELDS = (
    ("reference", "kind"),
    ("name", "name_kana"),
    ("email", "phone"),
    ("interest", "current_job"),
    ("experience", "timing", "contact_method"),
    "message",
)
# A company inquiry in the words of the recruiters' form (contact person, hiring field…).
COMPANY_FIELDS = (
    ("reference", "kind"),
    ("company_name", "department"),
    ("contact_person", "email", "phone"),
    ("hiring_field", "positions", "hiring_timing"),
    "message",
)
PIPELINE_FIELDS = (
    ("status_badge", "close_reason", "advisor"),
    ("assigned_at", "first_contact_due_at", "first_contacted_at"),
    ("sla_breach_count", "duplicate_link", "anonymized_at"),
)
ATTRIBUTION_FIELDS = (
    ("created_at", "source_article"),
    ("utm_source", "utm_medium", "utm_campaign"),
    ("utm_term", "utm_content"),
    ("referrer", "landing_path"),
)
CONSENT_FIELDS = (("consent_version", "consented_at"),)


def is_overdue(lead: Lead, now=None) -> bool:
    now = now or timezone.now()
    return (
        lead.status == Lead.Status.ASSIGNED
        and lead.first_contacted_at is None
        and lead.first_contact_due_at is not None
        and lead.first_contact_due_at <= now
    )


class LeadNoteInline(admin.TabularInline):
    """Notes are appended with their author and time; nobody edits or deletes one."""

    model = LeadNote
    fields = ("created_at", "author", "body")
    readonly_fields = ("created_at", "author")
    extra = 1
    can_delete = False
    verbose_name = _("メモ")
    verbose_name_plural = _("メモ(追記のみ)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "created",
        "name",
        "company",
        "interest",
        "status_badge",
        "advisor",
        "article",
        "first_contact_deadline",
        "is_duplicate",
    )
    list_display_links = ("reference", "name")
    list_select_related = ("advisor", "source_article")
    search_fields = ("reference", "name", "name_kana", "email", "phone", "company_name")
    search_help_text = _(
        "受付番号、お名前、フリガナ、メールアドレス、電話番号、会社名で検索します。"
    )
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_per_page = 50
    # COUNT(*) of the unfiltered table on every page is the slow part at 100,000 leads.
    show_full_result_count = False
    inlines = (LeadNoteInline,)
    actions = (
        "mark_contacted",
        "change_status",
        "reassign",
        "export_csv",
        "personal_data_request",
    )

    class Media:
        css = {"all": ("staff/admin.css",)}

    # -- scope -------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("advisor", "source_article")
        return leads_visible_to(user=request.user, queryset=queryset)

    def get_object(self, request, object_id, from_field=None):
        """A lead outside the user's scope does not exist for them: 404, never a redirect."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        lead = super().get_object(request, object_id, from_field)
        if lead is None:
            raise Http404(_("リードが見つかりません。"))
        return lead

    def has_add_permission(self, request):
        # Leads come only from the forms on the site, through lead_create.
        return False

    def has_delete_permission(self, request, obj=None):
        # Statistics and the audit trail depend on every lead; personal data is erased by
        # anonymisation (個人情報の請求対応) instead.
        return False

    def has_reassign_permission(self, request):
        return request.user.has_perm(REASSIGN_LEAD)

    def has_export_permission(self, request):
        return request.user.has_perm(EXPORT_LEAD)

    def has_personal_data_permission(self, request):
        return request.user.has_perm(HANDLE_PERSONAL_DATA)

    def has_dashboard_permission(self, request):
        return request.user.has_perm(VIEW_DASHBOARD)

    def get_list_filter(self, request):
        filters = [
            "status",
            "interest",
            "kind",
            "advisor",
            "source_article",
            ("created_at", admin.DateFieldListFilter),
            OverdueFilter,
            DuplicateFilter,
        ]
        if not request.user.has_perm(VIEW_ALL_LEADS):
            # An advisor's list holds only their own leads; the other names are noise.
            filters.remove("advisor")
        return filters

    # -- change view ---------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        details = COMPANY_FIELDS if obj and obj.kind == Lead.Kind.COMPANY else CANDIDATE_FIELDS
        return [
            (_("お申し込み内容"), {"fields": details}),
            (_("対応状況"), {"fields": PIPELINE_FIELDS}),
            (_("流入元"), {"fields": ATTRIBUTION_FIELDS, "classes": ("collapse",)}),
            (_("同意"), {"fields": CONSENT_FIELDS, "classes": ("collapse",)}),
            (_("履歴"), {"fields": ("timeline",)}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Raw field edits would bypass the pipeline's rules and events: all read-only.
        rows = CANDIDATE_FIELDS + COMPANY_FIELDS + PIPELINE_FIELDS + ATTRIBUTION_FIELDS
        return (*dict.fromkeys(flatten(rows + CONSENT_FIELDS)), "timeline")

    def save_model(self, request, obj, form, change):
        """Nothing of the lead itself is saved from the form; only notes are added."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not LeadNote:
            return super().save_formset(request, form, formset, change)
        added = []
        for note_form in formset.extra_forms:
            body = note_form.cleaned_data.get("body") if note_form.has_changed() else None
            if body:
                added.append(lead_note_add(lead=form.instance, author=request.user, body=body))
        # What construct_change_message reads for the admin's own history.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], []
        return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        lead = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "can_change_status": self.has_change_permission(request, lead),
            "can_reassign": self.has_reassign_permission(request),
            "status_url": reverse("admin:careers_lead_status", args=[lead.pk]),
            "reassign_url": reverse("admin:careers_lead_reassign", args=[lead.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": self.has_export_permission(request),
            "can_handle_personal_data": self.has_personal_data_permission(request),
            "can_view_dashboard": self.has_dashboard_permission(request),
        }
        return super().changelist_view(request, extra_context)

    # -- columns and read-only fields ---------------------------------------------------

    @admin.display(description=_("ステータス"), ordering="status")
    def status_badge(self, lead):
        return format_html(
            '<span class="lead-badge lead-badge--{}">{}</span>',
            lead.status,
            lead.get_status_display(),
        )

    @admin.display(description=_("ご担当者名"))
    def contact_person(self, lead):
        return lead.name

    @admin.display(description=_("採用したい領域"))
    def hiring_field(self, lead):
        return lead.get_interest_display()

    @admin.display(description=_("採用希望時期"))
    def hiring_timing(self, lead):
        return lead.get_timing_display() or "-"

    @admin.display(description=_("会社名(採用企業)"), ordering="company_name")
    def company(self, lead):
        # Candidates have no company; the column tells a company inquiry apart at a glance.
        return lead.company_name if lead.kind == Lead.Kind.COMPANY else "-"

    @admin.display(description=_("受付日時"), ordering="created_at")
    def created(self, lead):
        return timezone.localtime(lead.created_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("流入元の記事"), ordering="source_article__title")
    def article(self, lead):
        if lead.source_article is None:
            return "-"
        title = lead.source_article.title
        return format_html('<span class="lead-article" title="{}">{}</span>', title, title)

    @admin.display(description=_("初回連絡期限"), ordering="first_contact_due_at")
    def first_contact_deadline(self, lead):
        if lead.first_contact_due_at is None:
            return "-"
        when = timezone.localtime(lead.first_contact_due_at).strftime("%Y-%m-%d %H:%M")
        if is_overdue(lead):
            return format_html('<span class="lead-overdue">{} {}</span>', when, _("期限超過"))
        return when

    @admin.display(description=_("重複"), boolean=True, ordering="duplicate_of")
    def is_duplicate(self, lead):
        return lead.duplicate_of_id is not None

    @admin.display(description=_("重複元のリード"))
    def duplicate_link(self, lead):
        if lead.duplicate_of_id is None:
            return "-"
        url = reverse("admin:careers_lead_change", args=[lead.duplicate_of_id])
        return format_html('<a href="{}">{}</a>', url, _("重複元のリードを開く"))

    @admin.display(description=_("対応履歴"))
    def timeline(self, lead):
        if lead.pk is None:
            return "-"
        events = lead.events.select_related("actor").order_by("created_at", "id")
        return render_to_string(
            "admin/careers/lead/timeline.html", {"entries": describe_events(events)}
        )

    # -- actions -------------------------------------------------------------------

    @admin.action(description=_("連絡済みにする"), permissions=["change"], location=ALWAYS)
    def mark_contacted(self, request, queryset):
        self._transition_each(request, queryset, to=Lead.Status.CONTACTED, reason="")

    @admin.action(description=_("ステータスを変更する"), permissions=["change"], location=ALWAYS)
    def change_status(self, request, queryset):
        if self._from_change_form(request):
            return redirect("admin:careers_lead_status", queryset.get().pk)
        form = BulkStatusForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            self._transition_each(
                request,
                queryset,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                close_reason=form.cleaned_data["close_reason"],
            )
            return None
        return self._intermediate(
            request, queryset, form, "change_status", _("ステータスの一括変更")
        )

    @admin.action(description=_("担当者を変更する"), permissions=["reassign"], location=ALWAYS)
    def reassign(self, request, queryset):
        if self._from_change_form(request):
            return redirect("admin:careers_lead_reassign", queryset.get().pk)
        form = BulkReassignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            changed = 0
            for lead in queryset:
                try:
                    pipeline.lead_reassign(
                        lead=lead,
                        advisor=form.cleaned_data["advisor"],
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except pipeline.PipelineError as error:
                    self._refused(request, lead, error)
                else:
                    changed += 1
            if changed:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d件のリードの担当者を変更しました。",
                        "%(count)d件のリードの担当者を変更しました。",
                        changed,
                    )
                    % {"count": changed},
                    messages.SUCCESS,
                )
            return None
        leads = list(queryset[: MAX_DRY_RUNS + 1])
        suggestions = [
            (lead, pipeline.lead_route_dry_run(lead=lead)) for lead in leads[:MAX_DRY_RUNS]
        ]
        return self._intermediate(
            request,
            queryset,
            form,
            "reassign",
            _("担当者の変更"),
            suggestions=suggestions,
            more_than_shown=len(leads) > MAX_DRY_RUNS,
        )

    @admin.action(description=_("CSVで書き出す"), permissions=["export"])
    def export_csv(self, request, queryset):
        count = queryset.count()
        return export_response(
            leads=queryset,
            actor=request.user,
            description=f"選択した{count}件",
        )

    @admin.action(description=_("個人情報の請求対応(開示・削除)"), permissions=["personal_data"])
    def personal_data_request(self, request, queryset):
        emails = sorted({email.lower() for email in queryset.values_list("email", flat=True)})
        if len(emails) != 1:
            self.message_user(
                request,
                _("個人情報の請求対応は、同じメールアドレスのリードを選んで行ってください。"),
                messages.WARNING,
            )
            return None
        # The request page itself, filled in: an address never travels in a URL (or a log).
        return views.personal_data(self, request, email=emails[0])

    def _from_change_form(self, request):
        return f"{admin.ActionLocation.CHANGE_FORM.value}-action" in request.POST

    def _intermediate(self, request, queryset, form, action, title, **context):
        return TemplateResponse(
            request,
            "admin/careers/lead/bulk_action.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.opts,
                "form": form,
                "action": action,
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                **context,
            },
        )

    def _refused(self, request, lead, error):
        self.message_user(request, f"{lead.reference}: {' '.join(error.messages)}", messages.ERROR)

    def _transition_each(self, request, queryset, *, to, reason, close_reason=""):
        changed = 0
        for lead in queryset:
            try:
                pipeline.lead_transition(
                    lead=lead,
                    to=to,
                    actor=request.user,
                    reason=reason,
                    close_reason=close_reason,
                )
            except pipeline.PipelineError as error:
                self._refused(request, lead, error)
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d件のリードを「%(status)s」にしました。",
                    "%(count)d件のリードを「%(status)s」にしました。",
                    changed,
                )
                % {"count": changed, "status": Lead.Status(to).label},
                messages.SUCCESS,
            )

    # -- extra views -------------------------------------------------------------

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("dashboard/", wrap(self.dashboard_view), name="careers_lead_dashboard"),
            path("export/", wrap(self.export_view), name="careers_lead_export"),
            path(
                "personal-data/",
                wrap(self.personal_data_view),
                name="careers_lead_personal_data",
            ),
            path("<path:object_id>/status/", wrap(self.status_view), name="careers_lead_status"),
            path(
                "<path:object_id>/reassign/",
                wrap(self.reassign_view),
                name="careers_lead_reassign",
            ),
            *super().get_urls(),
        ]

    def dashboard_view(self, request):
        if not self.has_dashboard_permission(request):
            raise PermissionDenied
        return views.dashboard(self, request)

    def export_view(self, request):
        """The rows of the current list (its filters and search), as CSV; POST only."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect("admin:careers_lead_changelist")
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        return export_response(
            leads=queryset,
            actor=request.user,
            description=f"絞り込み: {request.GET.urlencode() or 'すべて'}",
        )

    def personal_data_view(self, request):
        if not self.has_personal_data_permission(request):
            raise PermissionDenied
        return views.personal_data(self, request)

    def status_view(self, request, object_id):
        lead = self.get_object(request, unquote(object_id))
        if not self.has_change_permission(request, lead):
            raise PermissionDenied
        return views.lead_status(self, request, lead)

    def reassign_view(self, request, object_id):
        if not self.has_reassign_permission(request):
            raise PermissionDenied
        lead = self.get_object(request, unquote(object_id))
        return views.lead_reassign(self, request, lead)


@admin.register(LeadEvent)
class LeadEventAdmin(ReadOnlyAdmin):
    """The whole event log, read-only, for managers auditing exports and decisions."""

    list_display = ("created_at", "lead", "kind", "actor")
    list_filter = ("kind", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("lead", "actor")
    search_fields = ("lead__reference",)
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    fields = ("created_at", "lead", "kind", "actor", "details")
    readonly_fields = fields

    def get_queryset(self, request):
        events = super().get_queryset(request)
        if request.user.has_perm(VIEW_ALL_LEADS):
            return events
        return events.filter(lead__in=leads_visible_to(user=request.user, queryset=Lead.objects))
