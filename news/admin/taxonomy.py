"""Categories and tags, with the number of articles in each."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from news.models import Category, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order", "cta", "article_count")
    list_editable = ("order",)
    list_select_related = ("cta",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("記事数"), ordering="article_total")
    def article_count(self, category):
        return category.article_total


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "article_count")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("記事数"), ordering="article_total")
    def article_count(self, tag):
        return tag.article_total
