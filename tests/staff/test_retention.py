"""Every lead has a retention period, whatever its state; the privacy page states the same ones."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from careers.models import Lead
from careers.services.personal_data import leads_purge_expired
from tests.factories import AdvisorFactory, LeadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(settings):
    settings.LEAD_RETENTION_DAYS = 730
    settings.LEAD_RETENTION_PLACED_DAYS = 1095
    settings.LEAD_RETENTION_UNASSIGNED_DAYS = 365
    settings.LEAD_RETENTION_SPAM_DAYS = 90
    settings.LEAD_RETENTION_OPEN_DAYS = 540
    return settings


def _idle(status, days, **extra):
    """A lead in `status` whose last activity was `days` ago."""
    if status in {Lead.Status.ASSIGNED, Lead.Status.CONTACTED, Lead.Status.PLACED}:
        extra.setdefault("advisor", AdvisorFactory())
        extra.setdefault("assigned_at", timezone.now() - timedelta(days=days))
    if status == Lead.Status.CLOSED:
        extra.setdefault("close_reason", Lead.CloseReason.LOST)
    lead = LeadFactory(status=status, **extra)
    moment = timezone.now() - timedelta(days=days)
    Lead.objects.filter(pk=lead.pk).update(created_at=moment, updated_at=moment)
    return lead


@pytest.mark.parametrize(
    ("status", "over", "within"),
    [
        (Lead.Status.CLOSED, 731, 729),
        (Lead.Status.SPAM, 91, 89),
        (Lead.Status.PLACED, 1096, 1094),
        (Lead.Status.UNASSIGNED, 366, 364),
        # Open leads nobody has touched for the period: stalled, not worked.
        (Lead.Status.NEW, 541, 539),
        (Lead.Status.ASSIGNED, 541, 539),
        (Lead.Status.CONTACTED, 541, 539),
    ],
)
def test_each_state_is_anonymised_after_its_own_period(periods, status, over, within):
    expired = _idle(status, over)
    kept = _idle(status, within)

    assert leads_purge_expired() == 1

    assert Lead.objects.get(pk=expired.pk).anonymized_at is not None
    assert Lead.objects.get(pk=kept.pk).anonymized_at is None


def test_the_privacy_page_states_the_periods_the_purge_uses(client, periods):
    periods.LEAD_RETENTION_PLACED_DAYS = 1234
    periods.LEAD_RETENTION_OPEN_DAYS = 321

    response = client.get("/privacy/")

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for text in ("成約", "1234日", "321日", "730日", "365日", "90日"):
        assert text in html
