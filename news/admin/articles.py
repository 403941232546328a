"""The article admin: list, schedule, publishing actions and revisions."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion_compare.admin import CompareVersionAdmin

from news.admin.editor import ArticleEditorMixin
from news.admin.filters import STATE_LABELS, ReviewFilter, StateFilter
from news.admin.forms import ArticleAdminForm
from news.models import Article, ArticleEvent, ArticleSlugRedirect, Category
from news.models.articles import REVISION_FIELDS
from news.oembed import embedded_posts_fetch_ring
from news.permissions import can_publish
from news.review import (
    article_approve,
    article_event_record,
    article_send_back,
    article_submit,
    changes_under_review,
)
from news.revisions import (
    article_body_images_link,
    article_restore,
    article_save,
    article_versions,
)


@admin.register(Article)
class ArticleAdmin(ArticleEditorMixin, CompareVersionAdmin):
    """Articles with their revisions: history, a diff between any two, and restore."""

    form = ArticleAdminForm
    compare_fields = REVISION_FIELDS
    history_latest_first = True
    restore_template = "admin/news/article/restore.html"
    review_template = "admin/news/article/review.html"
    list_display = (
        "title",
        "state_label",
        "review_status",
        "published_at",
        "category_names",
        "author",
        "is_featured",
        "updated_at",
    )
    list_display_links = ("title",)
    list_filter = (StateFilter, ReviewFilter, "categories", "tags", "is_featured", "author")
    search_fields = ("title", "slug", "lead", "body")
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("authors", "tags", "pinned_related")
    list_select_related = ("author",)
    readonly_fields = (
        "reading_minutes",
        "updated_at",
        "created_at",
        "toc_preview",
        "review_status",
        "review_history",
    )
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
                    "authors",
                    "byline",
                    "is_featured",
                )
            },
        ),
        (_("レビュー"), {"fields": ("review_status", "review_comment", "review_history")}),
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
        js = ("news/js/admin_counter.js", "news/js/markdown_editor.js")
        css = {"all": ("news/css/admin.css",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("body_html")
            .prefetch_related(Prefetch("categories", queryset=Category.objects.only("name")))
        )

    def get_urls(self):
        review = path(
            "<path:object_id>/review/",
            self.admin_site.admin_view(self.review_view),
            name="news_article_review",
        )
        return [review, *self.editor_urls(), *super().get_urls()]

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return self.readonly_fields
        # Publishing is the 編集長's step: an editor's article is published by approval.
        return (*self.readonly_fields, "status")

    def get_fieldsets(self, request, obj=None):
        if not can_publish(request.user):
            return self.fieldsets
        # The comment travels with 「保存してレビューに提出」, which publishers do not need.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "review_comment"]})
            for name, options in self.fieldsets
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        publisher = can_publish(request.user)
        context.update(
            can_submit_for_review=not publisher,
            can_review=(
                publisher
                and obj is not None
                and obj.review_status == Article.ReviewStatus.IN_REVIEW
            ),
        )
        if obj is not None and obj.has_unpublished_changes:
            self.message_user(
                request,
                _("公開中の内容とは異なる未公開の変更があります。公開には編集長の承認が必要です。"),
                messages.WARNING,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if self._saves_as_draft(request, obj):
            return  # saved with its relations, as a revision only, in save_related
        was_public = change and Article.objects.public().filter(pk=obj.pk).exists()
        super().save_model(request, obj, form, change)
        Article.objects.filter(pk=obj.pk).update(has_unpublished_changes=False)
        if obj.status == Article.Status.PUBLISHED and not was_public:
            article_event_record(
                article=obj, action=ArticleEvent.Action.PUBLISHED, user=request.user
            )

    def save_related(self, request, form, formsets, change):
        if not self._saves_as_draft(request, form.instance):
            super().save_related(request, form, formsets, change)
            article_body_images_link(form.instance)
            embedded_posts_fetch_ring(form.instance.body_html)
            return
        relations = {
            name: [related.pk for related in form.cleaned_data[name]]
            for name, field in form.fields.items()
            if isinstance(field, forms.ModelMultipleChoiceField)
        }
        article_save(
            article=form.instance,
            relations=relations,
            user=request.user,
            comment="",
            keep_live=True,
        )

    def _saves_as_draft(self, request, article) -> bool:
        """An editor's change to a published article becomes a revision, not the live page."""
        return (
            article.pk is not None
            and not can_publish(request.user)
            and Article.objects.filter(pk=article.pk, status=Article.Status.PUBLISHED).exists()
        )

    def response_change(self, request, obj):
        if "_submit_review" in request.POST:
            return self._submit_for_review(request, obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_submit_review" in request.POST:
            return self._submit_for_review(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def _submit_for_review(self, request, article):
        article.refresh_from_db()
        try:
            article_submit(
                article=article,
                user=request.user,
                comment=request.POST.get("review_comment", "")[:1000],
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("保存して、編集長のレビューに提出しました。"))
        return redirect("admin:news_article_change", article.pk)

    def review_view(self, request, object_id):
        """The 編集長's page: what approval would change, then approve or send back."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not can_publish(request.user):
            raise PermissionDenied
        comment = request.POST.get("comment", "")[:1000]
        if request.method == "POST":
            try:
                if "_send_back" in request.POST:
                    article_send_back(article=article, user=request.user, comment=comment)
                    self.message_user(request, _("コメントを付けて差し戻しました。"))
                else:
                    article_approve(article=article, user=request.user, comment=comment)
                    self.message_user(request, _("承認しました。記事は公開日時に公開されます。"))
                return redirect("admin:news_article_change", article.pk)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("「%(title)s」のレビュー") % {"title": article.title},
            "submitted": article.events.filter(action=ArticleEvent.Action.SUBMITTED)
            .select_related("actor")
            .first(),
            "changes": changes_under_review(article),
            "comment": comment,
        }
        return TemplateResponse(request, self.review_template, context)

    @admin.display(description=_("レビューの記録"))
    def review_history(self, article):
        events = article.events.select_related("actor")[:20] if article.pk else []
        return (
            format_html_join(
                "",
                "<p>{} {}({}){}</p>",
                (
                    (
                        timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M"),
                        event.get_action_display(),
                        event.actor or "—",
                        f":{event.comment}" if event.comment else "",
                    )
                    for event in events
                ),
            )
            or "—"
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
                article_restore(
                    version=version,
                    user=request.user,
                    keep_live=self._saves_as_draft(request, article),
                )
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

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.action(description=_("選択した記事を今すぐ公開する"), permissions=["publish"])
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
            article_event_record(
                article=article, action=ArticleEvent.Action.PUBLISHED, user=request.user
            )
            published += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d件の記事を公開しました。", "%(count)d件の記事を公開しました。", published
            )
            % {"count": published},
            messages.SUCCESS,
        )

    @admin.action(description=_("選択した記事を非公開(下書き)に戻す"), permissions=["publish"])
    def unpublish(self, request, queryset):
        reversion.set_comment(_("一覧から下書きに戻しました。"))
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            article_event_record(
                article=article, action=ArticleEvent.Action.UNPUBLISHED, user=request.user
            )
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
