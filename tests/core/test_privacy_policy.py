"""The privacy policy has one source: each version's text, number and effective date.

/privacy/ shows the version in effect; every lead and newsletter subscriber records it.
"""

from datetime import date
from http import HTTPStatus

import pytest

from careers.models import Lead
from core import privacy_policy
from core.privacy_policy import PolicyVersion, policy_current
from newsletter.models import Subscriber
from tests.factories import consultation_form_data

pytestmark = pytest.mark.django_db

FUTURE = PolicyVersion("9", date(2999, 1, 1), "privacy/policy_v1.html")


@pytest.fixture
def a_newer_version(monkeypatch):
    newer = PolicyVersion("7", date(2026, 12, 1), "privacy/policy_v2.html")
    versions = (PolicyVersion("1", date(2026, 11, 1), "privacy/policy_v1.html"), newer, FUTURE)
    monkeypatch.setattr(privacy_policy, "POLICY_VERSIONS", versions)
    return newer


def test_the_privacy_page_shows_the_version_in_effect_and_its_date(client, a_newer_version):
    html = client.get("/privacy/").content.decode()
    assert "プライバシーポリシー 第7版(2026年12月1日施行)" in html
    assert "第9版" not in html  # announced, not yet in effect


def test_a_lead_and_a_subscriber_record_the_version_they_agreed_to(
    client, a_newer_version, settings, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_ENABLE = False
    with django_capture_on_commit_callbacks(execute=True):
        lead_response = client.post("/consultation/", consultation_form_data())
        client.post(
            "/newsletter/",
            {"email": "reader@example.com", "topics": "ai", "consent": "on", "website": ""},
        )
    assert lead_response.status_code == HTTPStatus.SEE_OTHER
    assert Lead.objects.get().consent_version == "7"
    subscriber = Subscriber.objects.get()
    assert subscriber.consent_version == "7"
    assert subscriber.consented_at is not None


def test_every_version_has_its_text():
    for policy in privacy_policy.POLICY_VERSIONS:
        assert policy.template.startswith("privacy/policy_v")
    assert policy_current(today=date(2026, 11, 15)).version == "1"
