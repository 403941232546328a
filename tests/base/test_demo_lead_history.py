"""The demo's 90 days of lead history: spread over the period, carried through the real
pipeline, with figures for the dashboard; a second run adds nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from base.demo import careers, lead_history
from careers.dashboard import dashboard_for
from careers.models import Lead

pytestmark = pytest.mark.django_db


def test_the_demo_has_90_days_of_plausible_history_and_loads_once(
    django_capture_on_commit_callbacks,
):
    careers.load()
    with django_capture_on_commit_callbacks(execute=False):
        summary = lead_history.load()

    history = Lead.objects.filter(submission_key__startswith="demo-history-")
    assert history.count() > 100, summary
    oldest = timezone.now() - history.order_by("created_at").first().created_at
    assert timedelta(days=85) < oldest <= timedelta(days=91)
    # Every week of the period has leads, and most have run their course.
    weeks = {
        timezone.localdate(created).isocalendar()[1]
        for created in history.values_list("created_at", flat=True)
    }
    assert len(weeks) >= 12
    statuses = set(history.values_list("status", flat=True))
    assert {Lead.Status.PLACED, Lead.Status.CLOSED, Lead.Status.CONTACTED} <= statuses
    assert not history.filter(status=Lead.Status.UNASSIGNED).exists()

    figures = dashboard_for(days=90)
    assert figures.total > 100
    assert figures.sla_breaches > 0
    assert figures.median_to_first_contact is not None
    assert sum(1 for day in figures.per_day if day.count) > 60

    count = history.count()
    with django_capture_on_commit_callbacks(execute=False):
        assert lead_history.load() == f"0 leads of the last {lead_history.DAYS} days"
    assert history.count() == count
