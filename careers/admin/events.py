"""The lead event log in the admin: read-only, scoped like the leads themselves."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from careers.admin.timeline import describe
from careers.models import Lead, LeadEvent
from careers.people import staff_name
from careers.roles import VIEW_ALL_LEADS, leads_visible_to
from core.admin import ReadOnlyAdmin


@admin.register(LeadEvent)
class LeadEventAdmin(ReadOnlyAdmin):
    """The whole event log, read-only, for managers auditing exports and decisions."""

    list_display = ("created_at", "lead", "kind", "actor_name")
    list_filter = ("kind", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("lead", "actor__advisor")
    search_fields = ("lead__reference",)
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    # The event in the timeline's words, not its stored JSON.
    fields = ("created_at", "lead", "kind", "actor_name", "described")
    readonly_fields = fields

    class Media:
        css = {"all": ("staff/admin.css",)}

    def get_queryset(self, request):
        events = super().get_queryset(request)
        if request.user.has_perm(VIEW_ALL_LEADS):
            return events
        return events.filter(lead__in=leads_visible_to(user=request.user, queryset=Lead.objects))

    @admin.display(description=_("実行者"), ordering="actor")
    def actor_name(self, event):
        return staff_name(event.actor)

    @admin.display(description=_("内容"))
    def described(self, event):
        return render_to_string("admin/careers/lead/timeline.html", {"entries": [describe(event)]})
