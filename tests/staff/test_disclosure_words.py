"""The disclosure document is for the person it is about: their words, Japan time, no codes."""

import io
import json
import re
from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.utils import timezone

from careers.models import LeadNote
from newsletter.models import Subscriber
from outbox.models import Email
from tests.factories import AdvisorFactory, SubscriberFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

URL = "/admin/careers/lead/personal-data/"
EMAIL = "hanako@example.com"
# Codes the database stores that a person would not understand.
CODES = [
    "lead_confirmation",
    "newsletter_confirm",
    "candidate",
    "assigned",
    "utm_",
    "source_article",
    '"ai"',
    '"web3"',
    '"both"',
    '"confirmed"',
    '"sent"',
    "email_sent",
]


def _strings(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_the_disclosure_uses_words_staff_names_and_one_jst_format(client, manager):
    manager.last_name, manager.first_name = "山本", "一郎"
    manager.save()
    lead = assigned_lead(
        AdvisorFactory(name="小林 アドバイザー"),
        email=EMAIL,
        name="佐々木 花子",
        interest="both",
        utm_source="newsletter",
    )
    LeadNote.objects.create(lead=lead, author=manager, body="来月退職予定")
    Email.objects.create(
        key="c-1", kind="lead_confirmation", about=lead, to=[EMAIL], subject="受付", body_text="-"
    )
    SubscriberFactory(email=EMAIL, topics="web3")
    client.force_login(manager)

    response = client.post(URL, {"email": EMAIL, "request_type": "disclose"})

    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    for code in CODES:
        assert code not in text, code
    assert "manager-1" not in text  # the login name
    assert "山本 一郎" in text
    assert "両方・まだ決めていない" in text
    assert "Web3" in text
    document = json.loads(text)
    moments = [s for s in _strings(document) if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", s)]
    assert moments
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", moment) for moment in moments)
    created = timezone.localtime(lead.created_at).strftime("%Y-%m-%d %H:%M")
    assert created in moments


def test_a_disclosure_for_an_unknown_address_says_there_is_no_data(client, manager):
    client.force_login(manager)

    response = client.post(
        URL, {"email": "nobody@example.com", "request_type": "disclose"}, follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert response.redirect_chain[-1][0] == URL
    assert "Content-Disposition" not in response
    assert "該当するデータはありません" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_an_erasure_reads_in_words_in_the_timeline(client, manager):
    """The reason is a code in the database; staff read why, and the operator's own note."""
    lead = assigned_lead(AdvisorFactory(), email=EMAIL)
    call_command("personal_data", "erase", EMAIL, "--reason", "電話で依頼", stdout=io.StringIO())
    client.force_login(manager)

    html = client.get(f"/admin/careers/lead/{lead.pk}/change/").content.decode()

    assert "ご本人からの削除請求" in html
    assert "対応メモ: 電話で依頼" in html
    assert "request" not in html.split("個人情報を匿名化しました。", 1)[1][:300]
