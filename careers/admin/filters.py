"""List filters of the lead admin that are more than a field lookup."""

from django.contrib import admin
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from careers.models import Lead


def overdue_q():
    """Assigned, nobody has called yet, and the first-contact deadline has passed."""
    return Q(
        status=Lead.Status.ASSIGNED,
        first_contacted_at__isnull=True,
        first_contact_due_at__lte=Now(),
    )


class OverdueFilter(admin.SimpleListFilter):
    title = _("初回連絡の期限")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("期限超過")), ("no", _("期限内・対応済み"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue_q())
        if self.value() == "no":
            return queryset.exclude(overdue_q())
        return queryset


class DuplicateFilter(admin.SimpleListFilter):
    title = _("重複")
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("重複あり")), ("no", _("重複なし"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(duplicate_of__isnull=False)
        if self.value() == "no":
            return queryset.filter(duplicate_of__isnull=True)
        return queryset
