"""The email outbox, read-only: managers check what was sent, what waits and what failed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from outbox.models import Email


@admin.register(Email)
class EmailAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "about_display",
        "subject",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", "kind", ("created_at", admin.DateFieldListFilter))
    # A lead's emails have keys such as lead:<id>:confirmation; `to` finds a recipient.
    search_fields = ("key", "subject", "to")
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    readonly_fields = (
        "key",
        "kind",
        "about_display",
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

    def get_queryset(self, request):
        # One query per kind of object the page links to, not one per row.
        return super().get_queryset(request).prefetch_related("about")

    @admin.display(description=_("関連する対象"))
    def about_display(self, email: Email):
        return email.about or "-"
