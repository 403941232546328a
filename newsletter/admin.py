"""The newsletter in the admin: subscribers with counts by topic, issues with send controls."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.admin import ReadOnlyAdmin
from news.models import Article
from newsletter.emails import issue_email_context, issue_render
from newsletter.models import Delivery, NewsletterIssue, Subscriber
from newsletter.selectors import (
    issue_articles,
    issue_list_with_stats,
    issue_recipients,
    subscriber_counts_by_topic,
)
from newsletter.sending import issue_send_start, issue_suggest_articles, issue_test_send_queue
from newsletter.services import subscriber_unsubscribe


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Read-only: people subscribe themselves (double opt-in), never through staff."""

    change_list_template = "newsletter/admin/subscriber_change_list.html"
    list_display = (
        "email",
        "topics",
        "project_alerts",
        "status",
        "source_article",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    )
    list_filter = ("status", "topics", "project_alerts", "created_at")
    search_fields = ("email",)
    list_select_related = ("source_article",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "email",
        "topics",
        "project_alerts",
        "status",
        "source_article",
        "created_at",
        "confirmation_sent_at",
        "confirmations_sent",
        "confirmed_at",
        "unsubscribed_at",
        "erased_at",
    )
    fields = readonly_fields
    actions = ("unsubscribe_selected",)

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "topic_counts": subscriber_counts_by_topic()}
        return super().changelist_view(request, extra_context=extra_context)

    @admin.action(
        description=gettext_lazy("選択した購読者への配信を停止する"), permissions=["change"]
    )
    def unsubscribe_selected(self, request, queryset):
        tokens = list(
            queryset.exclude(status=Subscriber.Status.UNSUBSCRIBED).values_list("token", flat=True)
        )
        for token in tokens:
            subscriber_unsubscribe(token=token)
        self.message_user(
            request,
            _("%(count)d 件の配信を停止しました。") % {"count": len(tokens)},
            messages.SUCCESS,
        )


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    change_form_template = "newsletter/admin/issue_change_form.html"
    list_display = (
        "subject",
        "topics",
        "status",
        "recipient_count",
        "sent_count",
        "failed_count",
        "unsubscribed_count",
        "sent_at",
    )
    list_filter = ("status", "topics")
    search_fields = ("subject",)
    filter_horizontal = ("articles",)
    fields = ("subject", "topics", "intro", "articles")
    readonly_fields = (
        "status",
        "created_by",
        "created_at",
        "test_sent_at",
        "sent_by",
        "send_started_at",
        "sent_at",
        "delivery_summary",
    )
    actions = ("suggest_articles",)

    def get_queryset(self, request):
        return issue_list_with_stats()

    def get_fields(self, request, obj=None):
        return (*self.fields, *self.readonly_fields) if obj else self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            # What went out is the record: a sent issue's content does not change afterwards.
            return (*self.fields, *self.readonly_fields)
        return self.readonly_fields if obj else ()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "articles":
            kwargs["queryset"] = Article.objects.public().only("title").order_by("-published_at")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # Deleting a sent issue would erase the record of who received it.
        if obj is not None and not obj.is_draft:
            return False
        return super().has_delete_permission(request, obj)

    def has_send_permission(self, request):
        return request.user.has_perm("newsletter.send_newsletterissue")

    @admin.display(description=gettext_lazy("宛先"), ordering="recipient_count")
    def recipient_count(self, obj):
        return obj.recipient_count

    @admin.display(description=gettext_lazy("送信済み"), ordering="sent_count")
    def sent_count(self, obj):
        return obj.sent_count

    @admin.display(description=gettext_lazy("送信失敗"), ordering="failed_count")
    def failed_count(self, obj):
        return obj.failed_count

    @admin.display(description=gettext_lazy("配信後に配信停止"), ordering="unsubscribed_count")
    def unsubscribed_count(self, obj):
        return obj.unsubscribed_count

    @admin.display(description=gettext_lazy("配信状況"))
    def delivery_summary(self, obj):
        if obj.pk is None or obj.is_draft:
            return "-"
        url = reverse("admin:newsletter_delivery_changelist") + f"?issue__id__exact={obj.pk}"
        return format_html(
            '{}: {} / {}: {} / {}: {} / {}: {} <a href="{}">{}</a>',
            _("宛先"),
            obj.recipient_count,
            _("送信済み"),
            obj.sent_count,
            _("送信失敗"),
            obj.failed_count,
            _("配信後に配信停止"),
            obj.unsubscribed_count,
            url,
            _("宛先ごとの記録を見る"),
        )

    @admin.action(
        description=gettext_lazy("直近の記事をテーマから提案して追加する(下書きのみ)"),
        permissions=["change"],
    )
    def suggest_articles(self, request, queryset):
        added = sum(
            issue_suggest_articles(issue=issue)
            for issue in queryset.filter(status=NewsletterIssue.Status.DRAFT)
        )
        self.message_user(
            request, _("%(count)d 件の記事を追加しました。") % {"count": added}, messages.SUCCESS
        )

    # ------------------------------------------------------------------
    # The issue's own pages: preview, suggest, test send, send
    # ------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="newsletter_issue_preview"),
            path(
                "<int:pk>/suggest/",
                wrap(require_POST(self.suggest_view)),
                name="newsletter_issue_suggest",
            ),
            path(
                "<int:pk>/send-test/",
                wrap(require_POST(self.send_test_view)),
                name="newsletter_issue_send_test",
            ),
            path("<int:pk>/send/", wrap(self.send_view), name="newsletter_issue_send"),
            *super().get_urls(),
        ]

    def _issue(self, request, pk, *, change=False) -> NewsletterIssue:
        issue = get_object_or_404(NewsletterIssue, pk=pk)
        allowed = (
            self.has_change_permission(request, issue)
            if change
            else self.has_view_permission(request, issue)
        )
        if not allowed:
            raise PermissionDenied
        return issue

    def _change_url(self, issue):
        return reverse("admin:newsletter_newsletterissue_change", args=[issue.pk])

    def preview_view(self, request, pk):
        issue = self._issue(request, pk)
        articles = issue_articles(issue=issue)
        return TemplateResponse(
            request,
            "newsletter/admin/issue_preview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": issue,
                "title": _("プレビュー: %(subject)s") % {"subject": issue.subject},
                "rendered": issue_render(issue=issue, articles=articles, subscriber=None),
                "email_context": issue_email_context(
                    issue=issue, articles=articles, subscriber=None
                ),
                "recipient_count": issue_recipients(topics=issue.topics).count(),
            },
        )

    def suggest_view(self, request, pk):
        issue = self._issue(request, pk, change=True)
        if issue.is_draft:
            added = issue_suggest_articles(issue=issue)
            self.message_user(
                request,
                _("直近の記事から %(count)d 件を追加しました。") % {"count": added},
                messages.SUCCESS,
            )
        return redirect(self._change_url(issue))

    def send_test_view(self, request, pk):
        issue = self._issue(request, pk, change=True)
        if not request.user.email:
            self.message_user(
                request,
                _("あなたのユーザーにメールアドレスが設定されていません。"),
                messages.ERROR,
            )
        else:
            issue_test_send_queue(issue=issue, to=request.user.email)
            self.message_user(
                request,
                _("テスト送信を受け付けました(宛先: %(email)s)。まもなく届きます。")
                % {"email": request.user.email},
                messages.SUCCESS,
            )
        return redirect(self._change_url(issue))

    def send_view(self, request, pk):
        issue = self._issue(request, pk, change=True)
        if not self.has_send_permission(request):
            raise PermissionDenied
        if not issue.is_draft:
            self.message_user(request, _("この号はすでに配信を開始しています。"), messages.WARNING)
            return redirect(self._change_url(issue))
        if request.method == "POST":
            try:
                started = issue_send_start(issue=issue, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return redirect(self._change_url(issue))
            if started:
                self.message_user(
                    request,
                    _("配信を開始しました。送信状況は一覧の件数で確認できます。"),
                    messages.SUCCESS,
                )
            return redirect(self._change_url(issue))
        return TemplateResponse(
            request,
            "newsletter/admin/issue_send_confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": issue,
                "title": _("配信の確認"),
                "recipient_count": issue_recipients(topics=issue.topics).count(),
                "article_count": len(issue_articles(issue=issue)),
            },
        )

    def add_view(self, request, form_url="", extra_context=None):
        # How many will receive it, never who: editors cannot browse the subscribers.
        extra_context = {**(extra_context or {}), "topic_counts": subscriber_counts_by_topic()}
        return super().add_view(request, form_url, extra_context=extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_send": self.has_send_permission(request),
            "topic_counts": subscriber_counts_by_topic(),
        }
        return super().change_view(request, object_id, form_url, extra_context=extra_context)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Per-recipient record of each issue; written only by the sender."""

    list_display = ("issue", "subscriber", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "issue")
    search_fields = ("subscriber__email",)
    list_select_related = ("issue", "subscriber")
    show_full_result_count = False
