"""The article editor: a live preview by the site's own renderer, images uploaded into the
body, and a save message that says when a scheduled article goes live.

Written here rather than taken from django-markdownx or martor: martor's editor (ace) needs
inline styles and data: images our CSP refuses (martor issue #218), and our renderer already
sanitises and numbers headings exactly as readers see them. news/js/markdown_editor.js is
the only script; both views answer POSTs from the logged-in editor's own page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import jst
from news.admin.forms import BodyImageUploadForm
from news.models import Article
from news.rendering import render_markdown

# A body longer than this is not an article; the preview refuses rather than render it.
PREVIEW_MAX_CHARACTERS = 200_000


class ArticleEditorMixin:
    """Mixed into ArticleAdmin: the editor's two endpoints and its save message."""

    def editor_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(require_POST(view))

        return [
            path("preview/", wrap(self.preview_view), name="news_article_preview"),
            path("upload-image/", wrap(self.upload_image_view), name="news_article_upload_image"),
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "body":
            field.widget.attrs.update(
                {
                    "data-preview-url": reverse("admin:news_article_preview"),
                    "data-upload-url": reverse("admin:news_article_upload_image"),
                }
            )
        return field

    def preview_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = request.POST.get("body", "")
        if len(body) > PREVIEW_MAX_CHARACTERS:
            return HttpResponse(_("本文が長すぎるため、プレビューできません。"), status=413)
        # Sanitised by the renderer (news.rendering), as on the article page itself.
        return HttpResponse(render_markdown(body).html)

    def upload_image_view(self, request):
        if not request.user.has_perm("news.add_bodyimage"):
            raise PermissionDenied
        form = BodyImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [error for field_errors in form.errors.values() for error in field_errors]
            return JsonResponse({"error": " ".join(errors)}, status=400)
        image = form.save()
        return JsonResponse({"markdown": image.markdown})

    def _scheduled_message(self, request, article):
        scheduled = (
            article.status == Article.Status.PUBLISHED
            and article.published_at is not None
            and article.published_at > timezone.now()
        )
        if scheduled:
            self.message_user(
                request,
                _("この記事は {when} に公開されます。それまで読者には表示されません。").format(
                    when=jst(article.published_at)
                ),
                messages.INFO,
            )

    def response_add(self, request, obj, post_url_continue=None):
        self._scheduled_message(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        self._scheduled_message(request, obj)
        return super().response_change(request, obj)
