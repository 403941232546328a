"""Images for article bodies, uploaded once and given the same WebP variants as heroes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from news.images import build_variants


class BodyImage(TimeStampedModel):
    """An image an editor puts in a body with its Markdown line; readers get a srcset."""

    image = models.ImageField(
        _("画像"), upload_to="news/body/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("幅"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("高さ"), null=True, blank=True, editable=False)
    alt = models.CharField(
        _("代替テキスト"), max_length=200, blank=True, help_text=_("画像の内容を短く説明します。")
    )
    variants = models.JSONField(_("縮小画像"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("本文の画像")
        verbose_name_plural = _("本文の画像")
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt or self.image.name

    def save(self, *args, **kwargs):
        # Derived data only: the variants of the current file, built once.
        super().save(*args, **kwargs)
        if self.image and self.variants.get("source") != self.image.name:
            self.variants = build_variants(self.image)
            super().save(update_fields=["variants"])

    @property
    def markdown(self) -> str:
        return f"![{self.alt}]({self.image.url})"
