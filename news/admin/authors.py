"""Author profiles: the 「この記事を書いた人」 box and the /authors/<slug>/ page."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from news.admin.forms import ReferencesField
from news.admin.taxonomy import ArticleCountAdmin
from news.models import Author


class AuthorAdminForm(forms.ModelForm):
    links = ReferencesField(
        label=_("リンク"),
        required=False,
        help_text=_("1行に1件、「表示名 | URL」の形で書きます(X、note、個人サイトなど)。"),
    )

    class Meta:
        model = Author
        fields = ("name", "name_kana", "slug", "photo", "bio", "links")
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}


@admin.register(Author)
class AuthorAdmin(ArticleCountAdmin):
    form = AuthorAdminForm
    list_display = ("name", "name_kana", "slug", "article_count")
    search_fields = ("name", "name_kana", "slug")
    prepopulated_fields = {"slug": ("name",)}
