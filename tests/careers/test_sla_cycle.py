"""The first-contact promise with a controllable clock: reminder, breach, re-route, digest."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from careers.models import Lead, LeadEvent
from careers.roles import MANAGER_GROUP
from careers.services.pipeline import lead_route, lead_transition
from careers.services.sla import advisor_digests_send, sla_check
from outbox.services import SEND_TASK
from tests.factories import AdvisorFactory, LeadFactory, UserFactory
from tests.support.concurrency import run_at_once
from tests.support.services import require_postgresql

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def jst(*args):
    return datetime(*args, tzinfo=TOKYO)


# Wednesday 10 June 2026, 11:00: due Thursday 11:00, reminder Wednesday 18:00.
ASSIGNED = jst(2026, 6, 10, 11, 0)


@pytest.fixture
def manager():
    user = UserFactory(username="boss", email="boss@example.com", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    return user


@pytest.fixture
def run(django_capture_on_commit_callbacks, doorbell_rings):
    """Run an SLA pass at a given time, then the work it queued (its emails, a re-route);
    return (result, new emails)."""

    def run_at(now):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = sla_check(now=now)
        doorbell_rings.run()
        return result, mail.outbox[before:]

    return run_at


@pytest.fixture
def routed_lead(django_capture_on_commit_callbacks, doorbell_rings):
    first = AdvisorFactory(name="佐藤", email="sato@example.com")
    AdvisorFactory(name="鈴木", email="suzuki@example.com")
    lead = LeadFactory(name="候補 花子")
    with django_capture_on_commit_callbacks(execute=True):
        lead_route(lead_id=lead.id, now=ASSIGNED)
    assert doorbell_rings.run() == [SEND_TASK]
    lead.refresh_from_db()
    assert lead.advisor == first
    assert lead.first_contact_due_at == jst(2026, 6, 11, 11, 0)
    return lead


def test_a_full_sla_cycle_reminder_breach_then_reroute(manager, routed_lead, run):
    lead = routed_lead
    first = lead.advisor

    result, sent = run(jst(2026, 6, 10, 15, 0))
    assert (result.reminded, result.breached, sent) == (0, 0, [])

    # Two business hours before Thursday 11:00 is Wednesday 18:00.
    result, sent = run(jst(2026, 6, 10, 18, 5))
    assert result.reminded == 1
    [reminder] = sent
    assert reminder.to == ["sato@example.com"]
    assert "期限が近づいています" in reminder.subject
    assert "6月11日" in reminder.body
    assert run(jst(2026, 6, 10, 18, 30))[1] == []  # reminded once

    # The deadline passes: the managers hear about it, the lead stays.
    result, sent = run(jst(2026, 6, 11, 11, 1))
    assert result.breached == 1
    [alert] = sent
    assert alert.to == ["boss@example.com"]
    assert "期限超過" in alert.subject
    assert "1回目" in alert.subject
    lead.refresh_from_db()
    assert lead.advisor == first
    assert lead.sla_breach_count == 1
    assert run(jst(2026, 6, 11, 16, 0))[1] == []  # one alert per breach

    # One more business day without a call: the second breach re-routes to someone else.
    result, sent = run(jst(2026, 6, 12, 11, 1))
    assert result.rerouted == 1
    lead.refresh_from_db()
    assert lead.advisor.name == "鈴木"
    assert lead.status == Lead.Status.ASSIGNED
    assert lead.sla_breach_count == 0  # the new advisor's promise starts afresh
    # Friday 11:01 + one business day = Monday 11:01.
    assert lead.first_contact_due_at == jst(2026, 6, 15, 11, 1)
    event = lead.events.get(kind=LeadEvent.Kind.REASSIGNED)
    assert "2回超過" in event.details["reason"]
    assert event.details["previous_advisor"]["id"] == first.id
    assert {m.to[0] for m in sent} == {"boss@example.com", "suzuki@example.com"}
    alert = next(m for m in sent if m.to == ["boss@example.com"])
    assert "鈴木 に担当を変更しました" in alert.body

    kinds = list(lead.events.values_list("kind", flat=True))
    assert kinds.count(LeadEvent.Kind.SLA_REMINDER) == 1
    assert kinds.count(LeadEvent.Kind.SLA_BREACHED) == 2


def test_a_contacted_lead_is_left_alone(routed_lead, run):
    lead_transition(lead=routed_lead, to=Lead.Status.CONTACTED, now=jst(2026, 6, 10, 16, 0))
    result, sent = run(jst(2026, 6, 20, 12, 0))
    assert (result.reminded, result.breached, sent) == (0, 0, [])


def test_with_nobody_else_the_second_breach_keeps_the_advisor_and_says_so(manager, run):
    advisor = AdvisorFactory(email="only@example.com")
    lead = LeadFactory()
    lead_route(lead_id=lead.id, now=ASSIGNED)
    run(jst(2026, 6, 11, 11, 1))
    result, sent = run(jst(2026, 6, 12, 11, 1))
    assert result.rerouted == 0
    lead.refresh_from_db()
    assert lead.advisor == advisor
    assert lead.sla_breach_count == 2
    [alert] = sent
    assert "担当は変わっていません" in alert.body


def test_the_morning_digest_lists_new_overdue_and_waiting_leads(
    routed_lead, django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = routed_lead.advisor
    overdue = LeadFactory(
        status=Lead.Status.ASSIGNED,
        advisor=advisor,
        assigned_at=jst(2026, 6, 8, 11, 0),
        first_contact_due_at=jst(2026, 6, 9, 11, 0),
    )
    waiting = LeadFactory(status=Lead.Status.UNASSIGNED, interest="both")
    LeadFactory(status=Lead.Status.UNASSIGNED, interest="web3")  # not this advisor's field

    with django_capture_on_commit_callbacks(execute=True):
        queued = advisor_digests_send(now=jst(2026, 6, 11, 9, 0))
    assert queued == 2  # both advisors see the waiting lead
    assert doorbell_rings.run() == [SEND_TASK, SEND_TASK]
    [digest] = [
        m for m in mail.outbox if "本日の担当リード" in m.subject and m.to == [advisor.email]
    ]
    overdue_part, rest = digest.body.split("初回連絡待ちのリード")
    new_part, waiting_part = rest.split("担当者を待っているリード")
    assert overdue.reference in overdue_part
    assert routed_lead.reference in new_part
    assert waiting.reference in waiting_part
    assert waiting_part.count("PW-") == 1

    # Sent once a day, and not on a Saturday.
    with django_capture_on_commit_callbacks(execute=True):
        advisor_digests_send(now=jst(2026, 6, 11, 9, 0))
        assert advisor_digests_send(now=jst(2026, 6, 13, 9, 0)) == 0
    assert doorbell_rings.pending == []
    assert len([m for m in mail.outbox if "本日の担当リード" in m.subject]) == 2


@pytest.mark.django_db(transaction=True)
def test_sla_checks_racing_on_four_hosts_remind_and_breach_each_lead_exactly_once(
    manager, doorbell_rings
):
    """Four beat hosts run the same check at the same moment on PostgreSQL: each reminder
    and each breach is recorded, and emailed, once."""
    require_postgresql()
    AdvisorFactory(capacity=100)
    leads = [LeadFactory() for _ in range(40)]
    for lead in leads:
        lead_route(lead_id=lead.id, now=ASSIGNED)
    once_each = {lead.id: 1 for lead in leads}

    for moment, kind, counted in (
        (jst(2026, 6, 10, 18, 5), LeadEvent.Kind.SLA_REMINDER, "reminded"),
        (jst(2026, 6, 11, 11, 1), LeadEvent.Kind.SLA_BREACHED, "breached"),
    ):
        results = run_at_once(lambda moment=moment: sla_check(now=moment), times=4)

        events = LeadEvent.objects.filter(kind=kind).values_list("lead_id", flat=True)
        assert Counter(events) == once_each, kind
        assert sum(getattr(result, counted) for result in results) == len(leads)
    doorbell_rings.run()
    assert len([m for m in mail.outbox if "期限が近づいています" in m.subject]) == len(leads)
    assert len([m for m in mail.outbox if m.to == ["boss@example.com"]]) == len(leads)
