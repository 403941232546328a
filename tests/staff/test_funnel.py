"""The dashboard's funnel: views → clicks → leads → assigned → contacted → 成約, per door."""

import csv
import io
from datetime import datetime, time, timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from careers.dashboard import dashboard_for
from careers.funnel import funnel_for
from careers.models import Lead
from news.models import ArticleDailyViews, CTAClick
from news.models.cta import DEFAULT_BUTTONS
from tests.factories import AdvisorFactory, ArticleFactory, CallToActionFactory, LeadFactory
from tests.staff.test_dashboard import URL, _dashboard_queries

pytestmark = pytest.mark.django_db

CTA_DOOR = {"utm_source": "article", "utm_medium": "cta", "utm_campaign": "plusweb3-career"}
HEADER_DOOR = {"utm_source": "article", "utm_medium": "header"}


def _lead(article, advisor, stage, **attribution):
    """A lead from `article` that went as far as `stage`."""
    now = timezone.now()
    fields = {"source_article": article, **attribution}
    if stage in ("assigned", "contacted", "placed"):
        fields |= {"advisor": advisor, "assigned_at": now, "status": Lead.Status.ASSIGNED}
    if stage in ("contacted", "placed"):
        fields |= {"first_contacted_at": now, "status": Lead.Status.CONTACTED}
    if stage == "placed":
        fields["status"] = Lead.Status.PLACED
    return LeadFactory(**fields)


@pytest.fixture
def funnel_world(client):
    """An article whose readers used each door, built through the article's own links.

    Two of its leads came through the header button, which used to skip the click
    counter: the old table showed 3 leads for 1 click (300 %).
    """
    cta = CallToActionFactory(slug="plusweb3-career", is_default=True, buttons=DEFAULT_BUTTONS)
    article = ArticleFactory(title="ステーブルコイン法の読み方")
    quiet = ArticleFactory(title="読まれただけの記事")
    advisor = AdvisorFactory()
    today = timezone.localdate()
    ArticleDailyViews.objects.create(article=article, date=today, count=150)
    ArticleDailyViews.objects.create(article=article, date=today - timedelta(days=1), count=50)
    ArticleDailyViews.objects.create(article=quiet, date=today, count=30)
    # Outside the 7-day period.
    ArticleDailyViews.objects.create(article=article, date=today - timedelta(days=20), count=999)

    slug = article.slug
    client.get(f"/articles/{slug}/cta/{cta.slug}/web3/")
    for _ in range(2):
        client.get(f"/articles/{slug}/go/header/")
    client.get(f"/articles/{slug}/go/follow/")

    _lead(article, advisor, "placed", **CTA_DOOR, utm_content="web3")
    _lead(article, advisor, "contacted", **HEADER_DOOR)
    _lead(article, advisor, "assigned", **HEADER_DOOR)
    # Names the article without a counted click (a copied form URL): apart, in no conversion.
    _lead(article, advisor, "new")
    return {"article": article, "cta": cta}


def test_the_funnel_per_article_is_true_and_conversion_never_passes_100(funnel_world):
    funnel = dashboard_for(days=7).funnel

    first, second = funnel.articles
    assert first.label == "ステーブルコイン法の読み方"
    assert (first.views, first.clicks, first.leads) == (200, 4, 3)
    assert (first.assigned, first.contacted, first.placed) == (3, 2, 1)
    assert first.other_leads == 1
    assert first.conversion == pytest.approx(75.0)
    assert (second.label, second.views, second.clicks, second.conversion) == (
        "読まれただけの記事",
        30,
        0,
        None,
    )
    assert all(row.conversion <= 100 for row in funnel.doors if row.conversion is not None)


def test_the_funnel_per_door_counts_clicks_and_leads_of_the_same_button(funnel_world):
    doors = {row.label: row for row in dashboard_for(days=7).funnel.doors}

    web3 = doors[f"{funnel_world['cta'].name} / Web3企業"]
    header = doors["ヘッダーの相談ボタン"]
    follow = doors["フォローボックス(メルマガ)"]
    assert (web3.clicks, web3.leads, web3.placed, web3.conversion) == (1, 1, 1, 100.0)
    assert (header.clicks, header.leads, header.contacted, header.conversion) == (2, 2, 1, 100.0)
    assert (follow.clicks, follow.leads) == (1, 0)
    assert not any(label.endswith("/ AI企業") for label in doors)


def test_the_period_switch_applies_to_the_funnel(funnel_world):
    [row] = [r for r in dashboard_for(days=30).funnel.articles if r.views > 200]
    assert row.views == 1199
    assert dashboard_for(days=7).funnel.articles[0].views == 200


def test_the_dashboard_shows_the_funnel_and_exports_it_as_csv(client, manager, funnel_world):
    client.force_login(manager)

    html = client.get(f"{URL}?days=7").content.decode()
    assert "ステーブルコイン法の読み方" in html
    assert "75.0%" in html

    response = client.get(f"{URL}?days=7&export=articles")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:8] == [
        "記事",
        "閲覧数",
        "CTAクリック",
        "リード",
        "担当決定",
        "連絡済み",
        "成約",
        "転換率(%)",
    ]
    assert rows[1] == ["ステーブルコイン法の読み方", "200", "4", "3", "3", "2", "1", "75.0", "1"]

    doors = client.get(f"{URL}?days=7&export=doors").content.decode("utf-8-sig")
    assert "ヘッダーの相談ボタン,2,2,2,1,0,100.0" in doors


def test_the_funnel_costs_the_same_queries_for_few_and_many_articles(client, manager):
    client.force_login(manager)
    cta = CallToActionFactory(buttons=DEFAULT_BUTTONS)
    advisor = AdvisorFactory()
    today = timezone.localdate()

    def add(count):
        for _ in range(count):
            article = ArticleFactory()
            ArticleDailyViews.objects.create(article=article, date=today, count=5)
            CTAClick.objects.create(
                article=article, door="cta", cta=cta, interest="ai", date=today, count=3
            )
            door = CTA_DOOR | {"utm_campaign": cta.slug, "utm_content": "ai"}
            _lead(article, advisor, "contacted", **door)

    add(2)
    few = _dashboard_queries(client)
    add(30)
    many = _dashboard_queries(client)
    assert many == few


def _jst(day, hour, minute):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_a_lead_sent_after_midnight_counts_on_the_day_of_its_click():
    """A click at 23:59 and its lead at 00:01 the next day (Japan time) are the first day's:
    1 click and 1 lead (100 %) then, nothing the next day, never a day above 100 %."""
    cta = CallToActionFactory(slug="plusweb3-career", is_default=True, buttons=DEFAULT_BUTTONS)
    article = ArticleFactory(title="ステーブルコイン法の読み方")
    first_day = timezone.localdate() - timedelta(days=3)
    second_day = first_day + timedelta(days=1)
    CTAClick.objects.create(
        article=article, door="cta", cta=cta, interest="web3", date=first_day, count=1
    )
    lead = LeadFactory(source_article=article, **CTA_DOOR, utm_content="web3")
    Lead.objects.filter(pk=lead.pk).update(
        door_clicked_at=_jst(first_day, 23, 59), created_at=_jst(second_day, 0, 1)
    )

    def days(first, last=None):
        rows = funnel_for(first_day=first, last_day=last or first).articles
        return [(row.clicks, row.leads, row.conversion) for row in rows]

    assert days(first_day) == [(1, 1, pytest.approx(100.0))]
    # Neither a click nor a lead credited to the second day: the article is not in its funnel.
    assert days(second_day) == []
    assert days(first_day, second_day) == [(1, 1, pytest.approx(100.0))]
    assert days(second_day, timezone.localdate()) == []
