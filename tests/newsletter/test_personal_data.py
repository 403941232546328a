"""Subscribers join the personal-data requests (disclosure and erasure) of the staff admin."""

import json

import pytest
from django.core import mail, signing
from django.utils import timezone

from core.personal_data import anonymized_email, personal_data_disclose, personal_data_erase
from newsletter.models import Delivery, Subscriber
from newsletter.selectors import issue_list_with_stats
from newsletter.services import (
    CONFIRM_SALT,
    confirmation_url,
    subscriber_disclosure,
    subscriber_erase,
)
from outbox.models import Email
from tests.factories import (
    ArticleFactory,
    NewsletterIssueFactory,
    StaffFactory,
    SubscriberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber_with_history(signup, client, settings):
    """Signed up from an article, confirmed, and received one issue."""
    settings.NEWSLETTER_SEND_RATE = 60_000
    article = ArticleFactory(title="Web3の求人動向", slug="web3-jobs")
    signup(email="Hanako@Example.com", topics="web3", source="web3-jobs")
    subscriber = Subscriber.objects.get()
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
    )
    issue = NewsletterIssueFactory(
        subject="Web3週報", status="sent", send_started_at=timezone.now(), sent_at=timezone.now()
    )
    issue.articles.set([article])
    Delivery.objects.create(
        issue=issue, subscriber=subscriber, status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    return Subscriber.objects.get(pk=subscriber.pk)


def test_disclosure_lists_the_subscription_its_emails_and_deliveries(subscriber_with_history):
    record = subscriber_disclosure(email="hanako@example.com")

    assert record["メールアドレス"] == "Hanako@Example.com"
    assert record["受け取るテーマ"] == "Web3"
    assert record["状態"] == "購読中"
    assert record["登録元の記事"] == "Web3の求人動向"
    assert [delivery["号"] for delivery in record["お届けしたメルマガ"]] == ["Web3週報"]
    [confirmation] = record["登録確認のメール"]
    assert confirmation["宛先"] == "Hanako@Example.com"
    assert subscriber_with_history.token not in json.dumps(record)
    json.dumps(record)  # the staff admin downloads it as JSON


def test_disclosure_of_an_unknown_address_is_empty():
    assert subscriber_disclosure(email="nobody@example.com") == {}


def test_the_staff_disclosure_request_includes_the_newsletter(subscriber_with_history):
    manager = StaffFactory()

    document = personal_data_disclose(email="HANAKO@example.com", actor=manager)

    [record] = document["保有しているデータ"]["メルマガ「AI・Web3 Insight」"]
    assert record["受け取るテーマ"] == "Web3"


def test_erasure_anonymises_the_subscriber_and_keeps_the_counts(subscriber_with_history, client):
    old_token = subscriber_with_history.token

    assert subscriber_erase(email="hanako@example.com") == 1

    subscriber = Subscriber.objects.get()
    assert "hanako" not in subscriber.email.lower()
    assert subscriber.email.endswith("@anonymized.invalid")
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.erased_at is not None
    assert subscriber.token != old_token
    assert client.get(f"/newsletter/preferences/{old_token}/").status_code == 404
    notification = Email.objects.get(kind="newsletter_confirm")
    assert notification.body_text == notification.subject == ""
    assert "hanako" not in json.dumps(notification.to).lower()
    # The issue still counts one sent email.
    assert issue_list_with_stats().get().sent_count == 1
    assert subscriber_disclosure(email="hanako@example.com") == {}
    assert subscriber_erase(email="hanako@example.com") == 0


def test_the_staff_erasure_request_includes_the_newsletter(subscriber_with_history):
    counts = personal_data_erase(email="hanako@example.com", actor=StaffFactory())

    assert counts["newsletter"] == 1
    assert not Subscriber.objects.filter(email__iexact="hanako@example.com").exists()


def test_an_erased_reader_can_subscribe_again_and_be_erased_again(signup):
    SubscriberFactory(email="again@example.com")
    subscriber_erase(email="again@example.com")

    signup(email="again@example.com")
    assert subscriber_erase(email="again@example.com") == 1

    assert Subscriber.objects.count() == 2
    assert len(mail.outbox) == 1


def test_the_confirmation_link_shares_no_key_with_the_erased_placeholder(signup):
    """A fingerprint in a link (and so in browser histories) cannot be matched to the hash
    that stands in for the same address after an erasure: each purpose has its own key."""
    signup(email="hanako@example.com")
    subscriber = Subscriber.objects.get()
    signed = confirmation_url(subscriber=subscriber).rstrip("/").rsplit("/", 1)[1]
    _, fingerprint, _ = signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(signed)

    subscriber_erase(email="hanako@example.com")
    erased_lead_address = anonymized_email("hanako@example.com")

    assert fingerprint not in erased_lead_address
    assert fingerprint not in Subscriber.objects.get().email
