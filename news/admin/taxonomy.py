"""Categories and tags, with the number of articles in each."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from news.models import Category, Tag


class ArticleCountAdmin(admin.ModelAdmin):
    """A list with the number of articles in each row (categories, tags, authors)."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("記事数"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


@admin.register(Category)
class CategoryAdmin(ArticleCountAdmin):
    list_display = ("name", "slug", "order", "cta", "article_count")
    list_editable = ("order",)
    list_select_related = ("cta",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")


@admin.register(Tag)
class TagAdmin(ArticleCountAdmin):
    list_display = ("name", "slug", "article_count")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")
