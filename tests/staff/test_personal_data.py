"""Disclosure and erasure requests, and the retention purge: personal data goes, statistics stay."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.utils import timezone

from careers.dashboard import dashboard_for
from careers.models import Lead, LeadEvent, LeadNote
from careers.services.capture import lead_confirmation_queue
from careers.services.personal_data import leads_purge_expired
from careers.tasks.personal_data import purge_expired_leads_task
from core.personal_data import personal_data_erase
from outbox.models import Email
from tests.factories import AdvisorFactory, ArticleFactory, LeadFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

URL = "/admin/careers/lead/personal-data/"
EMAIL = "hanako@example.com"
# Every field of a lead that is not personal, reviewed one by one: what the pipeline and the
# statistics are made of. A new field of Lead belongs either here or in Lead.PERSONAL_FIELDS.
KEPT_AFTER_ERASURE = {
    "id",
    "created_at",
    "updated_at",
    "reference",
    "kind",
    "interest",
    "experience",
    "timing",
    "contact_method",
    "company_name",
    "positions",
    "engagement",
    "requested_project",
    "project",
    "available_days",
    "consent_version",
    "consented_at",
    "source_article",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "landing_path",
    "door_clicked_at",
    "duplicate_of",
    "submission_key",
    "status",
    "close_reason",
    "advisor",
    "assigned_at",
    "first_contact_due_at",
    "first_contacted_at",
    "sla_reminded_at",
    "sla_breached_at",
    "sla_breach_count",
    "anonymized_at",
}


@pytest.fixture
def person(manager):
    """Two leads of one person (one typed in capitals), with a note, events and emails."""
    advisor = AdvisorFactory(name="小林 アドバイザー")
    article = ArticleFactory()
    first = assigned_lead(
        advisor,
        email=EMAIL,
        name="佐々木 花子",
        name_kana="ササキ ハナコ",
        phone="090-9999-0000",
        message="ブロックチェーンの仕事に興味があります",
        source_article=article,
    )
    second = LeadFactory(email="Hanako@Example.com", name="佐々木 花子", duplicate_of=first)
    LeadNote.objects.create(lead=first, author=manager, body="佐々木さんは来月退職予定")
    LeadEvent.objects.create(
        lead=first, kind=LeadEvent.Kind.EMAIL_SENT, details={"to": [EMAIL], "email_kind": "x"}
    )
    Email.objects.create(
        key="confirm-1",
        kind="lead_confirmation",
        about=first,
        to=[EMAIL],
        subject="佐々木 花子 様 ご相談を受け付けました",
        body_text="佐々木 花子 様\nブロックチェーンの仕事に興味があります",
        status=Email.Status.SENT,
    )
    Email.objects.create(
        key="confirm-2",
        kind="lead_confirmation",
        about=second,
        to=[EMAIL],
        subject="佐々木 花子 様",
        body_text="本文",
        status=Email.Status.PENDING,
    )
    other = LeadFactory(email="someone-else@example.com", name="別の人")
    return {"first": first, "second": second, "other": other, "advisor": advisor}


def test_disclosure_gives_every_lead_event_note_and_email_as_json(client, manager, person):
    client.force_login(manager)

    response = client.post(URL, {"email": "HANAKO@example.com ", "request_type": "disclose"})

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    document = json.loads(response.content)
    assert document["メールアドレス"] == EMAIL
    leads = document["保有しているデータ"]["キャリア相談・採用のお問い合わせ・案件への応募"]
    assert [lead["受付番号"] for lead in leads] == [
        person["first"].reference,
        person["second"].reference,
    ]
    first = leads[0]
    assert first["フリガナ"] == "ササキ ハナコ"
    assert first["担当アドバイザー"] == "小林 アドバイザー"
    assert first["メモ"][0]["内容"] == "佐々木さんは来月退職予定"
    assert first["お送りしたメール"][0]["件名"] == "佐々木 花子 様 ご相談を受け付けました"
    assert any(event["出来事"] == "メール送信" for event in first["対応の履歴"])
    assert "別の人" not in response.content.decode()
    # The disclosure itself is on record, on each lead, with who answered it.
    disclosed = LeadEvent.objects.filter(kind=LeadEvent.Kind.DISCLOSED)
    assert {event.lead_id for event in disclosed} == {person["first"].pk, person["second"].pk}
    assert {event.actor for event in disclosed} == {manager}


def test_erasure_anonymises_every_lead_of_the_address_and_keeps_the_figures(
    client, manager, person
):
    before = dashboard_for(days=30)
    client.force_login(manager)

    refused = client.post(URL, {"email": EMAIL, "request_type": "erase"})
    assert refused.status_code == HTTPStatus.OK
    assert Lead.objects.filter(anonymized_at__isnull=False).count() == 0

    response = client.post(URL, {"email": EMAIL, "request_type": "erase", "confirm": "on"})

    assert response.status_code == HTTPStatus.FOUND
    first, second, other = (
        Lead.objects.get(pk=person[key].pk) for key in ("first", "second", "other")
    )
    for lead in (first, second):
        assert lead.anonymized_at is not None
        assert lead.name == "匿名化済み"
        assert lead.email.endswith("@anonymized.invalid")
        assert (lead.name_kana, lead.phone, lead.message) == ("", "", "")
    # The same person keeps the same hash, so "how many people" stays countable.
    assert first.email == second.email
    # Statistics: status, advisor, interest, attribution and every timestamp stay.
    assert (first.status, first.advisor_id, first.interest) == (
        person["first"].status,
        person["advisor"].pk,
        person["first"].interest,
    )
    assert first.created_at == person["first"].created_at
    assert first.source_article_id == person["first"].source_article_id
    assert second.duplicate_of_id == first.pk
    assert other.name == "別の人"

    note = LeadNote.objects.get(lead=first)
    assert (note.body, note.author) == ("", manager)
    sent, pending = Email.objects.order_by("key")
    assert (sent.subject, sent.body_text, sent.to) == ("", "", [first.email])
    assert pending.status == Email.Status.FAILED
    assert "佐々木" not in json.dumps(list(LeadEvent.objects.values_list("details", flat=True)))
    assert EMAIL not in json.dumps(list(LeadEvent.objects.values_list("details", flat=True)))
    anonymized = LeadEvent.objects.filter(kind=LeadEvent.Kind.ANONYMIZED)
    assert anonymized.count() == 2
    assert {event.actor for event in anonymized} == {manager}

    after = dashboard_for(days=30)
    assert (after.total, after.by_interest, after.funnel, after.per_day) == (
        before.total,
        before.by_interest,
        before.funnel,
        before.per_day,
    )
    assert after.median_to_assignment == before.median_to_assignment

    # Nothing is left to find: a second disclosure says so.
    again = client.post(URL, {"email": EMAIL, "request_type": "disclose"}, follow=True)
    assert "該当するデータはありません" in again.content.decode()


def test_the_personal_data_page_is_for_managers_only(client, advisor_a, manager):
    client.force_login(advisor_a.user)
    assert client.get(URL).status_code == HTTPStatus.FORBIDDEN
    client.force_login(manager)
    assert client.get(URL).status_code == HTTPStatus.OK


def test_the_action_on_selected_leads_opens_the_request_filled_in(client, manager, person):
    client.force_login(manager)
    selected = [person["first"].pk, person["second"].pk]

    response = client.post(
        "/admin/careers/lead/",
        {"action": "personal_data_request", "_selected_action": selected, "index": 0},
    )

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'value="{EMAIL}"' in html
    assert f'action="{URL}"' in html
    # Nothing happened yet: the manager still chooses disclosure or erasure.
    assert not LeadEvent.objects.filter(kind=LeadEvent.Kind.DISCLOSED).exists()

    mixed = client.post(
        "/admin/careers/lead/",
        {
            "action": "personal_data_request",
            "_selected_action": [person["first"].pk, person["other"].pk],
            "index": 0,
        },
        follow=True,
    )
    assert "同じメールアドレスのリードを選んで" in mixed.content.decode()


def _old(lead, days):
    moment = timezone.now() - timedelta(days=days)
    Lead.objects.filter(pk=lead.pk).update(created_at=moment, updated_at=moment)


def test_purge_leads_anonymises_old_closed_and_spam_leads_only(settings):
    settings.LEAD_RETENTION_DAYS = 730
    settings.LEAD_RETENTION_SPAM_DAYS = 730
    old_closed = LeadFactory(status=Lead.Status.CLOSED, close_reason="lost", name="古い 相談者")
    old_spam = LeadFactory(status=Lead.Status.SPAM)
    old_placed = LeadFactory(status=Lead.Status.PLACED)  # placements are kept longer
    recent_closed = LeadFactory(status=Lead.Status.CLOSED, close_reason="lost")
    for lead in (old_closed, old_spam, old_placed):
        _old(lead, 731)
    _old(recent_closed, 700)
    statuses_before = sorted(Lead.objects.values_list("status", "interest", "created_at"))

    call_command("purge_leads")

    anonymized = set(Lead.objects.filter(anonymized_at__isnull=False).values_list("pk", flat=True))
    assert anonymized == {old_closed.pk, old_spam.pk}
    assert sorted(Lead.objects.values_list("status", "interest", "created_at")) == (statuses_before)
    event = LeadEvent.objects.get(lead=old_closed, kind=LeadEvent.Kind.ANONYMIZED)
    assert (event.actor, event.details["reason"]) == (None, "retention")

    # Running it again changes nothing.
    assert leads_purge_expired() == 0


def test_purge_leads_takes_a_days_override_and_the_beat_task_runs_it(settings):
    lead = LeadFactory(status=Lead.Status.SPAM)
    _old(lead, 40)
    call_command("purge_leads", "--days", "60")
    assert Lead.objects.get(pk=lead.pk).anonymized_at is None

    settings.LEAD_RETENTION_SPAM_DAYS = 30
    assert purge_expired_leads_task.apply().get() == 1
    assert Lead.objects.get(pk=lead.pk).anonymized_at is not None
    assert "careers-purge-expired-leads" in settings.CELERY_BEAT_SCHEDULE


def test_every_field_of_a_lead_is_declared_personal_or_reviewed_as_a_figure():
    """A field left out of Lead.PERSONAL_FIELDS (or added to the model unclassified) would
    survive erasure unnoticed: each one is either personal or on the reviewed list."""
    fields = {field.name for field in Lead._meta.concrete_fields}
    personal = set(Lead.PERSONAL_FIELDS)
    assert fields - personal - KEPT_AFTER_ERASURE == set()
    assert personal & KEPT_AFTER_ERASURE == set()
    assert personal <= fields


def test_erasure_replaces_every_personal_field_the_model_declares(manager):
    """Driven by Lead.PERSONAL_FIELDS, so a field declared personal later is checked too."""
    told_us = {field: f"個人{field}" for field in Lead.PERSONAL_FIELDS}
    told_us["email"] = EMAIL
    lead = LeadFactory(**told_us)

    assert personal_data_erase(email=EMAIL, actor=manager)["leads"] == 1

    lead.refresh_from_db()
    row = {field.name: getattr(lead, field.attname) for field in Lead._meta.concrete_fields}
    for field, value in told_us.items():
        assert row[field] != value, f"{field} kept the person's value"
        assert all(value not in str(kept) for kept in row.values()), f"{field} copied elsewhere"
    assert lead.name == "匿名化済み"
    assert lead.email.endswith("@anonymized.invalid")


def test_disclosure_shows_a_confirmation_still_waiting_for_its_worker_in_full(client, manager):
    """A web request queues the confirmation unrendered; the person reads its words anyway."""
    lead = LeadFactory(email=EMAIL, name="佐々木 花子")
    lead_confirmation_queue(lead=lead)
    client.force_login(manager)

    response = client.post(URL, {"email": EMAIL, "request_type": "disclose"})

    document = json.loads(response.content)
    leads = document["保有しているデータ"]["キャリア相談・採用のお問い合わせ・案件への応募"]
    [email] = leads[0]["お送りしたメール"]
    assert email["状態"] == str(Email.Status.PENDING.label)
    assert lead.reference in email["件名"] + email["本文"]
    assert "佐々木 花子" in email["本文"]
