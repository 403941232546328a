"""The article list's filters: where an article stands for readers, and in review."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from news.models import Article

STATE_LABELS = {
    "draft": _("下書き"),
    "scheduled": _("予約投稿"),
    "published": _("公開中"),
    "expired": _("公開終了"),
}
# Each state is a named queryset filter, the same ones the public pages use.
_STATE_QUERYSETS = {
    "draft": "drafts",
    "scheduled": "scheduled",
    "published": "public",
    "expired": "expired",
}


class StateFilter(admin.SimpleListFilter):
    title = _("公開状態")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(STATE_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in _STATE_QUERYSETS:
            return getattr(queryset, _STATE_QUERYSETS[self.value()])()
        return queryset


class ReviewFilter(admin.SimpleListFilter):
    title = _("レビュー")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            (status.value, status.label)
            for status in Article.ReviewStatus
            if status != Article.ReviewStatus.NONE
        ]

    def queryset(self, request, queryset):
        if self.value() in Article.ReviewStatus.values:
            return queryset.filter(review_status=self.value())
        return queryset
