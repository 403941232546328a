"""Applying to a project (/projects/<slug>/apply/): a freelance lead linked to the project,
routed to the freelance team, confirmed with the project's name, protected like every form."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from careers.models import Lead, Team
from tests.factories import (
    AdvisorFactory,
    ProjectFactory,
    StaffFactory,
    freelance_application_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return ProjectFactory(slug="llm-rag", title="RAG基盤の開発案件", field="web3")


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks, doorbell_rings):
    """POST the application as a browser would, then let a worker do the work it queued."""

    def _submit(slug="llm-rag", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/projects/{slug}/apply/", freelance_application_form_data(**overrides)
            )
        doorbell_rings.run()
        return response

    return _submit


@pytest.fixture
def freelance_advisor():
    return AdvisorFactory(
        name="業務委託 担当",
        email="freelance@plusweb3.example",
        team=Team.FREELANCE,
        specialty="both",
    )


@pytest.fixture
def career_advisor():
    # Covers everything with room to spare: chosen, were applicants not the freelance team's.
    return AdvisorFactory(name="キャリア 担当", team=Team.CAREER, specialty="both", capacity=50)


def test_the_form_names_the_project_and_stays_out_of_search_engines(client, project):
    page = client.get("/projects/llm-rag/apply/").content.decode()
    assert "RAG基盤の開発案件" in page
    assert '<meta name="robots" content="noindex">' in page
    for name in ("name", "email", "timing", "available_days", "skills", "portfolio_url"):
        assert f'name="{name}"' in page


def test_an_application_is_a_freelance_lead_of_the_project_routed_to_the_freelance_team(
    client, submit, mailoutbox, project, freelance_advisor, career_advisor
):
    response = submit()

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"].startswith("/projects/apply/thanks/")
    lead = Lead.objects.get()
    assert lead.kind == Lead.Kind.FREELANCE
    assert lead.project == project
    assert lead.interest == "web3"
    assert (lead.timing, lead.available_days, lead.desired_rate) == ("now", 3, "月額80万円")
    assert lead.portfolio_url == "https://github.com/yosuke-example"
    assert lead.advisor == freelance_advisor
    assert lead.status == Lead.Status.ASSIGNED

    confirmation = next(message for message in mailoutbox if "yosuke@example.com" in message.to)
    assert "「RAG基盤の開発案件」" in confirmation.subject
    assert "RAG基盤の開発案件" in confirmation.body
    assert "/projects/llm-rag/" in confirmation.body

    thanks = client.get(response["Location"]).content.decode()
    assert "「RAG基盤の開発案件」へのご応募ありがとうございます" in thanks


def test_without_a_freelance_advisor_the_application_waits_rather_than_going_to_careers(
    submit, project, career_advisor
):
    submit()
    lead = Lead.objects.get()
    assert lead.advisor is None
    assert lead.status == Lead.Status.UNASSIGNED


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.com/", "github.com/me"]
)
def test_a_portfolio_url_must_be_http_or_https(submit, project, url):
    response = submit(portfolio_url=url)
    assert response.status_code == HTTPStatus.OK
    assert "http:// か https://" in response.content.decode()
    assert not Lead.objects.exists()


def test_nul_characters_and_missing_answers_get_japanese_errors(submit, project):
    response = submit(name="山田\x00太郎", skills="", available_days="9")
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "NUL文字" in page
    assert 'data-testid="error-summary"' in page
    assert not Lead.objects.exists()


def test_an_oversized_application_gets_the_japanese_413_page_and_stores_nothing(
    submit, project, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = submit(message="あ" * 20_000)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert "送信内容が大きすぎます" in response.content.decode()
    assert not Lead.objects.exists()


def test_a_bot_is_stored_as_spam_and_never_routed(submit, project, freelance_advisor):
    submit(website="https://spam.example", filled_seconds_ago=0.5)
    lead = Lead.objects.get()
    assert lead.status == Lead.Status.SPAM
    assert lead.advisor is None


def test_applications_are_rate_limited_in_japanese(submit, project, settings):
    settings.RATELIMIT_EMAIL_LIMIT = 1
    submit()
    response = submit()
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Lead.objects.count() == 1


@pytest.mark.parametrize("state", ["closed", "filled", "past_deadline"])
def test_applying_to_a_closed_project_says_so_in_japanese_and_stores_nothing(client, submit, state):
    if state == "past_deadline":
        ProjectFactory(slug="done", closes_at=timezone.now() - timedelta(minutes=1))
    else:
        ProjectFactory(slug="done", status=state)

    page = client.get("/projects/done/apply/")
    posted = submit(slug="done")

    for response in (page, posted):
        assert response.status_code == HTTPStatus.GONE
        assert "この案件の募集は終了しました" in response.content.decode()
    assert not Lead.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-project", "a-draft"])
def test_applying_to_an_unknown_or_unpublished_project_is_a_404(client, submit, slug):
    ProjectFactory(slug="a-draft", status="draft", opened_at=None)
    assert client.get(f"/projects/{slug}/apply/").status_code == HTTPStatus.NOT_FOUND
    assert submit(slug=slug).status_code == HTTPStatus.NOT_FOUND
    assert not Lead.objects.exists()


def test_staff_see_the_project_and_a_safe_portfolio_link_on_the_lead(
    client, submit, project, freelance_advisor
):
    submit()
    lead = Lead.objects.get()
    client.force_login(StaffFactory(is_superuser=True))

    page = client.get(f"/admin/careers/lead/{lead.pk}/change/").content.decode()

    assert "RAG基盤の開発案件" in page
    assert 'rel="nofollow ugc noopener">https://github.com/yosuke-example</a>' in page
    listing = client.get("/admin/projects/project/").content.decode()
    assert '<td class="field-applicant_count">1</td>' in listing
