"""List filters of the lead admin that are more than a field lookup."""

from django.contrib import admin
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from careers.selectors import lead_overdue_q


class OverdueFilter(admin.SimpleListFilter):
    title = _("初回連絡の期限")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("期限超過")), ("no", _("期限内・対応済み"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(lead_overdue_q())
        if self.value() == "no":
            return queryset.exclude(lead_overdue_q())
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


class RelatedWithLeadsFilter(admin.RelatedOnlyFieldListFilter):
    """The related objects (articles) that at least one lead in the user's scope points to.

    Django's RelatedOnlyFieldListFilter reads DISTINCT over every lead (0.7 s at 1,000,000
    leads). When the user's scope narrows the leads, an EXISTS per related object is one
    index probe each; when it does not (a manager), walking the column's index from one
    distinct value to the next reads as many entries as there are values: 0.4 ms instead of
    14 ms of probing 10,000 articles. Only the id and the label are read: whole articles
    (their body and HTML) took 60 ms of every list page.
    """

    label_field = "title"

    def field_choices(self, field, request, model_admin):
        scope = model_admin.get_queryset(request)
        if scope.query.has_filters():
            leads = scope.filter(**{self.field_path: OuterRef("pk")})
            related = field.related_model._default_manager.filter(Exists(leads))
        else:
            values = distinct_values(scope.model._meta.db_table, field.column)
            related = field.related_model._default_manager.filter(pk__in=values)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        return list(related.values_list("pk", self.label_field))


def distinct_values(table: str, column: str) -> RawSQL:
    """The distinct non-null values of an indexed column, one index probe per value (a loose
    index scan, which PostgreSQL does not plan by itself)."""
    table, column = connection.ops.quote_name(table), connection.ops.quote_name(column)
    # Only the model's own quoted names are interpolated, never anything typed.
    next_value = f"SELECT min({column}) FROM {table} WHERE {column} > found.value"  # noqa: S608
    sql = (
        f"WITH RECURSIVE found(value) AS (SELECT min({column}) FROM {table} "  # noqa: S608
        f"UNION ALL SELECT ({next_value}) FROM found WHERE found.value IS NOT NULL) "
        "SELECT value FROM found WHERE value IS NOT NULL"
    )
    return RawSQL(sql, [])  # noqa: S611
