"""業務委託案件: freelance and contract projects, and the history of their workflow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from news.models import Tag

DAYS_PER_WEEK_MAX = 5
# Monthly rates read in 万円 in Japanese; hourly ones in 円.
MAN_YEN = 10_000


class ProjectQuerySet(models.QuerySet):
    def accepting(self):
        """Open and not past closes_at: a project closes by itself, no cron involved."""
        return self.filter(status=Project.Status.OPEN, closes_at__gt=Now())

    def public(self):
        """Every project with a page: open ones, and closed ones whose old links keep working."""
        return self.filter(status__in=Project.PUBLISHED_STATUSES)

    def closing_next(self):
        """When the next open project closes, or None."""
        return self.accepting().order_by("closes_at").values_list("closes_at", flat=True).first()

    def for_cards(self):
        return self.defer("description", "client_name")


class Project(TimeStampedModel):
    class Field(models.TextChoices):
        AI = "ai", _("AI")
        WEB3 = "web3", _("Web3")
        BOTH = "both", _("AI・Web3")

    class Role(models.TextChoices):
        ML_ENGINEER = "ml_engineer", _("MLエンジニア")
        LLM_ENGINEER = "llm_engineer", _("生成AI・LLMエンジニア")
        DATA_SCIENTIST = "data_scientist", _("データサイエンティスト")
        SMART_CONTRACT = "smart_contract", _("スマートコントラクト")
        BACKEND = "backend", _("バックエンド")
        FRONTEND = "frontend", _("フロントエンド")
        INFRASTRUCTURE = "infrastructure", _("インフラ・SRE")
        SECURITY = "security", _("セキュリティ・監査")
        PDM = "pdm", _("PdM")
        RESEARCH = "research", _("リサーチ")
        BIZDEV = "bizdev", _("事業開発")

    class Remote(models.TextChoices):
        FULL = "full", _("フルリモート")
        PARTIAL = "partial", _("一部リモート")
        ONSITE = "onsite", _("常駐")

    class RateUnit(models.TextChoices):
        MONTHLY = "monthly", _("月額")
        HOURLY = "hourly", _("時給")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        REVIEW = "review", _("レビュー待ち")
        OPEN = "open", _("募集中")
        FILLED = "filled", _("成約")
        CLOSED = "closed", _("募集終了")

    PUBLISHED_STATUSES = (Status.OPEN, Status.FILLED, Status.CLOSED)

    title = models.CharField(_("案件名"), max_length=120)
    slug = models.SlugField(
        _("スラッグ"),
        max_length=80,
        unique=True,
        help_text=_("URLに使う半角英数字とハイフン。公開後は変えないでください。"),
    )
    summary = models.CharField(
        _("概要"),
        max_length=200,
        blank=True,
        help_text=_("一覧とメタディスクリプションに使います。"),
    )
    description = models.TextField(
        _("業務内容"), blank=True, help_text=_("段落は空行で区切ります。")
    )
    field = models.CharField(_("領域"), max_length=10, choices=Field.choices)
    role = models.CharField(_("職種"), max_length=20, choices=Role.choices)
    remote = models.CharField(_("働き方"), max_length=10, choices=Remote.choices)
    location = models.CharField(
        _("勤務地"), max_length=100, blank=True, help_text=_("常駐・一部リモートのときは必須です。")
    )
    days_per_week_min = models.PositiveSmallIntegerField(_("稼働日数(週・下限)"), default=3)
    days_per_week_max = models.PositiveSmallIntegerField(_("稼働日数(週・上限)"), default=5)
    rate_unit = models.CharField(
        _("単価の単位"), max_length=10, choices=RateUnit.choices, default=RateUnit.MONTHLY
    )
    rate_min = models.PositiveIntegerField(_("単価の下限(円)"), null=True, blank=True)
    rate_max = models.PositiveIntegerField(_("単価の上限(円)"), null=True, blank=True)
    skills = models.ManyToManyField(
        Tag, verbose_name=_("必須スキル"), related_name="required_by_projects", blank=True
    )
    welcome_skills = models.ManyToManyField(
        Tag, verbose_name=_("歓迎スキル"), related_name="welcomed_by_projects", blank=True
    )
    starts_on = models.DateField(_("開始日"), null=True, blank=True)
    duration = models.CharField(
        _("期間"), max_length=60, blank=True, help_text=_("例: 3か月〜(長期想定)")
    )
    client_description = models.CharField(
        _("クライアントの紹介"),
        max_length=120,
        help_text=_("社名を出さない紹介。例: シリーズBのWeb3スタートアップ"),
    )
    client_name = models.CharField(_("クライアント名"), max_length=120, blank=True)
    client_name_public = models.BooleanField(
        _("社名の公開に同意あり"),
        default=False,
        help_text=_("クライアントが同意したときだけ、紹介の代わりに社名を表示します。"),
    )
    # Like the interviewers of a job position in Odoo's recruitment: the staff in charge of
    # the project, who see its applicants without seeing every lead (careers.roles).
    advisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当アドバイザー"),
        related_name="assigned_projects",
        blank=True,
        limit_choices_to={"is_staff": True, "is_active": True},
        help_text=_(
            "ここに入れたスタッフ(業務委託チームのアドバイザー)は、"
            "自分の担当リードに加えて、この案件の応募者を閲覧できます。"
        ),
    )
    closes_at = models.DateTimeField(_("募集締切"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    opened_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("業務委託案件")
        verbose_name_plural = _("業務委託案件")
        ordering = ["-opened_at", "-id"]
        permissions = [("publish_project", _("案件を公開・終了できる"))]
        indexes = [models.Index(fields=["status", "-opened_at"], name="projects_public_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(days_per_week_min__gte=1)
                & Q(days_per_week_min__lte=models.F("days_per_week_max"))
                & Q(days_per_week_max__lte=DAYS_PER_WEEK_MAX),
                name="projects_days_per_week_in_range",
                violation_error_message=_("稼働日数は週1〜5日、下限は上限以下にしてください。"),
            ),
            models.CheckConstraint(
                condition=Q(rate_min__isnull=True)
                | Q(rate_max__isnull=True)
                | Q(rate_min__lte=models.F("rate_max")),
                name="projects_rate_min_not_above_max",
                violation_error_message=_("単価の下限は上限以下にしてください。"),
            ),
            models.CheckConstraint(
                condition=Q(client_name_public=False) | ~Q(client_name=""),
                name="projects_public_client_has_name",
                violation_error_message=_("社名を公開するときはクライアント名を入力してください。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["open", "filled", "closed"])
                | (
                    Q(opened_at__isnull=False, closes_at__isnull=False)
                    & Q(rate_min__isnull=False, rate_max__isnull=False)
                    & ~Q(description="")
                    & ~Q(role="")
                    & ~Q(client_description="")
                    & (Q(remote="full") | (~Q(remote="") & ~Q(location="")))
                ),
                name="projects_published_is_complete",
                violation_error_message=_(
                    "公開する案件には業務内容、職種、働き方、クライアントの紹介、単価、"
                    "募集締切、(フルリモート以外は)勤務地が必要です。"
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:detail", kwargs={"slug": self.slug})

    @property
    def is_accepting(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.closes_at is not None
            and self.closes_at > timezone.now()
        )

    @property
    def is_remote(self) -> bool:
        return self.remote == self.Remote.FULL

    @property
    def client_display(self) -> str:
        """The client as readers see it: named only with the client's consent."""
        if self.client_name_public and self.client_name:
            return self.client_name
        return self.client_description

    @property
    def days_display(self) -> str:
        if self.days_per_week_min == self.days_per_week_max:
            return _("週%(days)s日") % {"days": self.days_per_week_min}
        return _("週%(low)s〜%(high)s日") % {
            "low": self.days_per_week_min,
            "high": self.days_per_week_max,
        }

    @property
    def rate_display(self) -> str:
        """「月額 80〜100万円」 or 「時給 5,000〜8,000円」; empty while the rate is unknown."""
        if self.rate_min is None or self.rate_max is None:
            return ""
        if self.rate_unit == self.RateUnit.MONTHLY:
            low, high, suffix = self.rate_min / MAN_YEN, self.rate_max / MAN_YEN, "万円"
        else:
            low, high, suffix = self.rate_min, self.rate_max, "円"
        low_text, high_text = (f"{amount:,.1f}".removesuffix(".0") for amount in (low, high))
        span = low_text if low_text == high_text else f"{low_text}〜{high_text}"
        return f"{self.get_rate_unit_display()} {span}{suffix}"

    def days_until_close(self) -> int | None:
        """Whole days left to apply (0 on the last day), or None once closed or without a date."""
        if not self.is_accepting:
            return None
        return (timezone.localdate(self.closes_at) - timezone.localdate()).days


class ProjectEvent(models.Model):
    """One step of a project's workflow: who moved it from which state to which, and when."""

    project = models.ForeignKey(
        Project, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("変更前"), max_length=10, choices=Project.Status.choices, blank=True
    )
    to_status = models.CharField(_("変更後"), max_length=10, choices=Project.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空欄はシステム(自動処理)による記録です。"),
    )
    note = models.CharField(_("メモ"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("案件の履歴")
        verbose_name_plural = _("案件の履歴")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.project_id}: {self.from_status or '-'} → {self.to_status}"
