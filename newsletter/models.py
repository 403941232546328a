"""The 「AI・Web3 Insight」 newsletter: subscribers, issues and one delivery row per recipient."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


def new_token() -> str:
    """An unguessable key for the unsubscribe and preference links (no login on those pages)."""
    return secrets.token_urlsafe(32)


class Topic(models.TextChoices):
    """What a subscriber wants to read, and what an issue is about."""

    AI = "ai", _("AI")
    WEB3 = "web3", _("Web3")
    BOTH = "both", _("AIとWeb3の両方")


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("確認待ち")
        CONFIRMED = "confirmed", _("購読中")
        UNSUBSCRIBED = "unsubscribed", _("配信停止")

    email = models.EmailField(_("メールアドレス"), max_length=254)
    topics = models.CharField(
        _("受け取るテーマ"), max_length=10, choices=Topic.choices, default=Topic.BOTH
    )
    # The topic 「新着案件」: a weekly email of new 業務委託案件 in the subscriber's field.
    project_alerts = models.BooleanField(
        _("新着案件"),
        default=False,
        help_text=_("毎週、受け取るテーマに合う新着の業務委託案件をお届けします。"),
    )
    status = models.CharField(
        _("状態"), max_length=15, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    token = models.CharField(
        _("配信停止・設定用トークン"), max_length=64, unique=True, default=new_token, editable=False
    )
    source_article = models.ForeignKey(
        "news.Article",
        verbose_name=_("登録元の記事"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscribers",
    )
    # Consent, as agreed at the latest signup (core.privacy_policy).
    consent_version = models.CharField(_("同意したプライバシーポリシーの版"), max_length=20)
    consented_at = models.DateTimeField(_("同意日時"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    confirmation_sent_at = models.DateTimeField(_("確認メール送信日時"), null=True, blank=True)
    # Numbers the confirmation emails, so each one has its own outbox key.
    confirmations_sent = models.PositiveIntegerField(_("確認メール送信回数"), default=0)
    confirmed_at = models.DateTimeField(_("登録完了日時"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("配信停止日時"), null=True, blank=True)
    erased_at = models.DateTimeField(_("個人情報の削除日時"), null=True, blank=True)
    # The outbox's emails to this subscriber (no column: they point here).
    outbox_emails = GenericRelation("outbox.Email", related_query_name="subscriber")

    class Meta:
        verbose_name = _("メルマガ購読者")
        verbose_name_plural = _("メルマガ購読者")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "topics"], name="newsletter_sub_status_topics")]
        constraints = [
            # Case-insensitive, in the database: two signups racing with Foo@ and foo@ cannot
            # both win and double every issue.
            models.UniqueConstraint(
                Lower("email"),
                name="newsletter_subscriber_email_ci_unique",
                violation_error_message=_("このメールアドレスはすでに登録されています。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="newsletter_subscriber_confirmed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="unsubscribed") | Q(unsubscribed_at__isnull=False),
                name="newsletter_subscriber_unsubscribed_has_date",
            ),
        ]

    def __str__(self):
        return self.email

    def unsubscribe_url(self) -> str:
        return settings.SITE_URL + reverse("newsletter:unsubscribe", args=[self.token])

    def preferences_url(self) -> str:
        return settings.SITE_URL + reverse("newsletter:preferences", args=[self.token])


class NewsletterIssue(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SENDING = "sending", _("配信中")
        SENT = "sent", _("配信済み")

    subject = models.CharField(_("件名"), max_length=150)
    intro = models.TextField(
        _("導入文"), blank=True, help_text=_("記事一覧の前に載せる編集部からのひとこと。")
    )
    topics = models.CharField(
        _("対象テーマ"),
        max_length=10,
        choices=Topic.choices,
        default=Topic.BOTH,
        help_text=_(
            "AIの号はAIと「両方」の購読者へ、Web3の号はWeb3と「両方」の購読者へ、"
            "「両方」の号はすべての購読者へ届きます。"
        ),
    )
    articles = models.ManyToManyField(
        "news.Article",
        verbose_name=_("掲載記事"),
        related_name="newsletter_issues",
        blank=True,
        help_text=_(
            "保存後、下の「直近の記事をテーマから提案して追加」で、直近の公開記事を対象テーマから選んで追加できます。"
        ),
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("配信実行者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    test_sent_at = models.DateTimeField(_("テスト送信日時"), null=True, blank=True)
    send_started_at = models.DateTimeField(_("配信開始日時"), null=True, blank=True)
    recipients_ready_at = models.DateTimeField(_("宛先確定日時"), null=True, blank=True)
    sent_at = models.DateTimeField(_("配信完了日時"), null=True, blank=True)
    # One sender per issue at a time, so the rate limit holds however many workers run;
    # the lease expires by itself when its holder dies.
    lease_owner = models.CharField(_("送信処理の識別子"), max_length=32, blank=True)
    lease_until = models.DateTimeField(_("送信処理の期限"), null=True, blank=True)

    class Meta:
        verbose_name = _("メルマガの号")
        verbose_name_plural = _("メルマガの号")
        ordering = ["-created_at"]
        permissions = [("send_newsletterissue", _("メルマガを配信できる"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(send_started_at__isnull=False),
                name="newsletter_issue_sending_has_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="newsletter_issue_sent_has_date",
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Delivery(models.Model):
    """One issue to one subscriber: claimed before sending, so nobody gets an issue twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENDING = "sending", _("送信中")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")
        SKIPPED = "skipped", _("送信せず(配信停止済み)")

    issue = models.ForeignKey(
        NewsletterIssue,
        verbose_name=_("号"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("購読者"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("試行回数"), default=0)
    last_error = models.TextField(_("最後のエラー"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("送信開始日時"), null=True, blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("配信記録")
        verbose_name_plural = _("配信記録")
        ordering = ["id"]
        indexes = [models.Index(fields=["issue", "status"], name="newsletter_delivery_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="newsletter_delivery_once_per_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"
