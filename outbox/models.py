from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Email(models.Model):
    """An email in the outbox: written in the same transaction as the change it reports.

    The broker only rings the doorbell; a periodic sweep sends whatever is still
    pending, and the unique `key` makes a second request for the same email a no-op.
    `about` links the row to what it reports (a lead, a subscriber), so a personal-data
    request finds every email about that person without the outbox knowing their apps.
    A row queued from a web request holds `template` and its plain `context` instead of a
    subject and bodies: the worker that sends it renders it and stores what it sent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENDING = "sending", _("送信中")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")

    key = models.CharField(_("識別キー"), max_length=200, unique=True)
    kind = models.CharField(_("種類"), max_length=40, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("関連する対象の種類"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("関連する対象のID"), null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    to = models.JSONField(_("宛先"), default=list)
    subject = models.CharField(_("件名"), max_length=300)
    body_text = models.TextField(_("本文(テキスト)"))
    body_html = models.TextField(_("本文(HTML)"), blank=True)
    # Until sent: the templates' name (outbox.rendering.email_render) and their values.
    template = models.CharField(_("テンプレート"), max_length=200, blank=True)
    context = models.JSONField(_("テンプレートの値"), default=dict, blank=True)
    # Extra message headers, such as a newsletter's List-Unsubscribe.
    headers = models.JSONField(_("追加ヘッダー"), default=dict, blank=True)
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
        indexes = [models.Index(fields=["content_type", "object_id"], name="outbox_email_about")]

    def __str__(self):
        return f"{self.subject} → {'、'.join(self.to)}"
