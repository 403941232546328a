"""Which articles and which CTA doors bring candidates: views → clicks → leads → 成約.

A lead is credited to the door it first landed through (careers/attribution.py keeps the
first touch), read back from the attribution the click counter put on the form's URL
(news.models.door_url): utm_medium names the door, utm_campaign the CTA, utm_content the
button's interest. careers/attribution.py keeps the door only for a lead that spent a counted
click of that door, so a door's leads cannot outnumber its clicks; a lead that names an
article without a counted door (a link copied elsewhere, an old page) is shown apart as
「その他の経路」 and is in no conversion.

A lead is credited to the day of the click that brought it (Lead.door_clicked_at), as
analytics tools credit a conversion to its click: a click at 23:59 and its lead at 00:01 are
the same day's, so neither a day nor a period shows more leads than clicks. A lead without a
counted click is counted on the day it was sent.

Every figure is a grouped aggregate: five queries whatever the number of articles or leads.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from careers.attribution import COOKIE_MAX_AGE, lead_door
from careers.models import Lead
from news.models import Article, ArticleDailyViews, CallToAction, CTAClick, Door


@dataclass
class FunnelRow:
    """One article or one door; the counts are of the same period."""

    key: tuple
    label: str = ""
    views: int = 0
    clicks: int = 0
    leads: int = 0
    assigned: int = 0
    contacted: int = 0
    placed: int = 0
    # Leads crediting the article without a counted click: not in the conversion.
    other_leads: int = 0
    article_id: int | None = None

    @property
    def conversion(self) -> float | None:
        """Leads per click of the same doors, in percent; None when nobody clicked."""
        if not self.clicks:
            return None
        return 100 * self.leads / self.clicks

    def add_leads(self, counts: dict) -> None:
        for name in ("leads", "assigned", "contacted", "placed"):
            setattr(self, name, getattr(self, name) + counts[name])


@dataclass
class Funnel:
    articles: list[FunnelRow] = field(default_factory=list)
    doors: list[FunnelRow] = field(default_factory=list)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def _lead_counts(first_day: date, last_day: date) -> list[dict]:
    start, end = _day_start(first_day), _day_start(last_day + timedelta(days=1))
    return list(
        Lead.objects.filter(
            # A click comes before its lead, which may follow while the first-touch cookie
            # lives: bounds the created_at index can narrow the rows to.
            created_at__gte=start,
            created_at__lt=end + timedelta(seconds=COOKIE_MAX_AGE),
            source_article__isnull=False,
        )
        .alias(credited_at=Coalesce("door_clicked_at", "created_at"))
        .filter(credited_at__gte=start, credited_at__lt=end)
        .order_by()
        .values("source_article", "utm_source", "utm_medium", "utm_campaign", "utm_content")
        .annotate(
            leads=Count("id"),
            assigned=Count("id", filter=Q(assigned_at__isnull=False)),
            contacted=Count("id", filter=Q(first_contacted_at__isnull=False)),
            placed=Count("id", filter=Q(status=Lead.Status.PLACED)),
        )
    )


def _click_counts(first_day: date, last_day: date) -> list[dict]:
    return list(
        CTAClick.objects.filter(date__gte=first_day, date__lte=last_day)
        .order_by()
        .values("article", "door", "cta__slug", "interest")
        .annotate(total=Sum("count"))
    )


def _view_counts(first_day: date, last_day: date) -> dict[int, int]:
    return dict(
        ArticleDailyViews.objects.filter(date__gte=first_day, date__lte=last_day)
        .order_by()
        .values("article")
        .annotate(total=Sum("count"))
        .values_list("article", "total")
    )


def _door_labels(cta_slugs: set[str]) -> dict[tuple, str]:
    """「CTA名 / ボタン」 for every button of the CTAs named, and the fixed doors' names."""
    labels = {(door.value, "", ""): str(door.label) for door in Door if door != Door.CTA}
    for cta in CallToAction.objects.filter(slug__in=cta_slugs).prefetch_related("buttons"):
        labels[(Door.CTA.value, cta.slug, "")] = cta.name
        for button in cta.buttons.all():
            labels[(Door.CTA.value, cta.slug, button.interest)] = f"{cta.name} / {button.label}"
    return labels


def _ranked(rows, limit):
    rows = sorted(rows, key=lambda row: (-row.placed, -row.leads, -row.clicks, -row.views, row.key))
    return rows if limit is None else rows[:limit]


def funnel_for(*, first_day: date, last_day: date, limit: int | None = 20) -> Funnel:
    """The funnel per article and per door between two days (both included, Japan time)."""
    articles: dict[int, FunnelRow] = defaultdict(lambda: FunnelRow(key=()))
    doors: dict[tuple, FunnelRow] = {}

    def door_row(key):
        return doors.setdefault(key, FunnelRow(key=key))

    for pk, total in _view_counts(first_day, last_day).items():
        articles[pk].views = total
    for row in _click_counts(first_day, last_day):
        key = (row["door"], row["cta__slug"] or "", row["interest"])
        articles[row["article"]].clicks += row["total"]
        door_row(key).clicks += row["total"]
    for row in _lead_counts(first_day, last_day):
        article = articles[row["source_article"]]
        key = lead_door(
            utm_source=row["utm_source"],
            utm_medium=row["utm_medium"],
            utm_campaign=row["utm_campaign"],
            utm_content=row["utm_content"],
        )
        if key is None:
            article.other_leads += row["leads"]
            continue
        article.add_leads(row)
        door_row(key).add_leads(row)

    for pk, row in articles.items():
        row.key = (pk,)
        row.article_id = pk
    article_rows = _ranked(articles.values(), limit)
    titles = dict(
        Article.objects.filter(pk__in=[row.article_id for row in article_rows]).values_list(
            "pk", "title"
        )
    )
    for row in article_rows:
        row.label = titles.get(row.article_id, "")
    labels = _door_labels({slug for _door, slug, _interest in doors if slug})
    for key, row in doors.items():
        row.label = labels.get(key) or " / ".join(part for part in key if part)
    return Funnel(articles=article_rows, doors=_ranked(doors.values(), None))
