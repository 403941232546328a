"""X posts quoted in articles: the editor copies the words once; the card needs no X script."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from news.models import EmbeddedPost


@admin.register(EmbeddedPost)
class EmbeddedPostAdmin(admin.ModelAdmin):
    list_display = ("author_name", "author_handle", "posted_at", "short_text")
    search_fields = ("author_name", "author_handle", "text", "url")
    date_hierarchy = "posted_at"
    fields = ("url", "author_name", "text", "posted_at")

    @admin.display(description=_("本文"))
    def short_text(self, post):
        return post.text[:60]
