"""The consultation call-to-action shown at the end of articles, and its click counts."""

from urllib.parse import urlencode

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

CONSULTATION_PATH = "/consultation/"


class CallToAction(TimeStampedModel):
    """A reusable consultation block shown at the end of articles."""

    name = models.CharField(_("管理用の名前"), max_length=100)
    slug = models.SlugField(
        _("スラッグ"),
        max_length=60,
        unique=True,
        help_text=_("半角英数字とハイフン。リンクの utm_campaign になります。"),
    )
    heading = models.CharField(_("見出し"), max_length=120)
    body = models.TextField(_("本文"), blank=True, help_text=_("段落は空行で区切ります。"))
    recommendations = models.TextField(
        _("こんな方におすすめです"),
        blank=True,
        help_text=_("1行に1項目。箇条書きで表示します。"),
    )
    closing = models.TextField(_("締めの文"), blank=True)
    button_label = models.CharField(
        _("ボタンの文言"), max_length=60, default=_("無料キャリア相談に申し込む")
    )
    is_active = models.BooleanField(_("有効"), default=True)
    is_default = models.BooleanField(
        _("既定のCTA"),
        default=False,
        help_text=_("カテゴリにも記事にもCTAの指定がないときに表示します。既定は1つだけです。"),
    )

    class Meta:
        verbose_name = _("CTA(相談への誘導)")
        verbose_name_plural = _("CTA(相談への誘導)")
        ordering = ["-is_default", "name"]
        constraints = [
            # At most one default, enforced by the database so a race between two
            # editors cannot leave the site with two.
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="news_cta_single_default",
                violation_error_message=_("既定のCTAはすでにあります。既定は1つだけです。"),
            ),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(is_active=True),
                name="news_cta_default_is_active",
                violation_error_message=_("既定のCTAは有効にしてください。"),
            ),
        ]

    def __str__(self):
        return self.name

    def consultation_url(self, article_slug: str) -> str:
        """Where the button finally leads: the form, told which article and CTA sent the reader."""
        query = urlencode(
            [
                ("source", article_slug),
                ("utm_source", "article"),
                ("utm_medium", "cta"),
                ("utm_campaign", self.slug),
            ]
        )
        return f"{CONSULTATION_PATH}?{query}"

    @property
    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    @property
    def body_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


class CTAClick(models.Model):
    """Clicks on a CTA button per article and day, so conversion can be computed per article."""

    article = models.ForeignKey(
        "news.Article", verbose_name=_("記事"), on_delete=models.CASCADE, related_name="cta_clicks"
    )
    cta = models.ForeignKey(
        CallToAction, verbose_name=_("CTA"), on_delete=models.CASCADE, related_name="clicks"
    )
    date = models.DateField(_("日付"))
    count = models.PositiveIntegerField(_("クリック数"), default=0)

    class Meta:
        verbose_name = _("CTAクリック数")
        verbose_name_plural = _("CTAクリック数")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "cta", "date"], name="news_ctaclick_one_row_per_day"
            )
        ]

    def __str__(self):
        return f"{self.article} / {self.cta} / {self.date}: {self.count}"
