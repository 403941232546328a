"""The lead admin: the advisors' and managers' daily list, and the only door to a lead's pipeline.

Every field of a lead is read-only here. Status changes and reassignment go through the
pipeline services (careers.services.pipeline), exactly as the routing tasks do; notes go
through lead_note_add. What a user sees is scoped by careers.roles.leads_visible_to, and
every view (list, change, history, autocomplete, actions, export) starts from that scope.
"""

from django.contrib import admin
from django.contrib.admin.utils import flatten, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from careers.admin import views
from careers.admin.export import export_description, export_response
from careers.admin.filters import DuplicateFilter, OverdueFilter, RelatedWithLeadsFilter
from careers.admin.freelance import FREELANCE_FIELDS, FreelanceApplicationDisplay
from careers.admin.lead_actions import LeadActions
from careers.admin.lead_columns import LeadChangeList, LeadColumns
from careers.admin.search import lead_search
from careers.admin.timeline import NOTES_LATEST
from careers.models import Lead, LeadNote
from careers.people import staff_name
from careers.roles import (
    EXPORT_LEAD,
    HANDLE_PERSONAL_DATA,
    REASSIGN_LEAD,
    VIEW_ALL_LEADS,
    VIEW_DASHBOARD,
    leads_visible_to,
)
from careers.selectors import leads_with_overdue
from careers.services.notes import lead_note_add
from core.dates import jst
from core.pagination import EstimatedCountPaginator

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
    ("engagement", "requested_project_link"),
    ("hiring_field", "positions", "hiring_timing"),
    "message",
)
DETAIL_FIELDS = {Lead.Kind.COMPANY: COMPANY_FIELDS, Lead.Kind.FREELANCE: FREELANCE_FIELDS}
PIPELINE_FIELDS = (
    ("status_badge", "close_reason", "advisor"),
    ("assigned_at", "first_contact_due_at", "first_contacted_at"),
    ("sla_breach_count", "duplicate_link", "anonymized_at"),
)
ATTRIBUTION_FIELDS = (
    ("created_at", "door_clicked_at", "source_article"),
    ("utm_source", "utm_medium", "utm_campaign"),
    ("utm_term", "utm_content"),
    ("referrer", "landing_path"),
)
CONSENT_FIELDS = (("consent_version", "consented_at"),)


class LeadNoteInline(admin.TabularInline):
    """Notes are appended with their author and time; nobody edits or deletes one."""

    model = LeadNote
    # The author as a name, not a link: most staff may not open the user admin (403).
    fields = ("written_at", "written_by", "body")
    readonly_fields = ("written_at", "written_by")
    extra = 1
    can_delete = False
    verbose_name = _("メモ")
    verbose_name_plural = _("メモ(追記のみ)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author__advisor")

    @admin.display(description=_("記入日時"))
    def written_at(self, note):
        return jst(note.created_at) or "-"

    @admin.display(description=_("記入者"))
    def written_by(self, note):
        return staff_name(note.author) if note.pk else "-"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(FreelanceApplicationDisplay, LeadColumns, LeadActions, admin.ModelAdmin):
    # The columns an advisor acts on; they fit a 1366 px laptop, and become a card per lead
    # on a phone (static/staff/admin.css). The rest is one click away, on the lead.
    list_display = (
        "reference",
        "person",
        "interest_label",
        "status_cell",
        "advisor_name",
        "first_contact_deadline",
        "is_duplicate",
    )
    list_display_links = ("reference", "person")
    list_select_related = ("advisor",)
    search_fields = ("reference", "name", "name_kana", "email", "phone", "company_name")
    search_help_text = _(
        "受付番号、お名前、フリガナ、メールアドレス、電話番号、会社名で検索します。"
        "ひらがな・カタカナ・半角カナ、ハイフンや全角数字の有無は区別しません。"
    )
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    list_per_page = 50
    # COUNT(*) of the unfiltered table on every page is the slow part at 100,000 leads.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
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
        queryset = (
            super().get_queryset(request).select_related("advisor", "source_article", "project")
        )
        return leads_visible_to(user=request.user, queryset=leads_with_overdue(queryset))

    def get_changelist(self, request, **kwargs):
        return LeadChangeList

    def get_search_results(self, request, queryset, search_term):
        return lead_search(queryset, search_term), False

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
            ("source_article", RelatedWithLeadsFilter),
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
        details = DETAIL_FIELDS.get(obj.kind if obj else None, CANDIDATE_FIELDS)
        return [
            (_("お申し込み内容"), {"fields": details}),
            (_("対応状況"), {"fields": PIPELINE_FIELDS}),
            (_("流入元"), {"fields": ATTRIBUTION_FIELDS, "classes": ("collapse",)}),
            (_("同意"), {"fields": CONSENT_FIELDS, "classes": ("collapse",)}),
            (_("対応履歴"), {"fields": ("timeline",)}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # Raw field edits would bypass the pipeline's rules and events: all read-only.
        rows = (
            CANDIDATE_FIELDS
            + COMPANY_FIELDS
            + FREELANCE_FIELDS
            + PIPELINE_FIELDS
            + ATTRIBUTION_FIELDS
        )
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

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """The notes inline holds the newest NOTES_LATEST notes; the older ones are read in
        the full history (lead_timeline), so a long-handled lead's page stays bounded."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, LeadNoteInline) and obj is not None and obj.pk is not None:
            newest = obj.notes.order_by("-created_at", "-id").values("id")[:NOTES_LATEST]
            kwargs["queryset"] = kwargs["queryset"].filter(id__in=newest)
        return kwargs

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Here rather than in change_view, which would read the lead a second time.
        if obj is not None:
            context.update(
                can_change_status=self.has_change_permission(request, obj),
                can_reassign=self.has_reassign_permission(request),
                status_url=reverse("admin:careers_lead_status", args=[obj.pk]),
                reassign_url=reverse("admin:careers_lead_reassign", args=[obj.pk]),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        """One history: the lead's own timeline, on its page."""
        lead = self.get_object(request, unquote(object_id))
        url = reverse("admin:careers_lead_change", args=[lead.pk])
        return redirect(f"{url}#lead-timeline")

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": self.has_export_permission(request),
            "can_handle_personal_data": self.has_personal_data_permission(request),
            "can_view_dashboard": self.has_dashboard_permission(request),
        }
        return super().changelist_view(request, extra_context)

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
                "<path:object_id>/timeline/",
                wrap(self.timeline_view),
                name="careers_lead_timeline",
            ),
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
            description=export_description(
                params=changelist.get_filters_params(), searched=bool(changelist.query)
            ),
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

    def timeline_view(self, request, object_id):
        lead = self.get_object(request, unquote(object_id))
        return views.lead_timeline(self, request, lead)

    def reassign_view(self, request, object_id):
        if not self.has_reassign_permission(request):
            raise PermissionDenied
        lead = self.get_object(request, unquote(object_id))
        return views.lead_reassign(self, request, lead)
