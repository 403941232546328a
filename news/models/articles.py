"""Articles: their visibility, rendering, images, CTA choice and old slugs."""

import reversion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.normalization import search_key
from news.images import build_variants, srcset, variant_urls
from news.models.authors import Author
from news.models.cta import CallToAction
from news.models.querysets import ArticleQuerySet, ArticleStatus
from news.models.taxonomy import Category, Tag
from news.rendering import render_markdown, titled_http_links

# What a revision keeps: everything an editor writes. Derived data (HTML, TOC, image
# variants) is rebuilt on save, and the public state is the workflow's, not the text's.
REVISION_FIELDS = (
    "title",
    "slug",
    "lead",
    "body",
    "published_at",
    "expires_at",
    "author",
    "authors",
    "byline",
    "is_featured",
    "categories",
    "tags",
    "hero_image",
    "hero_alt",
    "references",
    "pinned_related",
    "cta_choice",
    "cta",
    "seo_title",
    "seo_description",
    "og_image",
)

# Computed from the text on save, never typed.
DERIVED_FIELDS = ("body_html", "toc", "reading_minutes", "search_text")
TEXT_FIELDS = {"title", "lead", "body"}


# Each revision keeps the body images its body shows (news.revisions restores them).
@reversion.register(fields=REVISION_FIELDS, follow=("body_images",))
class Article(TimeStampedModel):
    Status = ArticleStatus

    class ReviewStatus(models.TextChoices):
        NONE = "none", _("なし")
        IN_REVIEW = "in_review", _("レビュー待ち")
        SENT_BACK = "sent_back", _("差し戻し")

    class CTAChoice(models.TextChoices):
        DEFAULT = "default", _("既定(カテゴリのCTA、なければ既定のCTA)")
        CUSTOM = "custom", _("個別に指定したCTA")
        NONE = "none", _("表示しない")

    title = models.CharField(_("タイトル"), max_length=200)
    slug = models.SlugField(
        _("スラッグ"),
        max_length=120,
        unique=True,
        help_text=_("URLに使う半角英数字とハイフン。公開後に変えると旧URLから転送します。"),
    )
    lead = models.TextField(_("リード文"), help_text=_("記事の要約。一覧と記事冒頭に表示します。"))
    body = models.TextField(_("本文(Markdown)"))
    body_html = models.TextField(_("本文HTML"), editable=False, default="")
    toc = models.JSONField(_("目次"), editable=False, default=list)
    reading_minutes = models.PositiveSmallIntegerField(_("読了時間(分)"), editable=False, default=1)
    search_text = models.TextField(_("検索用テキスト"), editable=False, default="")
    status = models.CharField(
        _("状態"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("公開日時"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("未来の日時にすると予約投稿になり、その時刻まで読者には表示されません。"),
    )
    expires_at = models.DateTimeField(
        _("公開終了日時"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("この日時を過ぎると読者には表示されなくなります。空欄なら公開を続けます。"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当編集者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_articles",
        limit_choices_to={"is_staff": True},
    )
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("執筆者"),
        related_name="articles",
        blank=True,
        help_text=_("記事の最後に「この記事を書いた人」として表示します。"),
    )
    byline = models.CharField(
        _("署名"), max_length=80, blank=True, help_text=_("記事に表示する執筆者名。")
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("カテゴリ"), related_name="articles", blank=True
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("タグ"), related_name="articles", blank=True)
    is_featured = models.BooleanField(_("注目記事"), default=False)
    hero_image = models.ImageField(
        _("アイキャッチ画像"),
        upload_to="news/hero/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
    )
    hero_width = models.PositiveIntegerField(_("画像の幅"), null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(
        _("画像の高さ"), null=True, blank=True, editable=False
    )
    hero_variants = models.JSONField(_("縮小画像"), default=dict, blank=True, editable=False)
    hero_alt = models.CharField(_("画像の代替テキスト"), max_length=200, blank=True)
    references = models.JSONField(_("参考リンク"), default=list, blank=True)
    seo_title = models.CharField(_("SEOタイトル"), max_length=70, blank=True)
    seo_description = models.CharField(_("メタディスクリプション"), max_length=160, blank=True)
    og_image = models.ImageField(_("OGP画像"), upload_to="news/og/%Y/%m/", blank=True)
    cta_choice = models.CharField(
        _("CTAの表示"), max_length=10, choices=CTAChoice.choices, default=CTAChoice.DEFAULT
    )
    cta = models.ForeignKey(
        CallToAction,
        verbose_name=_("個別のCTA"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    review_status = models.CharField(
        _("レビュー"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.NONE,
        editable=False,
    )
    has_unpublished_changes = models.BooleanField(
        _("未公開の変更あり"),
        default=False,
        editable=False,
        help_text=_("公開中の記事に、まだ承認されていない新しい版があります。"),
    )
    pinned_related = models.ManyToManyField(
        "self",
        verbose_name=_("固定の関連記事"),
        symmetrical=False,
        blank=True,
        related_name="pinned_by",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("記事")
        verbose_name_plural = _("記事")
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", _("記事を公開できる(編集長)"))]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="news_article_public_idx"),
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="news_article_search_trgm"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="news_article_published_has_date",
                violation_error_message=_("公開する記事には公開日時が必要です。"),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(published_at__isnull=True)
                | Q(expires_at__gt=F("published_at")),
                name="news_article_expires_after_publication",
                violation_error_message=_("公開終了日時は公開日時より後にしてください。"),
            ),
            models.CheckConstraint(
                condition=~Q(cta_choice="custom") | Q(cta__isnull=False),
                name="news_article_custom_cta_set",
                violation_error_message=_(
                    "「個別に指定したCTA」を選んだときはCTAを選んでください。"
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived data only: the HTML, TOC and reading time are rendered here, once,
        # so that no request ever renders Markdown; and an old public slug is kept so
        # every way of renaming (admin, shell, demo) leaves the old URL working.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or TEXT_FIELDS.intersection(update_fields):
            self.derive_fields()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *DERIVED_FIELDS}
        self._keep_old_public_slug()
        super().save(*args, **kwargs)
        if self.hero_image and self.hero_variants.get("source") != self.hero_image.name:
            self.hero_variants = build_variants(self.hero_image)
            super().save(update_fields=["hero_variants"])
        elif not self.hero_image and self.hero_variants:
            self.hero_variants = {}
            super().save(update_fields=["hero_variants"])

    def get_absolute_url(self):
        return reverse("news:article", kwargs={"slug": self.slug})

    def derive_fields(self) -> None:
        """Fill DERIVED_FIELDS from the text; bulk loaders call it to write what save() would."""
        rendered = render_markdown(self.body)
        self.body_html = rendered.html
        self.toc = rendered.toc
        self.reading_minutes = rendered.reading_minutes
        self.search_text = search_key("\n".join((self.title, self.lead, self.body)))

    def _keep_old_public_slug(self):
        if self.pk is None:
            return
        previous = (
            Article.objects.public().filter(pk=self.pk).values_list("slug", flat=True).first()
        )
        if previous is None or previous == self.slug:
            return
        ArticleSlugRedirect.objects.update_or_create(old_slug=previous, defaults={"article": self})
        # Renaming back to an old slug: the article itself answers there again.
        ArticleSlugRedirect.objects.filter(old_slug=self.slug).delete()

    @property
    def is_public(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.expires_at is None or self.expires_at > now)
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_expired(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def state(self) -> str:
        if self.status == self.Status.DRAFT:
            return "draft"
        if self.is_scheduled:
            return "scheduled"
        return "expired" if self.is_expired else "published"

    @property
    def display_title(self) -> str:
        return self.seo_title or self.title

    @property
    def display_description(self) -> str:
        return self.seo_description or self.lead[:120]

    @property
    def display_byline(self) -> str:
        """The authors' names (prefetch `authors`), else the byline, else the editor."""
        names = [author.name for author in self.authors.all()] if self.pk else []
        if names:
            return "、".join(names)
        if self.byline:
            return self.byline
        if self.author_id and self.author:
            return self.author.get_full_name() or self.author.get_username()
        return "Plus Web3編集部"

    def effective_cta(self, default_cta=None):
        """The CTA this article shows: its own, else its category's, else the site default.

        Categories come from the prefetched `categories` in their display order;
        `default_cta` is a callable so the default is only queried when needed.
        """
        if self.cta_choice == self.CTAChoice.NONE:
            return None
        if self.cta_choice == self.CTAChoice.CUSTOM and self.cta and self.cta.is_active:
            return self.cta
        for category in self.categories.all():
            if category.cta_id and category.cta.is_active:
                return category.cta
        if default_cta is not None:
            return default_cta()
        return CallToAction.objects.filter(is_default=True, is_active=True).first()

    @property
    def safe_references(self) -> list[dict]:
        return titled_http_links(self.references)

    def hero_variant_urls(self) -> list[tuple[int, str]]:
        return variant_urls(self.hero_variants)

    @property
    def hero_srcset(self) -> str:
        return srcset(self.hero_variants)

    @property
    def hero_url(self) -> str:
        """The largest variant (up to 1600 px), or the original if no variant exists."""
        variants = self.hero_variant_urls()
        if variants:
            return variants[-1][1]
        return self.hero_image.url if self.hero_image else ""

    @property
    def card_image_url(self) -> str:
        variants = self.hero_variant_urls()
        if variants:
            return next((url for width, url in variants if width >= 480), variants[-1][1])
        return self.hero_image.url if self.hero_image else ""

    @property
    def hero_aspect_height(self) -> int | None:
        """Height of the hero at 1600 px wide, so the <img> reserves its box before loading."""
        if self.hero_width and self.hero_height:
            return round(self.hero_height * 1600 / self.hero_width)
        return None

    @property
    def share_image_url(self) -> str:
        if self.og_image:
            return self.og_image.url
        return self.hero_url


class ArticleSlugRedirect(models.Model):
    """An old public slug of an article, answered with a 301 to the current URL."""

    old_slug = models.SlugField(_("旧スラッグ"), max_length=120, unique=True)
    article = models.ForeignKey(
        Article,
        verbose_name=_("記事"),
        on_delete=models.CASCADE,
        related_name="slug_redirects",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("旧URLの転送")
        verbose_name_plural = _("旧URLの転送")

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"
