"""The people who write articles, each with a public profile page."""

import reversion
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from news.rendering import titled_http_links


# Registered so an article's diff can name the authors it gained or lost.
@reversion.register()
class Author(TimeStampedModel):
    """A writer shown in 「この記事を書いた人」 and on /authors/<slug>/; not a login."""

    name = models.CharField(_("名前"), max_length=80)
    name_kana = models.CharField(_("よみがな"), max_length=120, blank=True)
    slug = models.SlugField(
        _("スラッグ"),
        max_length=60,
        unique=True,
        help_text=_("半角英数字とハイフン。/authors/<スラッグ>/ が執筆者のページになります。"),
    )
    photo = models.ImageField(_("写真"), upload_to="news/authors/%Y/", blank=True)
    bio = models.TextField(
        _("紹介文"), max_length=400, blank=True, help_text=_("記事末尾の執筆者紹介に表示します。")
    )
    links = models.JSONField(_("リンク"), default=list, blank=True)

    class Meta:
        verbose_name = _("執筆者")
        verbose_name_plural = _("執筆者")
        ordering = ["name_kana", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:author", kwargs={"slug": self.slug})

    @property
    def safe_links(self) -> list[dict]:
        return titled_http_links(self.links)
