from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Concat, Lower, Replace
from django.utils.translation import gettext_lazy as _

from careers.models.advisors import Advisor
from careers.models.base import Interest
from careers.people import staff_name
from core.dates import jst
from core.models import TimeStampedModel


def lead_search_text() -> Func:
    """What the lead list's search matches, in one spelling: the reference, name, kana, email,
    company and the phone without hyphens, a line each, NFKC-folded and lower-cased.

    Index `careers_lead_search_trgm` holds this expression's trigrams, so a substring search
    (careers.admin.search, on PostgreSQL) reads the index instead of 1,000,000 rows; every
    function in it is immutable, as an index expression must be.
    """
    fields = [F(name) for name in ("reference", "name", "name_kana", "email", "company_name")]
    fields.append(Replace(F("phone"), Value("-"), Value("")))
    lines = [part for field in fields for part in (field, Value("\n"))][:-1]
    joined = Concat(*lines, output_field=models.TextField())
    return Lower(Func(joined, function="NORMALIZE", template="%(function)s(%(expressions)s, NFKC)"))


class Lead(TimeStampedModel):
    """One submission of the consultation form (a candidate) or the recruiters' form (a company)."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("求職者")
        COMPANY = "company", _("採用企業")
        FREELANCE = "freelance", _("業務委託")

    class Status(models.TextChoices):
        NEW = "new", _("新規")
        ASSIGNED = "assigned", _("担当決定")
        CONTACTED = "contacted", _("連絡済み")
        INTERVIEWING = "interviewing", _("面談・選考中")
        PLACED = "placed", _("成約")
        CLOSED = "closed", _("クローズ")
        UNASSIGNED = "unassigned", _("担当者なし")
        SPAM = "spam", _("スパム")

    class Experience(models.TextChoices):
        NONE = "none", _("未経験")
        UNDER_1 = "under_1", _("1年未満")
        YEARS_1_3 = "1_3", _("1〜3年")
        YEARS_3_5 = "3_5", _("3〜5年")
        OVER_5 = "over_5", _("5年以上")

    class Timing(models.TextChoices):
        NOW = "now", _("すぐにでも")
        WITHIN_3_MONTHS = "3_months", _("3か月以内")
        WITHIN_6_MONTHS = "6_months", _("半年以内")
        EXPLORING = "exploring", _("情報収集中")

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("メール")
        PHONE = "phone", _("電話")
        ONLINE = "online", _("オンライン面談")

    class Engagement(models.TextChoices):
        """What a company asks us for (kind=company)."""

        HIRING = "hiring", _("採用したい")
        FREELANCE = "freelance", _("業務委託で依頼したい")

    class CloseReason(models.TextChoices):
        LOST = "lost", _("失注")
        WITHDRAWN = "withdrawn", _("本人辞退")
        UNREACHABLE = "unreachable", _("連絡がつかない")
        OTHER = "other", _("その他")

    # Fields that identify the person or hold their own words: erasure replaces or blanks
    # each one (careers.services.personal_data). Every other field is a figure that the
    # statistics are made of, and stays.
    PERSONAL_FIELDS = (
        "name",
        "name_kana",
        "email",
        "phone",
        "current_job",
        "message",
        "department",
        "desired_rate",
        "skills",
        "portfolio_url",
        "referrer",
        "ip_hash",
        "user_agent",
    )

    # Identity shown to the candidate and in emails; the primary key never leaves the building.
    reference = models.CharField(_("受付番号"), max_length=16, unique=True, editable=False)
    kind = models.CharField(
        _("種別"), max_length=10, choices=Kind.choices, default=Kind.CANDIDATE, db_index=True
    )

    # What the person told us.
    name = models.CharField(_("お名前"), max_length=100)
    name_kana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), max_length=254)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    interest = models.CharField(_("興味のある領域"), max_length=10, choices=Interest.choices)
    current_job = models.CharField(_("現在のお仕事"), max_length=100, blank=True)
    experience = models.CharField(
        _("経験年数"), max_length=10, choices=Experience.choices, blank=True
    )
    timing = models.CharField(_("転職希望時期"), max_length=10, choices=Timing.choices, blank=True)
    contact_method = models.CharField(
        _("希望する連絡方法"), max_length=10, choices=ContactMethod.choices, blank=True
    )
    message = models.TextField(_("ご相談内容"), max_length=2000, blank=True)
    # Company inquiries only (kind=company).
    company_name = models.CharField(_("会社名"), max_length=200, blank=True)
    department = models.CharField(_("部署名"), max_length=100, blank=True)
    positions = models.PositiveSmallIntegerField(_("募集人数"), null=True, blank=True)
    engagement = models.CharField(
        _("ご依頼の形"), max_length=10, choices=Engagement.choices, blank=True
    )
    # A 業務委託 inquiry becomes a draft project that staff complete (projects.services).
    requested_project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("依頼から作った案件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiry",
    )
    # Applications to a project (kind=freelance); `timing` is the desired start.
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("応募した案件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    available_days = models.PositiveSmallIntegerField(
        _("稼働できる日数(週)"), null=True, blank=True
    )
    desired_rate = models.CharField(_("希望単価"), max_length=60, blank=True)
    skills = models.CharField(_("スキル"), max_length=300, blank=True)
    portfolio_url = models.URLField(_("ポートフォリオ・GitHub"), max_length=300, blank=True)

    # Consent, as agreed at submission time.
    consent_version = models.CharField(_("同意したプライバシーポリシーの版"), max_length=20)
    consented_at = models.DateTimeField(_("同意日時"))

    # Attribution (first touch).
    source_article = models.ForeignKey(
        "news.Article",
        verbose_name=_("流入元の記事"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
    )
    # The utm_* parameters of the landing URL, named as staff say them.
    utm_source = models.CharField(_("流入元サイト"), max_length=100, blank=True)
    utm_medium = models.CharField(_("流入の経路"), max_length=100, blank=True)
    utm_campaign = models.CharField(_("キャンペーン"), max_length=100, blank=True)
    utm_term = models.CharField(_("検索キーワード"), max_length=100, blank=True)
    utm_content = models.CharField(_("広告の内容"), max_length=100, blank=True)
    referrer = models.CharField(_("リファラー"), max_length=500, blank=True)
    landing_path = models.CharField(_("ランディングページ"), max_length=500, blank=True)
    # When the counted click that gave the lead its door was made (empty without a door):
    # the funnel credits the lead to that day, so a day's leads never outnumber its clicks.
    door_clicked_at = models.DateTimeField(
        _("記事リンクのクリック日時"), null=True, blank=True, editable=False
    )

    # Abuse analysis only: never the raw address.
    ip_hash = models.CharField(_("IPアドレス(ハッシュ)"), max_length=64, blank=True)
    user_agent = models.CharField(_("ユーザーエージェント"), max_length=300, blank=True)

    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重複元のリード"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    # The random nonce of one rendered form: a double-click or a replayed POST finds the
    # lead the first request created (the database enforces it) instead of making another.
    submission_key = models.CharField(
        _("送信キー"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    # Pipeline.
    status = models.CharField(
        _("ステータス"), max_length=15, choices=Status.choices, default=Status.NEW, db_index=True
    )
    close_reason = models.CharField(
        _("クローズ理由"), max_length=15, choices=CloseReason.choices, blank=True
    )
    advisor = models.ForeignKey(
        Advisor,
        verbose_name=_("担当アドバイザー"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leads",
    )
    assigned_at = models.DateTimeField(_("割り当て日時"), null=True, blank=True)
    first_contact_due_at = models.DateTimeField(_("初回連絡期限"), null=True, blank=True)
    first_contacted_at = models.DateTimeField(_("初回連絡日時"), null=True, blank=True)
    sla_reminded_at = models.DateTimeField(_("期限前リマインド日時"), null=True, blank=True)
    sla_breached_at = models.DateTimeField(_("期限超過日時"), null=True, blank=True)
    sla_breach_count = models.PositiveSmallIntegerField(_("期限超過回数"), default=0)
    anonymized_at = models.DateTimeField(_("匿名化日時"), null=True, blank=True)
    # The outbox's emails about this lead (no column: they point here). Deleting the lead
    # deletes them, as a foreign key would.
    outbox_emails = GenericRelation("outbox.Email", related_query_name="lead")

    class Meta:
        verbose_name = _("リード")
        verbose_name_plural = _("リード")
        ordering = ["-created_at"]
        indexes = [
            # Duplicate detection looks up the same address case-insensitively.
            models.Index(Lower("email"), "created_at", name="careers_lead_email_created"),
            models.Index(fields=["status", "created_at"], name="careers_lead_status_created"),
            models.Index(fields=["advisor", "status"], name="careers_lead_advisor_status"),
            # An advisor's own lead list: their leads, newest first, one index range a page.
            models.Index(fields=["advisor", "-created_at"], name="careers_lead_advisor_created"),
            # An advisor's load counts only these rows: the open leads, a few per advisor
            # whatever the number of leads ever received (careers.selectors).
            models.Index(
                fields=["advisor"],
                condition=Q(status__in=["assigned", "contacted", "interviewing"]),
                name="careers_lead_open_by_advisor",
            ),
            # Routing's per-period cap counts an advisor's recent assignments in this range.
            models.Index(fields=["advisor", "assigned_at"], name="careers_lead_advisor_assigned"),
            # The lead list's default order and date hierarchy, and the dashboard's period:
            # the dashboard's counts and medians read only these columns, from the index.
            models.Index(
                fields=["created_at"],
                include=["kind", "interest", "assigned_at", "first_contacted_at"],
                name="careers_lead_created",
            ),
            # The dashboard's breaches of the period: the few leads that ever breached.
            models.Index(
                fields=["sla_breached_at"],
                condition=Q(sla_breached_at__isnull=False),
                name="careers_lead_sla_breached",
            ),
            # The lead list's search (lead_search_text); PostgreSQL only, see its migration.
            GinIndex(
                OpClass(lead_search_text(), name="gin_trgm_ops"), name="careers_lead_search_trgm"
            ),
        ]
        # What the pipeline services promise, kept by the database too (Meta cannot see
        # Lead.Status, hence the plain values).
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""),
                name="careers_lead_closed_has_reason",
                violation_error_message=_("クローズしたリードにはクローズ理由が必要です。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="assigned")
                | Q(advisor__isnull=False, assigned_at__isnull=False),
                name="careers_lead_assigned_has_advisor",
                violation_error_message=_(
                    "担当決定のリードには担当アドバイザーと割り当て日時が必要です。"
                ),
            ),
        ]
        # Staff roles (careers/roles.py) are built from these on top of view/change.
        permissions = [
            ("view_all_leads", _("すべてのリードを閲覧できる")),
            ("reassign_lead", _("リードの担当者を変更できる")),
            ("export_lead", _("リードをCSVで書き出せる")),
            ("view_dashboard", _("ダッシュボードを閲覧できる")),
            ("handle_personal_data", _("個人情報の開示・削除請求に対応できる")),
        ]

    def __str__(self):
        # Only the reference: Django copies this into the admin change log, which outlives
        # an erasure.
        return self.reference


class LeadEvent(models.Model):
    """Append-only history of a lead: submission, routing decisions, status changes, emails."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("受付")
        ROUTED = "routed", _("振り分け")
        UNASSIGNED = "unassigned", _("担当者なし")
        STATUS_CHANGED = "status_changed", _("ステータス変更")
        REASSIGNED = "reassigned", _("担当変更")
        EMAIL_SENT = "email_sent", _("メール送信")
        EMAIL_FAILED = "email_failed", _("メール送信失敗")
        SLA_REMINDER = "sla_reminder", _("期限前リマインド")
        SLA_BREACHED = "sla_breached", _("期限超過")
        EXPORTED = "exported", _("エクスポート")
        DISCLOSED = "disclosed", _("開示請求対応")
        ANONYMIZED = "anonymized", _("匿名化")
        NOTE = "note", _("メモ")
        BOOKED = "booked", _("面談予約")
        BOOKING_RESCHEDULED = "booking_rescheduled", _("面談日時の変更")
        BOOKING_CANCELLED = "booking_cancelled", _("面談キャンセル")
        BOOKING_NO_SHOW = "booking_no_show", _("面談の無断欠席")
        BOOKING_REQUESTED = "booking_requested", _("面談日時の希望連絡")

    lead = models.ForeignKey(
        Lead, verbose_name=_("リード"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空欄はシステム(自動処理)による記録です。"),
    )
    details = models.JSONField(_("詳細"), default=dict, blank=True)

    class Meta:
        verbose_name = _("リード履歴")
        verbose_name_plural = _("リード履歴")
        ordering = ["created_at", "id"]
        # A lead's timeline in order, a page at a time, however long it grows.
        indexes = [
            models.Index(fields=["lead", "created_at", "id"], name="careers_leadevent_timeline")
        ]

    def __str__(self):
        return f"{self.lead_id} {self.get_kind_display()}"


class LeadNote(models.Model):
    """An advisor's note on a lead; notes are added, never edited."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("リード"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記入者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    body = models.TextField(_("メモ"), max_length=5000)
    created_at = models.DateTimeField(_("記入日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("メモ")
        verbose_name_plural = _("メモ")
        ordering = ["created_at", "id"]

    def __str__(self):
        # The inline's caption over each note: who wrote it and when, in JST.
        return f"{staff_name(self.author)} {jst(self.created_at)}"
