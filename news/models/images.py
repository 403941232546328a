"""Images for article bodies, uploaded once and given the same WebP variants as heroes."""

import re

import reversion
from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from news.images import build_variants

# Where a body names an upload: the media URL, then the file's name up to the end of the link.
_UPLOAD_NAME = r"""([^\s()<>"']+)"""


class BodyImageQuerySet(models.QuerySet):
    def shown_in(self, body: str):
        """The uploads a body's Markdown (or HTML) points at, by their URL."""
        base = re.escape(default_storage.url(""))
        names = re.findall(base + _UPLOAD_NAME, body)
        return self.filter(image__in=names) if names else self.none()


# Everything a revision needs to bring the image back, but not `articles`: which other
# articles show it is theirs to say.
@reversion.register(
    fields=("created_at", "updated_at", "image", "width", "height", "alt", "variants")
)
class BodyImage(TimeStampedModel):
    """An image an editor puts in a body with its Markdown line; readers get a srcset.

    Its file never changes after upload (a new picture is a new upload), so the URL an old
    revision of a body names is still this image.
    """

    image = models.ImageField(
        _("画像"), upload_to="news/body/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("幅"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("高さ"), null=True, blank=True, editable=False)
    alt = models.CharField(
        _("代替テキスト"), max_length=200, blank=True, help_text=_("画像の内容を短く説明します。")
    )
    variants = models.JSONField(_("縮小画像"), default=dict, blank=True, editable=False)
    articles = models.ManyToManyField(
        "news.Article",
        verbose_name=_("使われている記事"),
        related_name="body_images",
        blank=True,
        editable=False,
        help_text=_("本文がこの画像を表示している記事。記事の保存で更新されます。"),
    )

    objects = BodyImageQuerySet.as_manager()

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
