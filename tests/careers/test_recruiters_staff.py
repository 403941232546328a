"""Company inquiries in the staff's tools: the lead list and its kind filter, the change view,
reassignment, the CSV export, the dashboard, an advisor's scope, the morning digest and the
demo content."""

import csv
import io
from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from base.demo import careers as demo
from careers.dashboard import dashboard_for
from careers.models import Lead, LeadEvent, Team
from careers.roles import ADVISOR_GROUP, MANAGER_GROUP
from careers.services.sla import advisor_digests_send
from outbox.models import Email
from tests.factories import AdvisorFactory, LeadFactory, StaffFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/lead/"


def _staff(group_name, **kwargs):
    user = StaffFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def manager():
    return _staff(MANAGER_GROUP, username="manager-r", email="manager-r@example.com")


@pytest.fixture
def sales_advisor():
    user = _staff(ADVISOR_GROUP, username="sales-1")
    return AdvisorFactory(
        name="山本 直樹", email="yamamoto@example.com", team=Team.SALES, specialty="both", user=user
    )


@pytest.fixture
def career_advisor():
    user = _staff(ADVISOR_GROUP, username="career-1")
    return AdvisorFactory(name="高橋 美咲", team=Team.CAREER, specialty="both", user=user)


def company_lead(advisor=None, **kwargs):
    fields = {
        "kind": Lead.Kind.COMPANY,
        "company_name": "チェーンブリッジ株式会社",
        "department": "経営企画室",
        "name": "前田 隆",
        "positions": 2,
        "timing": Lead.Timing.WITHIN_6_MONTHS,
        **kwargs,
    }
    return assigned_lead(advisor, **fields) if advisor else LeadFactory(**fields)


@pytest.fixture
def mixed_leads(sales_advisor, career_advisor):
    return {
        "company": company_lead(sales_advisor, reference="PW-COMP-0001"),
        "candidate": assigned_lead(career_advisor, reference="PW-CAND-0001", name="佐々木 一郎"),
    }


def _references(client, query=""):
    response = client.get(f"{LIST_URL}?{query}")
    assert response.status_code == HTTPStatus.OK
    return {lead.reference for lead in response.context["cl"].result_list}


def test_the_list_filters_by_kind_and_shows_the_company(client, manager, mixed_leads):
    client.force_login(manager)

    html = client.get(LIST_URL).content.decode()
    # The kind filter (種別: 求職者 / 採用企業); a company's name stands above its contact.
    for text in (
        'data-filter-title="種別"',
        '<a href="?kind__exact=candidate">求職者</a>',
        '<a href="?kind__exact=company">採用企業</a>',
        "お名前・会社名",
        '<span class="lead-company">チェーンブリッジ株式会社</span>',
    ):
        assert text in html, text
    assert _references(client, "kind__exact=company") == {"PW-COMP-0001"}
    assert _references(client, "kind__exact=candidate") == {"PW-CAND-0001"}
    assert _references(client, "q=チェーンブリッジ") == {"PW-COMP-0001"}


def test_the_change_view_shows_the_company_details(client, manager, mixed_leads):
    client.force_login(manager)
    lead = mixed_leads["company"]

    html = client.get(f"{LIST_URL}{lead.pk}/change/").content.decode()

    for text in (
        "チェーンブリッジ株式会社",
        "経営企画室",
        "ご担当者名",
        "前田 隆",
        "採用したい領域",
        "募集人数",
        "採用希望時期",
        "半年以内",
        "採用企業",
    ):
        assert text in html, text
    # Candidate-only questions are not on a company's page.
    for text in ("経験年数", "現在のお仕事", "転職希望時期", "フリガナ"):
        assert text not in html, text


def test_reassignment_offers_only_sales_advisors_for_a_company_lead(
    client, manager, mixed_leads, sales_advisor, career_advisor
):
    other_sales = AdvisorFactory(name="吉田 恵", team=Team.SALES, specialty="ai")
    client.force_login(manager)
    lead = mixed_leads["company"]

    response = client.get(f"{LIST_URL}{lead.pk}/reassign/")

    choices = list(response.context["form"].fields["advisor"].queryset)
    assert choices == [other_sales]
    refused = client.post(
        f"{LIST_URL}{lead.pk}/reassign/", {"advisor": career_advisor.pk, "reason": "試し"}
    )
    assert refused.status_code == HTTPStatus.OK
    lead.refresh_from_db()
    assert lead.advisor == sales_advisor


def test_each_advisor_sees_only_their_own_kind_of_lead(
    client, mixed_leads, sales_advisor, career_advisor
):
    company, candidate = mixed_leads["company"], mixed_leads["candidate"]

    client.force_login(sales_advisor.user)
    assert _references(client) == {company.reference}
    assert client.get(f"{LIST_URL}{candidate.pk}/change/").status_code == HTTPStatus.NOT_FOUND

    client.force_login(career_advisor.user)
    assert _references(client) == {candidate.reference}
    assert client.get(f"{LIST_URL}{company.pk}/change/").status_code == HTTPStatus.NOT_FOUND


def test_the_csv_of_company_inquiries_has_the_company_columns(client, manager, mixed_leads):
    client.force_login(manager)

    response = client.post(f"{LIST_URL}export/?kind__exact=company")

    assert response.status_code == HTTPStatus.OK
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *records = list(csv.reader(io.StringIO(raw)))
    assert {"種別", "会社名", "部署名", "募集人数", "希望時期(転職・採用)"} <= set(header)
    [row] = [dict(zip(header, record, strict=True)) for record in records]
    assert row["受付番号"] == "PW-COMP-0001"
    assert row["種別"] == "採用企業"
    assert (row["会社名"], row["部署名"], row["募集人数"]) == (
        "チェーンブリッジ株式会社",
        "経営企画室",
        "2",
    )
    assert row["希望時期(転職・採用)"] == "半年以内"
    assert row["担当アドバイザー"] == "山本 直樹"
    exported = LeadEvent.objects.get(kind=LeadEvent.Kind.EXPORTED)
    assert exported.lead == mixed_leads["company"]


def test_the_dashboard_counts_each_kind(client, manager, sales_advisor, career_advisor):
    for _ in range(3):
        assigned_lead(career_advisor)
    for _ in range(2):
        company_lead(sales_advisor)
    old = company_lead()
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))

    figures = dashboard_for(days=30)
    assert figures.total == 5
    assert figures.by_kind == [
        ("candidate", "求職者", 3),
        ("company", "採用企業", 2),
        ("freelance", "業務委託", 0),
    ]
    assert dashboard_for(days=90).by_kind[1] == ("company", "採用企業", 3)

    client.force_login(manager)
    html = client.get("/admin/careers/lead/dashboard/").content.decode()
    assert "うち求職者" in html
    assert "うち採用企業" in html
    assert 'data-testid="kpi-kind-candidate">3<' in html
    assert 'data-testid="kpi-kind-company">2<' in html
    assert f"{LIST_URL}?kind__exact=company" in html


def test_a_sales_advisors_digest_names_the_companies_and_only_company_leads_wait_there(
    sales_advisor, career_advisor, django_capture_on_commit_callbacks
):
    company_lead(sales_advisor, reference="PW-COMP-0002")
    company_lead(
        reference="PW-WAIT-0001", status=Lead.Status.UNASSIGNED, company_name="株式会社テスト"
    )
    LeadFactory(reference="PW-WAIT-CAND", status=Lead.Status.UNASSIGNED)
    # A business day at 09:00 in Japan.
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))

    with django_capture_on_commit_callbacks(execute=True):
        advisor_digests_send(now=monday)

    digest = Email.objects.get(key=f"advisor:{sales_advisor.id}:digest:2026-12-07")
    assert "PW-COMP-0002 チェーンブリッジ株式会社 前田 隆様" in digest.body_text
    assert "PW-WAIT-0001 株式会社テスト" in digest.body_text
    assert "PW-WAIT-CAND" not in digest.body_text
    career_digest = Email.objects.get(key=f"advisor:{career_advisor.id}:digest:2026-12-07")
    assert "PW-WAIT-CAND" in career_digest.body_text
    assert "PW-WAIT-0001" not in career_digest.body_text


def test_the_demo_has_two_company_inquiries_routed_to_the_demo_sales_team(client, manager):
    demo.load()
    demo.load()

    inquiries = Lead.objects.filter(kind=Lead.Kind.COMPANY).select_related("advisor")
    assert sorted(lead.company_name for lead in inquiries) == [
        "チェーンブリッジ株式会社",
        "株式会社ミライAIラボ",
    ]
    sales_emails = {email for _n, email, team, *_rest in demo.ADVISORS if team == Team.SALES}
    for lead in inquiries:
        assert lead.advisor.email in sales_emails
        assert lead.events.filter(kind=LeadEvent.Kind.ROUTED).count() == 1
        assert Email.objects.filter(lead=lead, kind="lead_confirmation").count() == 1
    client.force_login(manager)
    html = client.get("/admin/careers/lead/?kind__exact=company").content.decode()
    assert "株式会社ミライAIラボ" in html
    assert "チェーンブリッジ株式会社" in html
