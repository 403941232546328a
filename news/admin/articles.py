"""The article admin: list, schedule, publishing actions and revisions."""

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion_compare.admin import CompareVersionAdmin

from news.admin.forms import ArticleAdminForm
from news.models import Article, ArticleSlugRedirect, Category
from news.models.articles import REVISION_FIELDS
from news.revisions import article_restore, article_versions


class StateFilter(admin.SimpleListFilter):
    title = _("公開状態")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("下書き")),
            ("scheduled", _("予約投稿")),
            ("published", _("公開中")),
            ("expired", _("公開終了")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.drafts()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "published":
            return queryset.public()
        if self.value() == "expired":
            return queryset.expired()
        return queryset


STATE_LABELS = {
    "draft": _("下書き"),
    "scheduled": _("予約投稿"),
    "published": _("公開中"),
    "expired": _("公開終了"),
}


@admin.register(Article)
class ArticleAdmin(CompareVersionAdmin):
    """Articles with their revisions: history, a diff between any two, and restore."""

    form = ArticleAdminForm
    compare_fields = REVISION_FIELDS
    history_latest_first = True
    restore_template = "admin/news/article/restore.html"
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
            {
                "fields": (
                    "status",
                    "published_at",
                    "expires_at",
                    "author",
                    "byline",
                    "is_featured",
                )
            },
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

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore: show what the revision holds, and on POST save it as a new revision."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(article_versions(article), pk=version_id)
        if request.method == "POST":
            try:
                article_restore(version=version, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, _("この版を復元し、新しい版として保存しました。"))
                return redirect("admin:news_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            **(extra_context or {}),
            "opts": self.opts,
            "original": article,
            "version": version,
            "fields": version.field_dict,
            "title": _("「%(title)s」の版を復元") % {"title": version.object_repr},
        }
        return TemplateResponse(request, self.restore_template, context)

    @admin.action(description=_("選択した記事を今すぐ公開する"), permissions=["change"])
    def publish_now(self, request, queryset):
        reversion.set_comment(_("一覧から公開しました。"))
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
        reversion.set_comment(_("一覧から下書きに戻しました。"))
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


@admin.register(ArticleSlugRedirect)
class ArticleSlugRedirectAdmin(admin.ModelAdmin):
    list_display = ("old_slug", "article", "created_at")
    list_select_related = ("article",)
    search_fields = ("old_slug", "article__title", "article__slug")
    autocomplete_fields = ("article",)
