"""Lead status transitions: enforced in one service, each one logged with who, when and why."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from careers.models import Lead, LeadEvent
from careers.services.pipeline import (
    ALLOWED_TRANSITIONS,
    ROUTE_LEAD_TASK,
    PipelineError,
    lead_manual_transitions,
    lead_transition,
)
from tests.factories import AdvisorFactory, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Lead.Status
NOW = datetime(2026, 6, 10, 14, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
def assigned_lead():
    return LeadFactory(status=Status.ASSIGNED, advisor=AdvisorFactory(), assigned_at=NOW)


def test_every_status_has_a_rule():
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)


def test_the_happy_path_to_placed_logs_each_step(assigned_lead):
    staff = UserFactory(is_staff=True)
    for to in (Status.CONTACTED, Status.INTERVIEWING, Status.PLACED):
        lead_transition(lead=assigned_lead, to=to, actor=staff, reason=f"{to}へ", now=NOW)
    assert assigned_lead.status == Status.PLACED
    events = list(assigned_lead.events.filter(kind=LeadEvent.Kind.STATUS_CHANGED))
    assert [(e.details["from"], e.details["to"]) for e in events] == [
        ("assigned", "contacted"),
        ("contacted", "interviewing"),
        ("interviewing", "placed"),
    ]
    assert all(e.actor == staff for e in events)
    assert events[0].details["reason"] == "contactedへ"
    assert events[0].created_at is not None


def test_first_contact_time_is_set_once(assigned_lead):
    """The later steps of the pipeline never move the first-contact time."""
    lead_transition(lead=assigned_lead, to=Status.CONTACTED, now=NOW)
    lead_transition(lead=assigned_lead, to=Status.INTERVIEWING, now=NOW + timedelta(days=1))
    lead_transition(lead=assigned_lead, to=Status.PLACED, now=NOW + timedelta(days=9))
    assigned_lead.refresh_from_db()
    assert assigned_lead.status == Status.PLACED
    assert assigned_lead.first_contacted_at == NOW


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.NEW, Status.CONTACTED),
        (Status.ASSIGNED, Status.PLACED),
        (Status.ASSIGNED, Status.INTERVIEWING),
        (Status.CONTACTED, Status.ASSIGNED),
        (Status.PLACED, Status.CONTACTED),
        (Status.CLOSED, Status.CONTACTED),
        (Status.SPAM, Status.CONTACTED),
        (Status.UNASSIGNED, Status.CONTACTED),
    ],
)
def test_refused_transitions_change_nothing(start, to):
    lead = LeadFactory(status=start)
    with pytest.raises(PipelineError):
        lead_transition(lead=lead, to=to, reason="", now=NOW)
    lead.refresh_from_db()
    assert lead.status == start
    assert not lead.events.exists()


def test_assignment_is_not_a_manual_transition():
    lead = LeadFactory()
    with pytest.raises(PipelineError, match="振り分け"):
        lead_transition(lead=lead, to=Status.ASSIGNED, reason="", now=NOW)
    with pytest.raises(PipelineError):
        lead_transition(lead=lead, to=Status.UNASSIGNED, reason="", now=NOW)


def test_closing_needs_a_reason_and_records_it(assigned_lead):
    with pytest.raises(PipelineError, match="クローズ理由"):
        lead_transition(lead=assigned_lead, to=Status.CLOSED, reason="", now=NOW)
    lead_transition(
        lead=assigned_lead,
        to=Status.CLOSED,
        reason="他社で決定",
        close_reason=Lead.CloseReason.WITHDRAWN,
        now=NOW,
    )
    assert assigned_lead.status == Status.CLOSED
    assert assigned_lead.close_reason == Lead.CloseReason.WITHDRAWN
    event = assigned_lead.events.get()
    assert event.details["close_reason"] == "withdrawn"


def test_the_check_reads_the_database_not_a_stale_object(assigned_lead):
    stale = Lead.objects.get(id=assigned_lead.id)
    lead_transition(lead=assigned_lead, to=Status.CONTACTED, now=NOW)
    lead_transition(lead=stale, to=Status.INTERVIEWING, now=NOW)
    assert stale.status == Status.INTERVIEWING


def test_a_spam_false_positive_goes_back_to_new_and_is_routed(
    django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = AdvisorFactory()
    lead = LeadFactory(status=Status.SPAM)
    with django_capture_on_commit_callbacks(execute=True):
        lead_transition(lead=lead, to=Status.NEW, reason="スパムではない", now=NOW)
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (lead.id,))]
    doorbell_rings.run()
    lead.refresh_from_db()
    assert lead.status == Status.ASSIGNED
    assert lead.advisor == advisor


def test_closing_a_lead_frees_a_seat_for_a_waiting_one(
    django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = AdvisorFactory(capacity=1)
    busy = LeadFactory(status=Status.CONTACTED, advisor=advisor)
    waiting = LeadFactory(status=Status.UNASSIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        lead_transition(
            lead=busy, to=Status.CLOSED, close_reason=Lead.CloseReason.LOST, reason="", now=NOW
        )
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (waiting.id,))]
    doorbell_rings.run()
    waiting.refresh_from_db()
    assert waiting.advisor == advisor


def test_the_admin_offers_only_manual_transitions(assigned_lead):
    assert lead_manual_transitions(lead=assigned_lead) == [
        Status.CONTACTED,
        Status.CLOSED,
        Status.SPAM,
    ]
