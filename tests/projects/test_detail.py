"""/projects/<slug>/: the work and its terms, JobPosting data, related projects and articles."""

import json
import re
from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, ProjectFactory, StaffFactory, TagFactory

pytestmark = pytest.mark.django_db

DETAIL_PAGE_MAX_QUERIES = 6


def _job_posting(response) -> dict | None:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1)) if match else None


def test_job_posting_describes_a_remote_contract_field_by_field(client, settings):
    closes_at = timezone.now() + timedelta(days=20)
    project = ProjectFactory(
        slug="llm-rag",
        title="RAG基盤の開発",
        description="検索の精度を上げます。\n\n評価も作ります。",
        rate_min=800_000,
        rate_max=1_100_000,
        closes_at=closes_at,
        starts_on=date(2027, 1, 1),
        skills=[TagFactory(name="Python"), TagFactory(name="LLM")],
    )

    data = _job_posting(client.get(project.get_absolute_url()))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "JobPosting"
    assert data["title"] == "RAG基盤の開発"
    assert data["description"] == "<p>検索の精度を上げます。</p>\n\n<p>評価も作ります。</p>"
    assert data["url"] == f"{settings.SITE_URL}/projects/llm-rag/"
    assert data["employmentType"] == "CONTRACTOR"
    assert data["datePosted"] == project.opened_at.isoformat()
    assert data["validThrough"] == closes_at.isoformat()
    assert data["jobStartDate"] == "2027-01-01"
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Plus Web3"}
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "JPY",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 800_000,
            "maxValue": 1_100_000,
            "unitText": "MONTH",
        },
    }
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "JP"}
    assert "jobLocation" not in data
    assert set(data["skills"].split(", ")) == {"Python", "LLM"}


def test_job_posting_of_an_onsite_hourly_project_names_the_place_and_the_consenting_client(client):
    project = ProjectFactory(
        remote="onsite",
        location="東京都千代田区",
        rate_unit="hourly",
        rate_min=5_000,
        rate_max=8_000,
        client_name="株式会社テスト",
        client_name_public=True,
    )

    data = _job_posting(client.get(project.get_absolute_url()))

    assert data["baseSalary"]["value"]["unitText"] == "HOUR"
    assert data["baseSalary"]["value"]["minValue"] == 5_000
    assert "jobLocationType" not in data
    assert data["jobLocation"]["address"]["addressLocality"] == "東京都千代田区"
    assert data["hiringOrganization"]["name"] == "株式会社テスト"


def test_job_posting_cannot_be_broken_out_of_its_script_block(client):
    project = ProjectFactory(title="</script><script>alert(1)</script>")
    page = client.get(project.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert _job_posting(client.get(project.get_absolute_url()))["title"] == project.title


def test_the_page_shows_the_terms_and_hides_an_unconsented_client_name(client):
    project = ProjectFactory(
        rate_min=800_000,
        rate_max=1_000_000,
        days_per_week_min=2,
        days_per_week_max=3,
        remote="partial",
        location="大阪府大阪市",
        client_description="シリーズBのWeb3スタートアップ",
        client_name="株式会社ひみつ",
        client_name_public=False,
    )

    page = client.get(project.get_absolute_url()).content.decode()

    for text in ("月額 80〜100万円", "週2〜3日", "一部リモート", "大阪府大阪市", "3か月〜"):
        assert text in page
    assert "シリーズBのWeb3スタートアップ" in page
    assert "株式会社ひみつ" not in page
    assert 'name="robots"' not in page


def test_hourly_rates_read_in_yen(client):
    project = ProjectFactory(rate_unit="hourly", rate_min=6_000, rate_max=9_000)
    assert "時給 6,000〜9,000円" in client.get(project.get_absolute_url()).content.decode()


def test_related_projects_and_articles_come_through_shared_skills(client):
    solidity, audit, python = TagFactory(name="Solidity"), TagFactory(name="監査"), TagFactory()
    project = ProjectFactory(field="web3", skills=[solidity], welcome_skills=[audit])
    ProjectFactory(title="両方のスキルが重なる案件", skills=[solidity, audit])
    ProjectFactory(title="ひとつ重なる案件", skills=[audit])
    ProjectFactory(title="締切済みの似た案件", skills=[solidity], status="closed")
    ArticleFactory(title="Solidity監査の記事", tags=[solidity, audit])
    ArticleFactory(title="Pythonの記事", tags=[python])

    page = client.get(project.get_absolute_url()).content.decode()

    related = page[page.index('data-testid="related-projects"') :]
    assert related.index("両方のスキルが重なる案件") < related.index("ひとつ重なる案件")
    assert "締切済みの似た案件" not in page
    assert "Solidity監査の記事" in page
    assert "Pythonの記事" not in page


def test_drafts_are_previewed_by_staff_only(client):
    project = ProjectFactory(status="draft", opened_at=None)

    assert client.get(project.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    client.force_login(StaffFactory())
    preview = client.get(project.get_absolute_url())
    assert preview.status_code == HTTPStatus.OK
    assert 'data-testid="preview-banner"' in preview.content.decode()
    assert _job_posting(preview) is None


def test_unknown_project_is_a_japanese_404(client):
    response = client.get("/projects/no-such-project/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "お探しのページが見つかりませんでした" in response.content.decode()


def test_detail_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    tags = [TagFactory() for _ in range(8)]
    project = ProjectFactory(skills=tags[:4], welcome_skills=tags[4:])
    for _ in range(12):
        ProjectFactory(skills=tags[:2])
        ArticleFactory(tags=tags[:3])
    with django_assert_max_num_queries(DETAIL_PAGE_MAX_QUERIES):
        client.get(project.get_absolute_url())


def test_the_header_and_footer_lead_to_the_projects(client):
    page = client.get("/projects/").content.decode()
    assert page.count("業務委託案件をお探しの方はこちら") == 2
    assert 'data-testid="header-projects"' in page
    assert 'data-testid="footer-projects"' in page
