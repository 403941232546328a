"""The email outbox, read-only: managers check what was sent, what waits and what failed."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.dates import jst
from outbox.kinds import KIND_LABELS, kind_label
from outbox.models import Email
from outbox.preview import html_preview_response


class KindFilter(admin.SimpleListFilter):
    title = _("メールの種類")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        # The fixed list, not a DISTINCT over every email ever sent.
        return list(KIND_LABELS.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(Email)
class EmailAdmin(ReadOnlyAdmin):
    list_display = ("subject_shown", "kind_name", "recipients", "about_display", "status", "sent")
    list_display_links = ("subject_shown",)
    list_filter = ("status", KindFilter, ("created_at", admin.DateFieldListFilter))
    # A lead's emails have keys such as lead:<id>:confirmation; `to` finds a recipient.
    search_fields = ("key", "subject", "to")
    search_help_text = _("件名、宛先のメールアドレスで検索します。")
    ordering = ("-created_at", "-id")
    show_full_result_count = False
    fields = (
        "subject_shown",
        "kind_name",
        "recipients",
        "about_display",
        "status",
        "sent",
        "created",
        "attempts",
        "last_error",
        "html_version",
        "body_text",
    )
    readonly_fields = fields

    class Media:
        css = {"all": ("staff/admin.css",)}

    def get_queryset(self, request):
        # One query per kind of object the page links to, not one per row.
        return super().get_queryset(request).prefetch_related("about")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/html/",
                self.admin_site.admin_view(self.html_view),
                name="outbox_email_html",
            ),
            *super().get_urls(),
        ]

    def html_view(self, request, object_id):
        """The HTML version, as the recipient sees it (outbox.preview keeps it inert)."""
        email = self.get_object(request, object_id)
        if email is None or not self.has_view_permission(request, email):
            raise PermissionDenied
        return html_preview_response(email)

    @admin.display(description=_("件名"), ordering="subject")
    def subject_shown(self, email: Email):
        if email.template:
            # Queued from a web request: the worker renders it as it sends it.
            return _("(送信時に作成されます)")
        return email.subject

    @admin.display(description=_("種類"), ordering="kind")
    def kind_name(self, email: Email):
        return kind_label(email.kind)

    @admin.display(description=_("宛先"))
    def recipients(self, email: Email):
        return "、".join(email.to)

    @admin.display(description=_("関連する対象"))
    def about_display(self, email: Email):
        return email.about or "-"

    @admin.display(description=_("送信日時"), ordering="sent_at")
    def sent(self, email: Email):
        return jst(email.sent_at) or email.get_status_display()

    @admin.display(description=_("作成日時"), ordering="created_at")
    def created(self, email: Email):
        return jst(email.created_at)

    @admin.display(description=_("本文(HTML)"))
    def html_version(self, email: Email):
        if not email.body_html:
            return _("HTML版はありません(テキストのみのメールです)。")
        url = reverse("admin:outbox_email_html", args=[email.pk])
        return format_html(
            '<iframe class="email-preview" src="{}" sandbox title="{}"></iframe>'
            '<p><a href="{}" target="_blank" rel="noopener">{}</a></p>',
            url,
            _("受信者に表示されるHTML版"),
            url,
            _("HTML版を別のタブで開く"),
        )
