"""Staff read people's words: no internal code in the timeline, the dry run, the email list or
the CSV; colleagues by name; one date format in JST."""

import csv
import io
import re
from http import HTTPStatus

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from careers.models import Interest, Lead
from careers.services.pipeline import lead_reassign, lead_route
from outbox.kinds import KIND_LABELS
from outbox.models import Email
from outbox.services import email_send
from tests.factories import AdvisorFactory, ArticleFactory, LeadFactory

pytestmark = pytest.mark.django_db

# Everything staff must never read: email kinds, interest codes, field names, JSON lists.
CODES = [
    *KIND_LABELS,
    *Interest.values,
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "source_article",
    "email_kind",
    '["',
]


def codes_in(text: str, *, also=()) -> list[str]:
    """The codes in `text` as whole words (ai in "email" is not the code ai)."""
    return [
        code
        for code in (*CODES, *also)
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(code)}(?![A-Za-z0-9_])", text)
    ]


@pytest.fixture
def routed_lead(manager, django_capture_on_commit_callbacks):
    """A lead from an article, routed, mailed and reassigned by a manager with a name."""
    manager.last_name, manager.first_name = "木村", "陽子"
    manager.save()
    ArticleFactory(title="生成AIエンジニアの転職市場", slug="ai-engineer-market")
    AdvisorFactory(name="中村 アドバイザー", specialty="ai")
    AdvisorFactory(name="小林 アドバイザー", specialty="both")
    lead = LeadFactory(
        interest="both",
        source_article=ArticleFactory(title="Web3企業の採用動向", slug="web3-hiring"),
        utm_source="newsletter",
    )
    with django_capture_on_commit_callbacks(execute=True):
        lead_route(lead_id=lead.pk)
    lead.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        lead_reassign(lead=lead, actor=manager, reason="得意分野の担当へ")
    for email in Email.objects.all():
        email_send(email_id=email.pk)
    return lead


def test_the_timeline_speaks_in_words_names_people_and_uses_jst(
    client, manager, routed_lead, django_capture_on_commit_callbacks
):
    lead = routed_lead
    lead.refresh_from_db()
    again = LeadFactory(interest=lead.interest, email=lead.email, duplicate_of=lead)
    with django_capture_on_commit_callbacks(execute=True):
        lead_route(lead_id=again.pk)
    client.force_login(manager)

    for shown in (lead, again):
        html = client.get(f"/admin/careers/lead/{shown.pk}/change/").content.decode()
        timeline = strip_tags(html.split('class="lead-timeline"')[1].split("</ol>")[0])
        assert codes_in(timeline, also=[manager.username]) == [], shown
        assert f"#{lead.pk}" not in timeline
    assert "Web3企業の採用動向" in strip_tags(
        client.get(f"/admin/careers/lead/{lead.pk}/change/").content.decode()
    )
    assert f"以前のリード({lead.reference})" in timeline
    assert "両方" in timeline
    assert "木村 陽子" in strip_tags(
        client.get(f"/admin/careers/lead/{lead.pk}/change/").content.decode()
    )
    created = timezone.localtime(again.created_at).strftime("%Y-%m-%d %H:%M")
    assert created in timeline


def test_the_reassign_dry_run_names_specialties_in_words(client, manager, routed_lead):
    client.force_login(manager)
    html = client.get(f"/admin/careers/lead/{routed_lead.pk}/reassign/").content.decode()
    dry_run = strip_tags(html.split('data-testid="dry-run"')[1].split("</div>")[0])
    assert codes_in(dry_run) == []
    assert "AI業界" in dry_run


def test_the_sent_email_list_its_filter_and_an_email_speak_in_words(
    client, manager, routed_lead, superuser
):
    client.force_login(superuser)
    response = client.get("/admin/outbox/email/")
    assert response.status_code == HTTPStatus.OK
    page = strip_tags(response.content.decode().split('id="content"')[1])
    assert codes_in(page) == []
    assert "担当決定の通知(アドバイザー宛)" in page
    assert "メールの種類" in page

    email = Email.objects.filter(kind="lead_assigned").first()
    detail = client.get(f"/admin/outbox/email/{email.pk}/change/").content.decode()
    shown = strip_tags(detail.split('id="content"')[1])
    assert codes_in(shown) == []
    assert "、".join(email.to) in shown


def test_csv_headers_are_words_and_the_phone_keeps_its_leading_zero(client, manager):
    LeadFactory(phone="09012345678")
    client.force_login(manager)
    response = client.post("/admin/careers/lead/export/")
    raw = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(raw)))[:2]
    assert codes_in(",".join(header)) == []
    assert "流入元サイト" in header
    assert row[header.index("電話番号")] == '="09012345678"'
    assert Lead.objects.count() == 1


def test_an_export_reads_in_words_in_the_timeline(client, manager):
    advisor = AdvisorFactory(name="中村 アドバイザー")
    lead = LeadFactory(status="assigned", advisor=advisor, assigned_at=timezone.now())
    client.force_login(manager)
    client.post(
        f"/admin/careers/lead/export/?status__exact=assigned&advisor__id__exact={advisor.pk}"
    )

    html = client.get(f"/admin/careers/lead/{lead.pk}/change/").content.decode()
    timeline = strip_tags(html.split('class="lead-timeline"')[1].split("</ol>")[0])
    assert "ステータス: 担当決定" in timeline
    assert "担当アドバイザー: 中村 アドバイザー" in timeline
    assert codes_in(timeline, also=["status__exact", "advisor__id__exact", "assigned"]) == []
