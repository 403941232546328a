"""The managers' dashboard: true figures from the database in a fixed number of queries."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.dashboard import dashboard_for
from careers.models import Lead
from news.models import CTAClick
from tests.factories import AdvisorFactory, ArticleFactory, CallToActionFactory, LeadFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

URL = "/admin/careers/lead/dashboard/"
# The attribution a lead gets through the in-article CTA's counted link.
CTA_DOOR = {"utm_source": "article", "utm_medium": "cta", "utm_campaign": "plusweb3-career"}


def lead_at(created_at, **kwargs):
    lead = LeadFactory(**kwargs)
    Lead.objects.filter(pk=lead.pk).update(created_at=created_at)
    return lead


@pytest.fixture
def figures_world():
    now = timezone.now()
    advisor = AdvisorFactory(name="木村 アドバイザー", capacity=4)
    article = ArticleFactory(title="AIスタートアップの求人動向")
    cta = CallToActionFactory(slug="plusweb3-career")
    CTAClick.objects.create(article=article, cta=cta, date=timezone.localdate(), count=40)
    # Outside the 30-day window: not counted.
    CTAClick.objects.create(
        article=article, cta=cta, date=timezone.localdate() - timedelta(days=45), count=1000
    )
    minutes = timedelta(minutes=1)
    lead_at(
        now - 60 * minutes,
        interest="ai",
        source_article=article,
        **CTA_DOOR,
        status=Lead.Status.CONTACTED,
        advisor=advisor,
        assigned_at=now - 50 * minutes,  # 10 min to assignment
        first_contacted_at=now,  # 60 min to first contact
    )
    lead_at(
        now - 200 * minutes,
        interest="ai",
        source_article=article,
        **CTA_DOOR,
        status=Lead.Status.CONTACTED,
        advisor=advisor,
        assigned_at=now - 180 * minutes,  # 20 min
        first_contacted_at=now,  # 200 min
    )
    lead_at(
        now - 3 * 24 * 60 * minutes,
        interest="web3",
        status=Lead.Status.ASSIGNED,
        advisor=advisor,
        assigned_at=now - (3 * 24 * 60 - 60) * minutes,  # 60 min
        first_contact_due_at=now - 5 * minutes,
        sla_breached_at=now - 5 * minutes,
    )
    lead_at(now - 2 * minutes, interest="both", status=Lead.Status.UNASSIGNED)
    lead_at(now - 40 * 24 * 60 * minutes, interest="ai", status=Lead.Status.CLOSED)
    return {"advisor": advisor, "article": article, "now": now}


def test_the_figures_are_true(figures_world):
    figures = dashboard_for(days=30)

    assert figures.total == 4
    assert sum(day.count for day in figures.per_day) == 4
    assert len(figures.per_day) == 30
    assert figures.per_day[-1].day == timezone.localdate()
    assert dict(figures.by_interest) == {"AI業界": 2, "Web3業界": 1, "両方・まだ決めていない": 1}
    [row] = figures.funnel.articles
    assert (row.label, row.clicks, row.leads) == ("AIスタートアップの求人動向", 40, 2)
    assert row.conversion == pytest.approx(5.0)
    assert figures.median_to_assignment == timedelta(minutes=20)
    # Two values: the median is their mean.
    assert figures.median_to_first_contact == timedelta(minutes=130)
    assert (figures.sla_breaches, figures.unassigned, figures.overdue) == (1, 1, 1)
    [advisor] = figures.advisors
    assert (advisor.name, advisor.open_leads, advisor.capacity) == ("木村 アドバイザー", 3, 4)

    assert dashboard_for(days=90).total == 5
    assert dashboard_for(days=7).total == 4


def test_the_median_of_an_odd_count_is_the_middle_value():
    now = timezone.now()
    for minutes in (5, 90, 7):
        lead_at(
            now - timedelta(hours=3),
            assigned_at=now - timedelta(hours=3) + timedelta(minutes=minutes),
        )
    assert dashboard_for(days=7).median_to_assignment == timedelta(minutes=7)


def test_the_page_shows_the_figures_as_server_rendered_svg(client, manager, figures_world):
    client.force_login(manager)

    response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<svg class="staff-chart"' in html
    assert "<rect " in html
    assert "AIスタートアップの求人動向" in html
    assert "5.0%" in html
    assert "20分" in html
    assert "2時間10分" in html
    assert 'data-testid="kpi-total">4<' in html
    assert "木村 アドバイザー" in html
    assert "<meter" in html
    # Our CSP forbids inline styles and scripts: the chart uses presentation attributes.
    assert "style=" not in html
    assert "<script>" not in html


def test_the_period_switch(client, manager, figures_world):
    client.force_login(manager)
    html = client.get(f"{URL}?days=90").content.decode()
    assert 'data-testid="kpi-total">5<' in html
    assert 'aria-current="true">過去90日' in html
    # Anything else falls back to the default 30 days.
    assert client.get(f"{URL}?days=9999").context["figures"].days == 30


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == HTTPStatus.OK
    return len(queries)


def test_the_dashboard_costs_a_fixed_number_of_queries(client, manager):
    client.force_login(manager)
    advisors = [AdvisorFactory() for _ in range(3)]
    articles = [ArticleFactory() for _ in range(3)]
    for index in range(5):
        assigned_lead(advisors[index % 3], source_article=articles[index % 3])
    few = _dashboard_queries(client)

    for index in range(80):
        lead = assigned_lead(advisors[index % 3], source_article=articles[index % 3])
        Lead.objects.filter(pk=lead.pk).update(
            created_at=timezone.now() - timedelta(days=index % 25)
        )
    AdvisorFactory()
    many = _dashboard_queries(client)

    assert many == few
    assert many <= 16


def test_the_admin_index_links_the_dashboard_for_managers_only(client, manager, advisor_a):
    client.force_login(manager)
    assert 'data-testid="dashboard-link"' in client.get("/admin/").content.decode()
    client.force_login(advisor_a.user)
    assert 'data-testid="dashboard-link"' not in client.get("/admin/").content.decode()


def test_dates_are_japan_days():
    """A lead at 23:30 JST on the 1st counts on the 1st, not on the UTC day."""
    late = timezone.make_aware(timezone.datetime(2026, 3, 1, 23, 30))
    lead_at(late)
    figures = dashboard_for(days=7, now=late + timedelta(hours=1))
    counts = {day.day: day.count for day in figures.per_day}
    assert counts[date(2026, 3, 1)] == 1
