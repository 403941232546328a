"""The consultation call-to-action shown at the end of articles, its buttons, and the counts
of clicks its conversion is computed from."""

import secrets
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlencode

from django.core import signing
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.interests import Interest
from core.models import TimeStampedModel

CONSULTATION_PATH = "/consultation/"
# The click counter's redirect lands on the form at once; a form URL copied from the address
# bar and opened elsewhere later no longer names the door (careers/attribution.py).
DOOR_CLICK_MAX_AGE = 30 * 60
_DOOR_CLICK_SALT = "news.door_click"
NEWSLETTER_PATH = "/newsletter/"
MAX_BUTTONS = 3
# The seed's two doors, which the site's default CTA opens with.
DEFAULT_BUTTONS = (("Web3企業", Interest.WEB3), ("AI企業", Interest.AI))


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

    def consultation_url(self, article_slug: str, interest: str = "") -> str:
        """Where a button finally leads: the form, told which article, CTA and button sent the
        reader, with the button's interest already chosen."""
        return door_url(Door.CTA, article_slug, campaign=self.slug, interest=interest)

    @property
    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    @property
    def body_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]


class CTAButton(models.Model):
    """One button of a CTA box: its label and the interest the form opens with."""

    cta = models.ForeignKey(
        CallToAction, verbose_name=_("CTA"), on_delete=models.CASCADE, related_name="buttons"
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    label = models.CharField(_("ボタンの文言"), max_length=60)
    interest = models.CharField(
        _("選択済みにする領域"),
        max_length=10,
        choices=Interest.choices,
        blank=True,
        help_text=_("相談フォームをこの領域を選んだ状態で開きます。空欄なら読者が選びます。"),
    )

    class Meta:
        verbose_name = _("ボタン")
        verbose_name_plural = _("ボタン")
        ordering = ["position", "id"]
        constraints = [
            # A button is known by its CTA and interest in clicks and leads (utm_content),
            # so two buttons of one CTA may not share an interest.
            models.UniqueConstraint(
                fields=["cta", "interest"],
                name="news_ctabutton_one_per_interest",
                violation_error_message=_("同じ領域のボタンは1つのCTAに1つだけです。"),
            )
        ]

    def __str__(self):
        return self.label


class Door(models.TextChoices):
    """Each link on an article page that is counted before it leads to a form."""

    CTA = "cta", _("記事末尾のCTA")
    HEADER = "header", _("ヘッダーの相談ボタン")
    FOLLOW = "follow", _("フォローボックス(メルマガ)")


def door_url(door: str, article_slug: str, *, campaign: str = "", interest: str = "") -> str:
    """The form a door opens, with the attribution that lets a lead name its door.

    A lead's door is read back from utm_medium (the door), utm_campaign (the CTA) and
    utm_content (the button's interest), so clicks and leads are counted per same door;
    `click` is the counted click's signed token, without which the lead gets no door.
    """
    params = [("source", article_slug)]
    if interest:
        params.append(("interest", interest))
    params += [("utm_source", "article"), ("utm_medium", door)]
    if campaign:
        params.append(("utm_campaign", campaign))
    if interest:
        params.append(("utm_content", interest))
    params.append(("click", _door_click_token(door, article_slug, campaign, interest)))
    path = NEWSLETTER_PATH if door == Door.FOLLOW else CONSULTATION_PATH
    return f"{path}?{urlencode(params)}"


def _door_click_token(door: str, article_slug: str, campaign: str, interest: str) -> str:
    # A random number names the click, so one click vouches for one lead; nothing about the
    # reader is in it.
    click = [door, article_slug, campaign, interest, secrets.token_hex(8)]
    return signing.TimestampSigner(salt=_DOOR_CLICK_SALT).sign_object(click, compress=True)


class CountedClick(NamedTuple):
    """A click the counter recorded: its random id, and when it was made."""

    id: str
    at: datetime


def counted_click(
    token: str, *, door: str, article_slug: str, campaign: str = "", interest: str = ""
) -> CountedClick | None:
    """The counted click `token` vouches for, if it was signed by the click counter less than
    DOOR_CLICK_MAX_AGE ago for this very door; None otherwise."""
    try:
        click = signing.TimestampSigner(salt=_DOOR_CLICK_SALT).unsign_object(
            token, max_age=DOOR_CLICK_MAX_AGE
        )
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(click, list) or len(click) != 5:
        return None
    *named, click_id = click
    if named != [door, article_slug, campaign, interest]:
        return None
    # The signature's own timestamp (payload:timestamp:signature), checked just above: the
    # moment of the click, to the second, which the funnel credits the lead to.
    signed_at = signing.b62_decode(token.rsplit(signing.Signer().sep, 2)[1])
    return CountedClick(id=click_id, at=datetime.fromtimestamp(signed_at, tz=UTC))


class CTAClick(models.Model):
    """Clicks per article, door (CTA button, header, follow box) and day."""

    Door = Door

    article = models.ForeignKey(
        "news.Article", verbose_name=_("記事"), on_delete=models.CASCADE, related_name="cta_clicks"
    )
    door = models.CharField(_("リンク"), max_length=10, choices=Door.choices, default=Door.CTA)
    cta = models.ForeignKey(
        CallToAction,
        verbose_name=_("CTA"),
        on_delete=models.CASCADE,
        related_name="clicks",
        null=True,
        blank=True,
    )
    interest = models.CharField(
        _("ボタンの領域"), max_length=10, choices=Interest.choices, blank=True
    )
    date = models.DateField(_("日付"))
    count = models.PositiveIntegerField(_("クリック数"), default=0)

    class Meta:
        verbose_name = _("CTAクリック数")
        verbose_name_plural = _("CTAクリック数")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "cta", "interest", "date"],
                condition=Q(cta__isnull=False),
                name="news_ctaclick_one_row_per_button_day",
            ),
            models.UniqueConstraint(
                fields=["article", "door", "date"],
                condition=Q(cta__isnull=True),
                name="news_ctaclick_one_row_per_door_day",
            ),
            models.CheckConstraint(
                condition=Q(door="cta", cta__isnull=False) | (~Q(door="cta") & Q(cta__isnull=True)),
                name="news_ctaclick_cta_door_has_cta",
            ),
        ]

    def __str__(self):
        return f"{self.article} / {self.get_door_display()} / {self.date}: {self.count}"

    @classmethod
    def record(cls, *, article_id: int, door: str, cta_id: int | None = None, interest=""):
        """Add one click: a conditional UPDATE, or the day's first row."""
        today = timezone.localdate()
        counter = cls.objects.filter(
            article_id=article_id, door=door, cta_id=cta_id, interest=interest, date=today
        )
        if counter.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(
                    article_id=article_id,
                    door=door,
                    cta_id=cta_id,
                    interest=interest,
                    date=today,
                    count=1,
                )
        except IntegrityError:
            # Another reader created the day's row first; add ours to it.
            counter.update(count=F("count") + 1)
