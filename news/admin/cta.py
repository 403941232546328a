"""CTAs with where they are used and how often they are clicked."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from news.models import Article, CallToAction, Category, CTAButton, CTAClick
from news.models.cta import MAX_BUTTONS


class CTAButtonInline(admin.TabularInline):
    model = CTAButton
    extra = 0
    min_num = 1
    max_num = MAX_BUTTONS
    fields = ("position", "label", "interest")


@admin.register(CallToAction)
class CallToActionAdmin(admin.ModelAdmin):
    inlines = (CTAButtonInline,)
    list_display = (
        "name",
        "heading",
        "is_default",
        "is_active",
        "used_by_categories",
        "custom_article_count",
        "click_total",
    )
    list_filter = ("is_default", "is_active")
    search_fields = ("name", "slug", "heading")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("usage", "click_total")
    fieldsets = (
        (None, {"fields": ("name", "slug", "is_active", "is_default")}),
        (
            _("表示内容"),
            {"fields": ("heading", "body", "recommendations", "closing")},
        ),
        (_("利用状況"), {"fields": ("usage", "click_total")}),
    )

    def get_queryset(self, request):
        clicks = CTAClick.objects.values("cta").annotate(total=Sum("count")).values("total")
        return (
            super()
            .get_queryset(request)
            .annotate(
                clicks_sum=Coalesce(Subquery(clicks.filter(cta=OuterRef("pk"))[:1]), 0),
                custom_articles=Count(
                    "articles", filter=Q(articles__cta_choice=Article.CTAChoice.CUSTOM)
                ),
            )
            .prefetch_related(Prefetch("categories", queryset=Category.objects.only("name", "cta")))
        )

    @admin.display(description=_("使用カテゴリ"))
    def used_by_categories(self, cta):
        names = [category.name for category in cta.categories.all()]
        if cta.is_default:
            names.insert(0, str(_("既定(指定のないすべての記事)")))
        return "、".join(names) or "—"

    @admin.display(description=_("個別指定の記事数"), ordering="custom_articles")
    def custom_article_count(self, cta):
        return cta.custom_articles

    @admin.display(description=_("クリック数(累計)"), ordering="clicks_sum")
    def click_total(self, cta):
        return getattr(cta, "clicks_sum", 0)

    @admin.display(description=_("使われている場所"))
    def usage(self, cta):
        if cta.pk is None:
            return "—"
        categories = [category.name for category in cta.categories.all()]
        articles = list(cta.articles.filter(cta_choice=Article.CTAChoice.CUSTOM).only("title")[:50])
        parts = []
        if cta.is_default:
            parts.append(str(_("既定のCTA:カテゴリにも記事にも指定のない記事すべて")))
        if categories:
            parts.append(str(_("カテゴリ:")) + "、".join(categories))
        if articles:
            parts.append(str(_("個別指定の記事:")) + "、".join(a.title for a in articles))
        return format_html_join("", "<p>{}</p>", ((part,) for part in parts)) or "—"


@admin.register(CTAClick)
class CTAClickAdmin(admin.ModelAdmin):
    list_display = ("date", "article", "door", "cta", "interest", "count")
    list_filter = ("door", "cta")
    list_select_related = ("article", "cta")
    date_hierarchy = "date"
    search_fields = ("article__title", "article__slug")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
