"""The replay's history read from the database: advisors as the decision records saw them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from careers.models import Lead, LeadEvent, Team
from careers.replay_selectors import replay_history
from careers.routing_replay import StateChange
from careers.services.pipeline import (
    advisor_capacity_set,
    advisor_pause,
    advisor_resume,
    lead_reassign,
    lead_route,
)
from tests.factories import AdvisorFactory, LeadFactory

pytestmark = pytest.mark.django_db


def routed_at(at, django_capture_on_commit_callbacks) -> Lead:
    """Route a fresh lead, then date its decision record `at`."""
    lead = LeadFactory(interest="web3")
    with django_capture_on_commit_callbacks(execute=False):
        lead_route(lead_id=lead.id)
    LeadEvent.objects.filter(lead=lead).update(created_at=at)
    return lead


def test_capacity_and_availability_are_those_the_decisions_recorded(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    since = now - timedelta(days=30)
    sato = AdvisorFactory(name="佐藤", specialty="web3", capacity=3)
    suzuki = AdvisorFactory(name="鈴木", specialty="web3", capacity=10)
    # Before the period: 佐藤 could hold three leads.
    routed_at(since - timedelta(days=1), django_capture_on_commit_callbacks)
    # In the period: 鈴木 was paused for a while, and a manager moved a lead by hand.
    advisor_pause(advisor=suzuki)
    moved = routed_at(since + timedelta(days=2), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        lead_reassign(lead=moved, advisor=suzuki, reason="手動")
    LeadEvent.objects.filter(lead=moved, kind=LeadEvent.Kind.REASSIGNED).update(
        created_at=since + timedelta(days=3)
    )
    advisor_resume(advisor=suzuki)
    # Today 佐藤 holds ten.
    advisor_capacity_set(advisor=sato, capacity=10)

    history = replay_history(team=Team.CAREER, since=since, until=now, cap_days=7)

    start = {advisor.id: advisor for advisor in history.advisors}
    assert (start[sato.id].capacity, start[sato.id].is_active) == (3, True)
    assert start[suzuki.id].is_accepting is True
    # The manual move records nothing about anyone's availability.
    assert history.state_changes == (
        StateChange(since + timedelta(days=2), suzuki.id, 10, True, False),
    )


def test_without_any_record_advisors_start_as_they_are_today():
    now = timezone.now()
    AdvisorFactory(name="佐藤", is_accepting=False, capacity=4)
    history = replay_history(
        team=Team.CAREER, since=now - timedelta(days=30), until=now, cap_days=7
    )
    (advisor,) = history.advisors
    assert (advisor.capacity, advisor.is_accepting) == (4, False)
    assert history.state_changes == ()
