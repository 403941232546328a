"""Routing service: assignment, decision records, the unassigned path, reassignment, sweep."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from careers.models import Lead, LeadEvent
from careers.roles import MANAGER_GROUP
from careers.services.pipeline import (
    ROUTE_LEAD_TASK,
    PipelineError,
    advisor_absence_create,
    advisor_capacity_set,
    advisor_deactivate,
    advisor_pause,
    advisor_resume,
    lead_reassign,
    lead_route,
    lead_route_dry_run,
    lead_transition,
    routing_sweep,
)
from outbox.models import Email
from outbox.services import SEND_TASK
from tests.factories import AdvisorFactory, LeadFactory, UserFactory, email_as_sent

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
# A Wednesday at 11:00 JST, no holiday near.
NOW = datetime(2026, 6, 10, 11, 0, tzinfo=TOKYO)


@pytest.fixture
def manager():
    user = UserFactory(username="manager", email="manager@example.com", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    return user


def route(lead, now=NOW):
    decision = lead_route(lead_id=lead.id, now=now)
    lead.refresh_from_db()
    return decision


def test_a_lead_goes_to_a_matching_advisor_with_deadline_event_and_email(
    django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = AdvisorFactory(specialty="web3", email="web3@example.com")
    ai_only = AdvisorFactory(specialty="ai")
    lead = LeadFactory(interest="web3", message="<script>alert(1)</script> & よろしく")
    with django_capture_on_commit_callbacks(execute=True):
        decision = route(lead)
    assert doorbell_rings.run() == [SEND_TASK]

    assert decision.advisor_id == advisor.id
    assert lead.status == Lead.Status.ASSIGNED
    assert lead.advisor == advisor
    assert lead.assigned_at == NOW
    # Wednesday 11:00 + one business day = Thursday 11:00.
    assert lead.first_contact_due_at == datetime(2026, 6, 11, 11, 0, tzinfo=TOKYO)
    advisor.refresh_from_db()
    assert advisor.last_assigned_at == NOW

    event = lead.events.get(kind=LeadEvent.Kind.ROUTED)
    assert event.actor is None
    assert event.details["from"] == "new"
    assert event.details["to"] == "assigned"
    assert event.details["decision"]["chosen"]["id"] == advisor.id
    assert {c["id"] for c in event.details["decision"]["candidates"]} == {
        advisor.id,
        ai_only.id,
    }

    [email] = [m for m in mail.outbox if m.to == ["web3@example.com"]]
    assert lead.reference in email.subject
    assert "6月11日" in email.body
    assert "11:00" in email.body
    assert f"/admin/careers/lead/{lead.id}/change/" in email.body
    assert "<script>alert(1)</script> & よろしく" in email.body
    html = email.alternatives[0].content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; よろしく" in html
    assert "<script>" not in html


def test_routing_renders_no_email_under_the_pool_lock_and_the_sent_one_says_it_all(mailoutbox):
    AdvisorFactory(name="佐藤 花子", email="sato@example.com", specialty="web3")
    lead = LeadFactory(interest="web3", timing="3_months", name="山田 太郎")
    route(lead)
    queued = Email.objects.get(kind="lead_assigned")
    # Only values are written with the assignment; the worker that sends it renders it.
    assert (queued.subject, queued.body_text) == ("", "")
    assert queued.context["lead"]["reference"] == lead.reference
    sent = email_as_sent(queued)
    assert sent.subject.endswith(f"{lead.reference} 山田 太郎様")
    for part in (sent.body_text, sent.body_html):
        assert "佐藤 花子 さん" in part
        assert "2026年6月11日(木) 11:00" in part  # the deadline, in Japan's time
        assert lead.get_timing_display() in part
        assert timezone.localtime(lead.created_at).strftime("%Y年%-m月%-d日 %H:%M") in part
    assert [message.subject for message in mailoutbox] == [sent.subject]


def test_routing_twice_changes_nothing():
    AdvisorFactory()
    lead = LeadFactory()
    route(lead)
    assert route(lead) is None
    assert lead.events.filter(kind=LeadEvent.Kind.ROUTED).count() == 1
    assert Email.objects.filter(kind="lead_assigned").count() == 1


def test_a_company_lead_goes_to_the_sales_team_only():
    AdvisorFactory(team="career", specialty="ai")
    sales = AdvisorFactory(team="sales", specialty="both")
    lead = LeadFactory(kind=Lead.Kind.COMPANY, interest="ai", company_name="株式会社テスト")
    assert route(lead).advisor_id == sales.id


def test_a_duplicate_goes_to_the_earlier_advisor():
    first, second = AdvisorFactory(), AdvisorFactory()
    original = LeadFactory()
    route(original)
    assert original.advisor == first
    duplicate = LeadFactory(duplicate_of=original, email=original.email)
    route(duplicate)
    assert duplicate.advisor == first
    assert duplicate.events.get(kind="routed").details["decision"]["rule"] == "continuity"
    assert second.leads.count() == 0


def test_nobody_eligible_parks_the_lead_alerts_managers_once_and_capacity_lets_it_flow(
    manager, django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = AdvisorFactory(capacity=1)
    LeadFactory(advisor=advisor, status=Lead.Status.CONTACTED)
    lead = LeadFactory()
    with django_capture_on_commit_callbacks(execute=True):
        decision = route(lead)
    assert doorbell_rings.run() == [SEND_TASK]
    assert decision.advisor_id is None
    assert lead.status == Lead.Status.UNASSIGNED
    event = lead.events.get(kind=LeadEvent.Kind.UNASSIGNED)
    assert event.details["decision"]["candidates"][0]["excluded"] == "at_capacity"

    # The sweep retries without writing anything or mailing again.
    later = NOW + timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert routing_sweep(now=later).routed == 0
        routing_sweep(now=later + timedelta(minutes=1))
    doorbell_rings.run()
    lead.refresh_from_db()
    assert lead.status == Lead.Status.UNASSIGNED
    assert lead.events.filter(kind=LeadEvent.Kind.UNASSIGNED).count() == 1
    manager_mail = [m for m in mail.outbox if m.to == ["manager@example.com"]]
    assert len(manager_mail) == 1
    assert lead.reference in manager_mail[0].subject

    # More capacity: the waiting lead is routed at once.
    with django_capture_on_commit_callbacks(execute=True):
        advisor_capacity_set(advisor=advisor, capacity=2)
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (lead.id,))]
    doorbell_rings.run()
    lead.refresh_from_db()
    assert lead.status == Lead.Status.ASSIGNED
    assert lead.advisor == advisor
    assert lead.events.filter(kind=LeadEvent.Kind.ROUTED).count() == 1


def test_without_managers_nobody_is_mailed_but_the_event_is_written():
    lead = LeadFactory()
    route(lead)
    assert lead.status == Lead.Status.UNASSIGNED
    assert not Email.objects.filter(kind="lead_unassigned").exists()
    assert lead.events.filter(kind=LeadEvent.Kind.UNASSIGNED).exists()


def test_the_sweep_routes_lost_new_leads_older_than_a_minute_only():
    AdvisorFactory()
    lost = LeadFactory()
    Lead.objects.filter(id=lost.id).update(created_at=NOW - timedelta(minutes=2))
    fresh = LeadFactory()
    Lead.objects.filter(id=fresh.id).update(created_at=NOW - timedelta(seconds=10))
    assert routing_sweep(now=NOW).routed == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == Lead.Status.ASSIGNED
    assert fresh.status == Lead.Status.NEW


def test_route_leads_command_runs_the_sweep_and_prints_a_count(capsys):
    AdvisorFactory()
    lead = LeadFactory()
    Lead.objects.filter(id=lead.id).update(status=Lead.Status.UNASSIGNED)
    call_command("route_leads")
    assert capsys.readouterr().out.splitlines()[0] == (
        "1 leads routed, 0 re-routed from away advisors."
    )
    lead.refresh_from_db()
    assert lead.status == Lead.Status.ASSIGNED


def test_dry_run_tells_who_would_get_it_without_writing():
    advisor = AdvisorFactory()
    lead = LeadFactory()
    decision = lead_route_dry_run(lead=lead, now=NOW)
    assert decision.advisor_id == advisor.id
    lead.refresh_from_db()
    assert lead.status == Lead.Status.NEW
    assert not lead.events.exists()


def test_reassign_by_policy_excludes_the_current_advisor(
    django_capture_on_commit_callbacks, doorbell_rings
):
    first, second = AdvisorFactory(), AdvisorFactory(email="second@example.com")
    staff = UserFactory(is_staff=True)
    lead = LeadFactory()
    route(lead)
    assert lead.advisor == first
    with django_capture_on_commit_callbacks(execute=True):
        decision = lead_reassign(lead=lead, actor=staff, reason="担当者の希望", now=NOW)
    assert doorbell_rings.run() == [SEND_TASK]
    assert decision.advisor_id == second.id
    assert lead.advisor == second
    event = lead.events.get(kind=LeadEvent.Kind.REASSIGNED)
    assert event.actor == staff
    assert event.details["previous_advisor"]["id"] == first.id
    assert event.details["reason"] == "担当者の希望"
    assert any(m.to == ["second@example.com"] for m in mail.outbox)


def test_reassign_to_a_chosen_advisor_keeps_a_contacted_status():
    first, second, third = AdvisorFactory(), AdvisorFactory(), AdvisorFactory()
    lead = LeadFactory()
    route(lead)
    lead_transition(lead=lead, to=Lead.Status.CONTACTED, reason="電話済み", now=NOW)
    # Someone other than the rules' suggestion: a manual choice, logged as one.
    suggested = lead_route_dry_run(lead=lead, now=NOW).advisor_id
    chosen = third if suggested == second.id else second
    decision = lead_reassign(lead=lead, advisor=chosen, reason="引き継ぎ", now=NOW)
    assert decision.rule == "manual"
    assert lead.advisor == chosen
    assert lead.status == Lead.Status.CONTACTED
    assert first.leads.count() == 0


def test_reassign_refuses_a_full_or_inactive_advisor_or_nobody_else():
    first = AdvisorFactory()
    full = AdvisorFactory(capacity=1)
    LeadFactory(advisor=full, status=Lead.Status.ASSIGNED)
    inactive = AdvisorFactory(is_active=False)
    lead = LeadFactory()
    route(lead)
    assert lead.advisor == first
    with pytest.raises(PipelineError, match="上限"):
        lead_reassign(lead=lead, advisor=full, reason="", now=NOW)
    with pytest.raises(PipelineError, match="無効"):
        lead_reassign(lead=lead, advisor=inactive, reason="", now=NOW)
    with pytest.raises(PipelineError, match="条件を満たす"):
        lead_reassign(lead=lead, reason="", now=NOW)
    lead.refresh_from_db()
    assert lead.advisor == first


def test_pausing_stops_new_leads_and_resuming_lets_waiting_leads_flow(
    django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = AdvisorFactory()
    kept = LeadFactory()
    route(kept)
    advisor_pause(advisor=advisor)
    waiting = LeadFactory()
    route(waiting)
    assert waiting.status == Lead.Status.UNASSIGNED
    kept.refresh_from_db()
    assert kept.advisor == advisor  # a pause keeps what the advisor already has
    with django_capture_on_commit_callbacks(execute=True):
        advisor_resume(advisor=advisor)
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (waiting.id,))]
    doorbell_rings.run()
    waiting.refresh_from_db()
    assert waiting.advisor == advisor


def test_deactivating_reroutes_uncontacted_leads_keeps_contacted_ones_and_tells_managers(
    manager, django_capture_on_commit_callbacks, doorbell_rings
):
    leaving = AdvisorFactory(name="退職 予定")
    uncontacted, contacted = LeadFactory(), LeadFactory()
    route(uncontacted)
    route(contacted)
    lead_transition(lead=contacted, to=Lead.Status.CONTACTED, reason="", now=NOW)
    other = AdvisorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        release = advisor_deactivate(advisor=leaving, reason="退職のため", now=NOW)
    doorbell_rings.run()
    uncontacted.refresh_from_db()
    contacted.refresh_from_db()
    assert uncontacted.advisor == other
    assert contacted.advisor == leaving
    assert [lead.id for lead, _ in release.moved] == [uncontacted.id]
    event = uncontacted.events.get(kind=LeadEvent.Kind.REASSIGNED)
    assert "退職のため" in event.details["reason"]
    [summary] = [m for m in mail.outbox if "振り替え" in m.subject]
    assert summary.to == ["manager@example.com"]
    assert uncontacted.reference in summary.body
    assert contacted.reference in summary.body


def test_an_absence_starting_today_reroutes_and_one_starting_later_waits_for_the_sweep():
    away_today, away_tomorrow = AdvisorFactory(), AdvisorFactory()
    waiting_today, waiting_tomorrow = LeadFactory(), LeadFactory()
    route(waiting_today)
    route(waiting_tomorrow)
    assert {waiting_today.advisor, waiting_tomorrow.advisor} == {away_today, away_tomorrow}
    if waiting_today.advisor != away_today:
        waiting_today, waiting_tomorrow = waiting_tomorrow, waiting_today
    stays = AdvisorFactory(capacity=10)

    advisor_absence_create(
        advisor=away_today,
        starts_on=NOW.date(),
        ends_on=NOW.date() + timedelta(days=1),
        now=NOW,
    )
    advisor_absence_create(
        advisor=away_tomorrow,
        starts_on=NOW.date() + timedelta(days=1),
        ends_on=NOW.date() + timedelta(days=5),
        now=NOW,
    )
    waiting_today.refresh_from_db()
    waiting_tomorrow.refresh_from_db()
    assert (waiting_today.advisor, waiting_today.assigned_at) == (stays, NOW)
    assert waiting_tomorrow.advisor == away_tomorrow

    next_day = NOW + timedelta(days=1)
    assert routing_sweep(now=next_day).released == 1
    waiting_tomorrow.refresh_from_db()
    assert waiting_tomorrow.advisor == stays
    assert waiting_tomorrow.assigned_at == next_day


def test_an_advisor_going_away_with_nobody_else_leaves_the_lead_waiting(manager):
    away = AdvisorFactory()
    lead = LeadFactory()
    route(lead)
    advisor_absence_create(advisor=away, starts_on=NOW.date(), ends_on=NOW.date(), now=NOW)
    lead.refresh_from_db()
    assert lead.status == Lead.Status.UNASSIGNED
    assert lead.advisor is None
    assert Email.objects.filter(kind="lead_unassigned", lead=lead).count() == 1
