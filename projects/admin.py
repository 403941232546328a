"""Projects in the staff admin: editing, the workflow buttons and the history of each step."""

from django.contrib import admin, messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from projects.models import Project, ProjectEvent
from projects.services import (
    ProjectTransitionError,
    project_record_creation,
    project_transition,
    project_transitions_for,
)

# The button that moves a project to each state, as staff read it.
TRANSITION_LABELS = {
    Project.Status.REVIEW: _("レビューに出す"),
    Project.Status.OPEN: _("公開する"),
    Project.Status.DRAFT: _("下書きに戻す"),
    Project.Status.FILLED: _("成約にする"),
    Project.Status.CLOSED: _("募集を終了する"),
}


class ProjectEventInline(admin.TabularInline):
    model = ProjectEvent
    verbose_name_plural = _("状態の履歴(だれが・いつ)")
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    change_form_template = "admin/projects/project/change_form.html"
    list_display = (
        "title",
        "status",
        "field",
        "role",
        "remote",
        "opened_at",
        "closing",
        "applicant_count",
    )
    list_filter = ("status", "field", "role", "remote")
    search_fields = ("title", "slug", "client_description", "client_name")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("skills", "welcome_skills", "advisors")
    readonly_fields = ("status", "opened_at", "created_at", "updated_at", "inquiry_link")
    date_hierarchy = "opened_at"
    inlines = (ProjectEventInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "description", "status", "opened_at")}),
        (_("条件"), {"fields": ("field", "role", "remote", "location")}),
        (
            _("稼働と単価"),
            {
                "fields": (
                    ("days_per_week_min", "days_per_week_max"),
                    "rate_unit",
                    ("rate_min", "rate_max"),
                    "starts_on",
                    "duration",
                )
            },
        ),
        (_("スキル"), {"fields": ("skills", "welcome_skills")}),
        (
            _("クライアント"),
            {
                "fields": (
                    "client_description",
                    "client_name",
                    "client_name_public",
                    "inquiry_link",
                )
            },
        ),
        (_("募集"), {"fields": ("closes_at", "advisors", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        # Applications are leads (careers.Lead.project); counted here without importing careers.
        return super().get_queryset(request).annotate(applicants=Count("applications"))

    @admin.display(description=_("応募者数"), ordering="applicants")
    def applicant_count(self, project):
        return project.applicants

    @admin.display(description=_("締切まで"), ordering="closes_at")
    def closing(self, project):
        days = project.days_until_close()
        if days is None:
            return _("締切済み") if project.status == Project.Status.OPEN else "—"
        if days == 0:
            return _("本日締切")
        return ngettext("あと%(days)d日", "あと%(days)d日", days) % {"days": days}

    @admin.display(description=_("もとのお問い合わせ"))
    def inquiry_link(self, project):
        """The company inquiry a draft was made from (careers.Lead.requested_project)."""
        try:
            lead = project.inquiry
        except ObjectDoesNotExist:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:careers_lead_change", args=[lead.pk]),
            _("%(reference)s %(company)s のお問い合わせ")
            % {"reference": lead.reference, "company": lead.company_name},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            project_record_creation(project=obj, actor=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transitions"] = [
                (status, TRANSITION_LABELS[status])
                for status in project_transitions_for(project=obj, user=request.user)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        """Save, then take the workflow step whose button was pressed, if any."""
        to = request.POST.get("_transition")
        if not to:
            return super().response_change(request, obj)
        try:
            project_transition(project=obj, to=to, actor=request.user)
        except ProjectTransitionError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("「%(title)s」を「%(status)s」にしました。")
                % {"title": obj.title, "status": Project.Status(to).label},
                messages.SUCCESS,
            )
        return redirect("admin:projects_project_change", obj.pk)
