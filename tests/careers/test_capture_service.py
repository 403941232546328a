"""lead_create: references, duplicates, the SUBMITTED event, consent and spam, called directly."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from careers.attribution import Attribution
from careers.models import Lead, LeadEvent
from careers.services import capture
from careers.services.capture import ip_hash, reference_generate
from careers.services.pipeline import ROUTE_LEAD_TASK
from core.privacy_policy import policy_current
from outbox.models import Email
from outbox.services import SEND_TASK
from tests.factories import ArticleFactory, LeadFactory, lead_submit
from tests.support.services import require_postgresql

pytestmark = pytest.mark.django_db

REFERENCE_FORMAT = re.compile(
    r"^PW-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$"
)


def test_reference_numbers_are_short_grouped_and_free_of_ambiguous_characters():
    references = {reference_generate() for _ in range(2000)}
    assert len(references) == 2000
    for reference in references:
        assert REFERENCE_FORMAT.match(reference), reference
        assert not set(reference[3:].replace("-", "")) & set("01OIL")


def test_a_lead_gets_a_reference_that_is_not_its_primary_key():
    lead = lead_submit()
    assert REFERENCE_FORMAT.match(lead.reference)
    assert str(lead.pk) not in lead.reference.replace("PW-", "")


def test_a_reference_collision_draws_again(monkeypatch):
    taken = LeadFactory(reference="PW-AAAA-BBBB")
    draws = iter(["PW-AAAA-BBBB", "PW-CCCC-DDDD"])
    monkeypatch.setattr(capture, "reference_generate", lambda: next(draws))
    lead = lead_submit()
    assert lead.reference == "PW-CCCC-DDDD"
    assert Lead.objects.filter(reference=taken.reference).count() == 1


def test_the_lead_starts_new_with_consent_and_one_submitted_event():
    before = timezone.now()
    lead = lead_submit(
        attribution=Attribution(source_article=ArticleFactory(slug="ai-news")),
        ip_address="192.0.2.1",
        fill_seconds=12.5,
    )
    assert lead.status == Lead.Status.NEW
    assert lead.consent_version == policy_current().version
    assert lead.consented_at >= before
    (event,) = lead.events.all()
    assert event.kind == LeadEvent.Kind.SUBMITTED
    assert event.actor is None
    assert event.details == {
        "reference": lead.reference,
        "status": "new",
        "spam_reasons": [],
        "fill_seconds": 12.5,
        "duplicate_of": None,
        "source_article": "ai-news",
    }


def test_the_confirmation_email_is_written_in_the_same_transaction():
    lead = lead_submit()
    notification = Email.objects.get(lead=lead)
    assert notification.key == f"lead:{lead.id}:confirmation"
    assert notification.status == Email.Status.PENDING
    assert notification.to == ["taro@example.com"]
    # Rendered by the worker that sends it (outbox tests); the row holds what it will say.
    assert notification.template == "careers/email/candidate_confirmation"
    assert notification.context["reference"] == lead.reference


def test_after_commit_the_email_is_sent_and_routing_runs(
    django_capture_on_commit_callbacks, mailoutbox, doorbell_rings
):
    with django_capture_on_commit_callbacks(execute=True):
        lead = lead_submit()
        # Inside the transaction nothing has happened yet.
        assert doorbell_rings.pending == []
        assert lead.events.get().kind == LeadEvent.Kind.SUBMITTED
    # One message: routing carries the confirmation and sends it after routing's commit.
    confirmation = Email.objects.get(lead=lead)
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (lead.id, [confirmation.id]))]
    assert mailoutbox == []
    assert doorbell_rings.run() == [ROUTE_LEAD_TASK, SEND_TASK]
    assert [message.to for message in mailoutbox] == [["taro@example.com"]]
    lead.refresh_from_db()
    # Routing ran and found nobody (there are no advisors): the lead waits for the sweep.
    assert lead.status == Lead.Status.UNASSIGNED
    assert sorted(lead.events.values_list("kind", flat=True)) == sorted(
        [LeadEvent.Kind.SUBMITTED, LeadEvent.Kind.UNASSIGNED, LeadEvent.Kind.EMAIL_SENT]
    )


def test_spam_is_saved_with_its_reasons_and_nothing_queued(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lead = lead_submit(spam_reasons=["honeypot", "too_fast"])
    assert lead.status == Lead.Status.SPAM
    assert callbacks == []
    assert not Email.objects.exists()
    assert lead.events.get().details["spam_reasons"] == ["honeypot", "too_fast"]


def test_the_same_email_within_30_days_links_to_the_earliest_open_lead():
    original = lead_submit(email="taro@example.com")
    second = lead_submit(email="Taro@Example.com")
    third = lead_submit(email="TARO@example.com")
    assert original.duplicate_of is None
    assert second.duplicate_of == original
    assert third.duplicate_of == original
    assert third.events.get().details["duplicate_of"] == original.reference


def test_duplicates_are_never_dropped():
    for _ in range(3):
        lead_submit()
    assert Lead.objects.count() == 3


def test_an_older_lead_is_not_a_duplicate_target():
    old = LeadFactory(email="taro@example.com")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert lead_submit().duplicate_of is None


@pytest.mark.parametrize("status", [Lead.Status.SPAM, Lead.Status.CLOSED, Lead.Status.PLACED])
def test_spam_and_finished_leads_are_not_duplicate_targets(status):
    LeadFactory(email="taro@example.com", status=status)
    assert lead_submit().duplicate_of is None


def test_a_company_inquiry_is_not_the_duplicate_of_a_candidate():
    LeadFactory(email="taro@example.com")
    assert lead_submit(kind=Lead.Kind.COMPANY, company_name="株式会社テスト").duplicate_of is None


def test_a_replayed_submission_key_returns_the_first_lead():
    first = lead_submit(submission_key="key-1")
    again = lead_submit(submission_key="key-1", name="別の名前")
    assert again == first
    assert Lead.objects.count() == 1
    assert Email.objects.count() == 1


def test_the_ip_is_kept_as_a_keyed_hash_of_its_network_only():
    assert ip_hash("203.0.113.7") == ip_hash("203.0.113.200")
    assert ip_hash("203.0.113.7") != ip_hash("203.0.114.7")
    assert ip_hash("2001:db8::1") == ip_hash("2001:db8::ffff")
    assert ip_hash("not an address") == ""
    lead = lead_submit(ip_address="203.0.113.7", user_agent="Mozilla\x00/5.0")
    assert lead.ip_hash == ip_hash("203.0.113.7")
    assert lead.user_agent == "Mozilla/5.0"


def test_the_email_is_normalised_even_when_a_caller_skips_the_form():
    assert lead_submit(email="Ｈａｎａｋｏ＠ＥＸＡＭＰＬＥ.jp").email == "Hanako@example.jp"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_of_one_form_make_one_lead():
    """A double-click on PostgreSQL: the unique key makes the second INSERT find the first."""
    require_postgresql()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def post():
        try:
            barrier.wait()
            results.append(lead_submit(submission_key="double-click").pk)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Lead.objects.count() == 1
