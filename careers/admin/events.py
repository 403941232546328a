"""The lead event log in the admin: read-only, scoped like the leads themselves."""

from django.contrib import admin

from careers.models import Lead, LeadEvent
from careers.roles import VIEW_ALL_LEADS, leads_visible_to
from core.admin import ReadOnlyAdmin


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
