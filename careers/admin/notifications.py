"""The email outbox, read-only: managers check what was sent, what waits and what failed."""

from django.contrib import admin

from careers.models import Notification
from core.admin import ReadOnlyAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "lead", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "kind", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("lead",)
    search_fields = ("key", "subject", "lead__reference")
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    readonly_fields = (
        "key",
        "kind",
        "lead",
        "to",
        "subject",
        "body_text",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    )
    fields = readonly_fields
