"""The editors' admin: articles with their schedule, categories, tags and CTAs."""

from django import forms
from django.contrib import admin, messages
from django.core.validators import URLValidator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from news.models import Article, ArticleSlugRedirect, CallToAction, Category, CTAClick, Tag

MARKDOWN_HELP = _(
    "Markdown で書きます。保存時にHTMLへ変換され、安全でないタグは取り除かれます。"
    "「## 見出し」が目次に載る大見出し(h2)、「### 小見出し」が小見出し(h3)です。"
    "「**太字**」「[リンク文字](https://…)」「- 箇条書き」「> 引用」"
    "「![説明](画像URL)」が使えます。記事タイトルが h1 なので、本文で「# 」は使わないでください。"
    "最後に「## まとめ」を置くのが基本です。"
)


class ReferencesField(forms.CharField):
    """参考 links edited as lines of 「タイトル | URL」 and stored as a JSON list."""

    widget = forms.Textarea(attrs={"rows": 3})
    separator = "|"

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                f"{item.get('title', '')} {self.separator} {item.get('url', '')}"
                for item in value
                if isinstance(item, dict)
            )
        return value

    def to_python(self, value):
        text = super().to_python(value)
        references = []
        validate_url = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            title, separator, url = line.rpartition(self.separator)
            title, url = title.strip(), url.strip()
            if not separator or not title or not url:
                raise forms.ValidationError(
                    _("%(number)d行目: 「タイトル | URL」の形で書いてください。"),
                    params={"number": number},
                )
            try:
                validate_url(url)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("%(number)d行目: URLは http:// か https:// で始めてください。"),
                    params={"number": number},
                ) from error
            references.append({"title": title, "url": url})
        return references


class ArticleAdminForm(forms.ModelForm):
    references = ReferencesField(
        label=_("参考リンク"),
        required=False,
        help_text=_(
            "1行に1件、「タイトル | URL」の形で書きます。記事の最後に「参考」として表示します。"
        ),
    )

    class Meta:
        model = Article
        fields = (
            "title",
            "slug",
            "lead",
            "body",
            "status",
            "published_at",
            "author",
            "byline",
            "is_featured",
            "categories",
            "tags",
            "hero_image",
            "hero_alt",
            "references",
            "pinned_related",
            "cta_choice",
            "cta",
            "seo_title",
            "seo_description",
            "og_image",
        )
        widgets = {
            "body": forms.Textarea(attrs={"rows": 30, "class": "news-markdown-editor"}),
            "lead": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"body": MARKDOWN_HELP}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        if cleaned.get("cta_choice") == Article.CTAChoice.CUSTOM and not cleaned.get("cta"):
            self.add_error("cta", _("「個別に指定したCTA」を選んだときはCTAを選んでください。"))
        return cleaned


class StateFilter(admin.SimpleListFilter):
    title = _("公開状態")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("下書き")),
            ("scheduled", _("予約投稿")),
            ("published", _("公開中")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.drafts()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "published":
            return queryset.public()
        return queryset


STATE_LABELS = {
    "draft": _("下書き"),
    "scheduled": _("予約投稿"),
    "published": _("公開中"),
}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "state_label",
        "published_at",
        "category_names",
        "author",
        "is_featured",
        "updated_at",
    )
    list_display_links = ("title",)
    list_filter = (StateFilter, "categories", "tags", "is_featured", "author")
    search_fields = ("title", "slug", "lead", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("tags", "pinned_related")
    list_select_related = ("author",)
    readonly_fields = ("reading_minutes", "updated_at", "created_at", "toc_preview")
    actions = ("publish_now", "unpublish")
    save_on_top = True
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("title", "slug", "lead", "body")}),
        (
            _("公開"),
            {"fields": ("status", "published_at", "author", "byline", "is_featured")},
        ),
        (_("分類"), {"fields": ("categories", "tags")}),
        (_("画像"), {"fields": ("hero_image", "hero_alt")}),
        (_("参考リンクと関連記事"), {"fields": ("references", "pinned_related")}),
        (_("CTA(相談への誘導)"), {"fields": ("cta_choice", "cta")}),
        (
            _("SEO・SNS"),
            {"fields": ("seo_title", "seo_description", "og_image"), "classes": ("collapse",)},
        ),
        (
            _("自動で計算される項目"),
            {"fields": ("reading_minutes", "toc_preview", "created_at", "updated_at")},
        ),
    )

    class Media:
        js = ("news/js/admin_counter.js",)
        css = {"all": ("news/css/admin.css",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("body_html")
            .prefetch_related(Prefetch("categories", queryset=Category.objects.only("name")))
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    @admin.display(description=_("状態"), ordering="status")
    def state_label(self, article):
        state = article.state
        return format_html(
            '<span class="news-state news-state--{}">{}</span>', state, STATE_LABELS[state]
        )

    @admin.display(description=_("カテゴリ"))
    def category_names(self, article):
        return "、".join(category.name for category in article.categories.all())

    @admin.display(description=_("目次"))
    def toc_preview(self, article):
        if not article.toc:
            return _("(h2・h3 の見出しがありません)")
        return format_html_join(
            "",
            '<div class="news-toc-h{}">{}</div>',
            ((entry["level"], entry["text"]) for entry in article.toc),
        )

    @admin.action(description=_("選択した記事を今すぐ公開する"), permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        published = 0
        for article in queryset:
            if article.is_public:
                continue
            article.status = Article.Status.PUBLISHED
            article.published_at = now
            article.save()
            published += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d件の記事を公開しました。", "%(count)d件の記事を公開しました。", published
            )
            % {"count": published},
            messages.SUCCESS,
        )

    @admin.action(description=_("選択した記事を非公開(下書き)に戻す"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d件の記事を下書きに戻しました。",
                "%(count)d件の記事を下書きに戻しました。",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


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


@admin.register(CallToAction)
class CallToActionAdmin(admin.ModelAdmin):
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
            {"fields": ("heading", "body", "recommendations", "closing", "button_label")},
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
    list_display = ("date", "article", "cta", "count")
    list_filter = ("cta",)
    list_select_related = ("article", "cta")
    date_hierarchy = "date"
    search_fields = ("article__title", "article__slug")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleSlugRedirect)
class ArticleSlugRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_slug", "article", "created_at")
    list_select_related = ("article",)
    search_fields = ("old_slug", "article__title", "article__slug")
    autocomplete_fields = ("article",)
