"""How many readers an article had, per day: the popular lists and the funnel's first step."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleDailyViews(models.Model):
    """Reader views of an article per day, flushed from a Redis counter (no personal data)."""

    article = models.ForeignKey(
        "news.Article", verbose_name=_("記事"), on_delete=models.CASCADE, related_name="daily_views"
    )
    date = models.DateField(_("日付"))
    count = models.PositiveIntegerField(_("閲覧数"), default=0)

    class Meta:
        verbose_name = _("閲覧数(日別)")
        verbose_name_plural = _("閲覧数(日別)")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["article", "date"], name="news_views_one_row_per_day")
        ]

    def __str__(self):
        return f"{self.article} / {self.date}: {self.count}"


class ViewFlush(models.Model):
    """A batch of Redis view counts already added to ArticleDailyViews: a flush run twice,
    or two at once, finds its batch here and adds nothing twice."""

    batch = models.CharField(_("バッチ"), max_length=120, unique=True)
    flushed_at = models.DateTimeField(_("反映日時"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("閲覧数の反映")
        verbose_name_plural = _("閲覧数の反映")

    def __str__(self):
        return self.batch
