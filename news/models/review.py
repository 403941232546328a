"""What happened to an article in review: each step, by whom, when and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleEvent(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("レビューに提出")
        APPROVED = "approved", _("承認して公開")
        SENT_BACK = "sent_back", _("差し戻し")
        PUBLISHED = "published", _("公開")
        UNPUBLISHED = "unpublished", _("下書きに戻す")

    article = models.ForeignKey(
        "news.Article", verbose_name=_("記事"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作した人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    comment = models.TextField(_("コメント"), blank=True)
    version = models.ForeignKey(
        "reversion.Version",
        verbose_name=_("対象の版"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("記事のレビュー記録")
        verbose_name_plural = _("記事のレビュー記録")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.article} / {self.get_action_display()}"
