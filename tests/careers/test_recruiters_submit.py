"""A company's inquiry from /recruiters/: saved as a company lead, routed to corporate sales
only, logged, confirmed once, and protected like the consultation form."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from careers.models import Lead, LeadEvent, Team
from careers.roles import MANAGER_GROUP
from outbox.models import Email
from tests.factories import (
    AdvisorFactory,
    UserFactory,
    company_inquiry_form_data,
    consultation_form_data,
)

pytestmark = pytest.mark.django_db

URL = "/recruiters/"


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks, doorbell_rings):
    """POST a form as a browser would, then let a worker do the work it queued."""

    def _submit(url=URL, *, browser=None, **overrides):
        browser = browser or client
        make_data = consultation_form_data if url.startswith("/consultation/") else None
        data = (make_data or company_inquiry_form_data)(**overrides)
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(url, data)
        doorbell_rings.run()
        return response

    return _submit


@pytest.fixture
def career_advisor():
    # Covers every interest and has room: the best choice, were it allowed to take companies.
    return AdvisorFactory(name="キャリア 担当", team=Team.CAREER, specialty="both", capacity=50)


@pytest.fixture
def sales_advisor():
    return AdvisorFactory(
        name="法人営業 担当", email="sales@plusweb3.example", team=Team.SALES, specialty="ai"
    )


def _mail_to(mailoutbox, address):
    return [message for message in mailoutbox if address in message.to]


def test_an_inquiry_becomes_a_company_lead_routed_to_sales_with_its_events(
    client, submit, mailoutbox, career_advisor, sales_advisor
):
    response = submit()

    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"].startswith("/recruiters/thanks/")
    lead = Lead.objects.get()
    assert lead.kind == Lead.Kind.COMPANY
    assert (lead.company_name, lead.department, lead.name) == (
        "株式会社ミライAIラボ",
        "人事部",
        "岡田 真理",
    )
    assert (lead.phone, lead.positions, lead.timing, lead.interest) == (
        "0312345678",
        3,
        "3_months",
        "ai",
    )
    assert lead.consented_at is not None
    assert lead.landing_path == "/recruiters/"
    assert lead.status == Lead.Status.ASSIGNED
    assert lead.advisor == sales_advisor

    kinds = list(lead.events.order_by("created_at", "id").values_list("kind", flat=True))
    assert kinds[0] == LeadEvent.Kind.SUBMITTED
    # The confirmation and the advisor's assignment email, in whichever order they went.
    assert sorted(kinds[1:]) == sorted(
        [LeadEvent.Kind.ROUTED, LeadEvent.Kind.EMAIL_SENT, LeadEvent.Kind.EMAIL_SENT]
    )
    submitted = lead.events.get(kind=LeadEvent.Kind.SUBMITTED)
    assert submitted.details["reference"] == lead.reference
    assert submitted.details["spam_reasons"] == []
    decision = lead.events.get(kind=LeadEvent.Kind.ROUTED).details["decision"]
    assert decision["chosen"]["id"] == sales_advisor.id
    # The career advisor was never even considered: the sales team is its own pool.
    assert [candidate["id"] for candidate in decision["candidates"]] == [sales_advisor.id]

    [assigned] = _mail_to(mailoutbox, "sales@plusweb3.example")
    assert "採用企業からのお問い合わせの担当になりました" in assigned.subject
    assert "株式会社ミライAIラボ 岡田 真理様" in assigned.subject
    assert "会社名: 株式会社ミライAIラボ" in assigned.body
    assert "募集人数: 3名" in assigned.body
    assert "採用希望時期: 3か月以内" in assigned.body
    assert "転職希望時期" not in assigned.body
    assert _mail_to(mailoutbox, career_advisor.email) == []


def test_a_candidate_advisor_never_receives_a_company_inquiry(submit, mailoutbox, career_advisor):
    """With no sales advisor free, the inquiry waits; the idle career advisor never gets it."""
    manager = UserFactory(username="manager", email="manager@example.com", is_staff=True)
    manager.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    AdvisorFactory(team=Team.SALES, specialty="web3")  # the wrong specialty for an AI hire
    AdvisorFactory(team=Team.SALES, specialty="both", is_accepting=False)

    submit()

    lead = Lead.objects.get()
    assert lead.status == Lead.Status.UNASSIGNED
    assert lead.advisor is None
    assert career_advisor.leads.count() == 0
    decision = lead.events.get(kind=LeadEvent.Kind.UNASSIGNED).details["decision"]
    assert career_advisor.id not in [candidate["id"] for candidate in decision["candidates"]]
    assert _mail_to(mailoutbox, career_advisor.email) == []
    assert len(_mail_to(mailoutbox, "manager@example.com")) == 1


def test_a_sales_advisor_never_receives_a_candidate_lead(submit, mailoutbox, sales_advisor):
    submit("/consultation/")

    lead = Lead.objects.get()
    assert lead.kind == Lead.Kind.CANDIDATE
    assert lead.status == Lead.Status.UNASSIGNED
    assert sales_advisor.leads.count() == 0
    assert _mail_to(mailoutbox, sales_advisor.email) == []


@pytest.mark.parametrize("interest", ["ai", "web3", "both"])
def test_each_kind_of_lead_lands_in_its_own_team_whatever_the_interest(submit, interest):
    for specialty in ("ai", "web3", "both"):
        AdvisorFactory(team=Team.CAREER, specialty=specialty)
        AdvisorFactory(team=Team.SALES, specialty=specialty)
    for n in range(3):
        submit(email=f"hr{n}@company.example", interest=interest)
        submit("/consultation/", email=f"person{n}@example.com", interest=interest)

    leads = list(Lead.objects.select_related("advisor"))
    assert len(leads) == 6
    for lead in leads:
        expected = Team.SALES if lead.kind == Lead.Kind.COMPANY else Team.CAREER
        assert lead.advisor.team == expected, lead


def test_the_thank_you_page_and_the_confirmation_email(client, submit, mailoutbox):
    location = submit(company_name="R&D株式会社")["Location"]
    lead = Lead.objects.get()

    page = client.get(location)
    assert page.status_code == HTTPStatus.OK
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    for text in (
        '<h1 class="lead-page__title">お問い合わせを受け付けました</h1>',
        f'data-testid="reference">{lead.reference}<',
        "R&amp;D株式会社 岡田 真理 様、お問い合わせありがとうございます。",
        "1営業日以内に、法人営業の担当者からご連絡します。",
        "<dt>募集人数</dt><dd>3名</dd>",
        'name="robots" content="noindex"',
    ):
        assert text in html, text

    [confirmation] = _mail_to(mailoutbox, "okada@mirai-ai.example")
    assert confirmation.subject == (
        f"【Plus Web3】採用支援のお問い合わせを受け付けました(受付番号 {lead.reference})"
    )
    # The text part is text: no HTML entities.
    assert "会社名:R&D株式会社\n部署名:人事部\nお名前:岡田 真理 様" in confirmation.body
    assert f"受付番号:{lead.reference}" in confirmation.body
    assert "募集人数:3名" in confirmation.body
    assert "費用は、ご紹介した方の入社が決まったときにのみ発生します。" in confirmation.body
    html_part, mimetype = confirmation.alternatives[0]
    assert mimetype == "text/html"
    assert "R&amp;D株式会社" in html_part
    assert Email.objects.filter(lead=lead, kind="lead_confirmation").count() == 1

    # Reloading the thank-you page sends nothing again.
    for _ in range(2):
        assert client.get(location).status_code == HTTPStatus.OK
    assert Lead.objects.count() == 1
    assert len(_mail_to(mailoutbox, "okada@mirai-ai.example")) == 1


def test_only_the_submitting_browser_sees_who_asked(submit):
    location = submit()["Location"]
    html = Client().get(location).content.decode()
    assert Lead.objects.get().reference in html
    assert "岡田" not in html
    assert "ミライ" not in html
    assert "okada@" not in html


def test_thank_you_tokens_are_signed_per_form(client, submit):
    recruiters_location = submit()["Location"]
    token = recruiters_location.removeprefix("/recruiters/thanks/")
    # The same reference signed for the other form's page opens nothing there, and forgeries 404.
    assert client.get(f"/consultation/thanks/{token}").status_code == HTTPStatus.NOT_FOUND
    assert client.get(recruiters_location[:-5] + "AAAA/").status_code == HTTPStatus.NOT_FOUND
    consultation_location = submit("/consultation/")["Location"]
    consultation_token = consultation_location.removeprefix("/consultation/thanks/")
    assert client.get(f"/recruiters/thanks/{consultation_token}").status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_a_double_click_makes_one_lead_and_one_confirmation(submit, mailoutbox, sales_advisor):
    data = company_inquiry_form_data()
    first = submit(form_token=data["form_token"])
    second = submit(form_token=data["form_token"])
    assert first["Location"] == second["Location"]
    assert Lead.objects.count() == 1
    assert len(_mail_to(mailoutbox, "okada@mirai-ai.example")) == 1
    assert len(_mail_to(mailoutbox, sales_advisor.email)) == 1


def test_a_second_inquiry_is_linked_and_kept_with_the_same_sales_advisor(submit, sales_advisor):
    AdvisorFactory(team=Team.SALES, specialty="ai")
    submit("/consultation/", email="okada@mirai-ai.example")
    submit()
    submit(email="OKADA@MIRAI-AI.EXAMPLE", message="追加で1名お願いしたいです。")

    candidate = Lead.objects.get(kind=Lead.Kind.CANDIDATE)
    first, second = Lead.objects.filter(kind=Lead.Kind.COMPANY).order_by("created_at", "id")
    # The candidate lead with the same address is another matter, not the original.
    assert first.duplicate_of is None
    assert candidate.duplicate_of is None
    assert second.duplicate_of == first
    assert second.advisor == first.advisor
    assert second.events.get(kind=LeadEvent.Kind.ROUTED).details["decision"]["rule"] == (
        "continuity"
    )


def test_a_trapped_bot_is_stored_as_spam_never_routed_or_emailed(
    client, submit, mailoutbox, sales_advisor
):
    response = submit(website="https://cheap-pills.example")
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert client.get(response["Location"]).status_code == HTTPStatus.OK
    lead = Lead.objects.get()
    assert lead.status == Lead.Status.SPAM
    assert list(lead.events.values_list("kind", flat=True)) == [LeadEvent.Kind.SUBMITTED]
    assert lead.events.get().details["spam_reasons"] == ["honeypot"]
    assert sales_advisor.leads.count() == 0
    assert mailoutbox == []


def test_the_recruiters_form_has_its_own_submission_limit(submit, settings):
    """Limited like the consultation form (the 429 page), on a budget of its own."""
    settings.RATELIMIT_IP_LIMIT = 2
    statuses = [submit(email=f"hr{n}@company.example").status_code for n in range(3)]
    assert statuses == [HTTPStatus.SEE_OTHER, HTTPStatus.SEE_OTHER, HTTPStatus.TOO_MANY_REQUESTS]
    assert submit("/consultation/").status_code == HTTPStatus.SEE_OTHER
    assert submit(email="hr9@company.example").status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert Lead.objects.count() == 3


def test_attribution_is_the_first_landing_on_this_form(client, submit):
    client.get("/consultation/?utm_source=article-cta")
    client.get(
        "/recruiters/?utm_source=google&utm_medium=cpc&utm_campaign=hiring",
        HTTP_REFERER="https://search.example/?q=web3+採用",
    )
    client.get("/recruiters/?utm_source=later")
    submit()
    lead = Lead.objects.get()
    assert (lead.utm_source, lead.utm_medium, lead.utm_campaign) == ("google", "cpc", "hiring")
    assert lead.referrer == "https://search.example/?q=web3+採用"
    assert lead.landing_path.startswith("/recruiters/?utm_source=google")


def test_the_csrf_token_is_required_and_an_oversized_post_gets_the_413_page(settings):
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(URL, company_inquiry_form_data()).status_code == HTTPStatus.FORBIDDEN
    browser.get(URL)
    token = browser.cookies["__Host-csrftoken"].value
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = {**company_inquiry_form_data(message="あ" * 20_000), "csrfmiddlewaretoken": token}
    response = browser.post(URL, data)
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    html = response.content.decode()
    assert "送信内容が大きすぎます" in html
    assert 'href="/recruiters/"' in html
    assert Lead.objects.count() == 0
