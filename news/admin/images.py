"""Body images: upload once, paste the Markdown line shown here into an article's body."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from news.models import BodyImage


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "width", "height", "markdown_line", "created_at")
    search_fields = ("alt", "image")
    fields = ("image", "alt", "markdown_line")
    readonly_fields = ("markdown_line",)

    def get_readonly_fields(self, request, obj=None):
        # A new picture is a new upload: bodies and their revisions name this file by its URL.
        return ("image", *self.readonly_fields) if obj is not None else self.readonly_fields

    @admin.display(description=_("本文に貼る行"))
    def markdown_line(self, image):
        return image.markdown if image.pk else "—"
