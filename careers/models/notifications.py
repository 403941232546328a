from django.db import models
from django.utils.translation import gettext_lazy as _

from careers.models.leads import Lead


class Notification(models.Model):
    """An email in the outbox: written in the same transaction as the change it reports.

    The broker only rings the doorbell; a periodic sweep sends whatever is still
    pending, and the unique `key` makes a second request for the same email a no-op.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENDING = "sending", _("送信中")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")

    key = models.CharField(_("識別キー"), max_length=200, unique=True)
    kind = models.CharField(_("種類"), max_length=40, db_index=True)
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("リード"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    to = models.JSONField(_("宛先"), default=list)
    subject = models.CharField(_("件名"), max_length=300)
    body_text = models.TextField(_("本文(テキスト)"))
    body_html = models.TextField(_("本文(HTML)"), blank=True)
    # [{"filename", "content", "mimetype"}], text only: a calendar invitation (.ics).
    attachments = models.JSONField(_("添付ファイル"), default=list, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("試行回数"), default=0)
    last_error = models.TextField(_("最後のエラー"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(_("送信開始日時"), null=True, blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} → {', '.join(self.to)}"
