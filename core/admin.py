"""Admin pieces every app shares: the read-only ModelAdmin and the throttled login."""

from django.contrib import admin

from core.admin_login import ThrottledAdminLoginForm

# The default site's login is the only way into the admin, so the lockout guards all of it.
admin.site.login_form = ThrottledAdminLoginForm


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records staff may read but never add, edit or delete: logs, outboxes, deliveries."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
