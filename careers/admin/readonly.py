from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records staff may read but never add, edit or delete: logs, outboxes, deliveries."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
