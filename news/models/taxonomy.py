"""How articles are grouped: categories (with their CTA) and tags."""

import reversion
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from news.models.cta import CallToAction


# Registered so an article's diff can name the categories and tags it gained or lost.
@reversion.register()
class Category(TimeStampedModel):
    name = models.CharField(_("名前"), max_length=60)
    slug = models.SlugField(_("スラッグ"), max_length=60, unique=True)
    description = models.TextField(_("説明"), blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    cta = models.ForeignKey(
        CallToAction,
        verbose_name=_("カテゴリのCTA"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="categories",
        help_text=_("指定すると、このカテゴリの記事では既定のCTAの代わりに表示します。"),
    )

    class Meta:
        verbose_name = _("カテゴリ")
        verbose_name_plural = _("カテゴリ")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:category", kwargs={"slug": self.slug})


@reversion.register()
class Tag(TimeStampedModel):
    name = models.CharField(_("名前"), max_length=60, unique=True)
    slug = models.SlugField(_("スラッグ"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("タグ")
        verbose_name_plural = _("タグ")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:tag", kwargs={"slug": self.slug})
