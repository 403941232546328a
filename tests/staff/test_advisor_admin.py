"""The advisor admin: load at a glance, and availability changes that move leads by the rules."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.models import Advisor, AdvisorAbsence, Lead, LeadEvent
from careers.services.pipeline import ROUTE_LEAD_TASK
from tests.factories import AdvisorFactory, LeadFactory
from tests.staff.conftest import assigned_lead

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/advisor/"
# The consultation-hours inlines (面談予約) post their empty management forms too.
EMPTY_HOURS_INLINES = {
    f"{prefix}-{name}": value
    for prefix in ("weekly_hours", "hours_exceptions")
    for name, value in (
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "1000"),
    )
}


def _list(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode(), len(queries)


def test_list_shows_load_pause_and_current_absence_without_per_row_queries(client, manager):
    busy = AdvisorFactory(name="松本 アドバイザー", capacity=4)
    for _ in range(3):
        assigned_lead(busy)
    assigned_lead(busy, status=Lead.Status.CLOSED)  # closed leads take no seat
    today = timezone.localdate()
    AdvisorAbsence.objects.create(
        advisor=busy, starts_on=today, ends_on=today + timedelta(days=2), reason="夏季休暇"
    )
    AdvisorFactory(name="井上 アドバイザー", is_accepting=False)
    client.force_login(manager)
    _, few_queries = _list(client)

    for _ in range(15):
        assigned_lead(AdvisorFactory())
    html, many_queries = _list(client)

    assert many_queries == few_queries
    assert '<meter class="advisor-load" min="0" max="4"' in html
    assert 'value="3"' in html
    assert "受付停止中" in html
    assert f"{(today + timedelta(days=2)):%Y-%m-%d}まで(夏季休暇)" in html
    assert "style=" not in html.split('id="result_list"')[1].split("</table>")[0]


def test_pause_stops_new_leads_and_resume_lets_waiting_leads_flow(
    client, manager, django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = AdvisorFactory(specialty="ai")
    client.force_login(manager)
    client.post(LIST_URL, {"action": "pause", "_selected_action": [advisor.pk], "index": 0})
    advisor.refresh_from_db()
    assert advisor.is_accepting is False

    waiting = LeadFactory(interest="ai", status=Lead.Status.UNASSIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST_URL, {"action": "resume", "_selected_action": [advisor.pk], "index": 0})
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (waiting.id,))]
    doorbell_rings.run()

    advisor.refresh_from_db()
    waiting.refresh_from_db()
    assert advisor.is_accepting is True
    assert (waiting.status, waiting.advisor) == (Lead.Status.ASSIGNED, advisor)


def test_an_absence_added_inline_moves_uncontacted_leads_to_someone_else(
    client, manager, django_capture_on_commit_callbacks
):
    leaving = AdvisorFactory(name="休暇 アドバイザー", specialty="ai")
    staying = AdvisorFactory(name="在席 アドバイザー", specialty="ai")
    uncontacted = assigned_lead(leaving, interest="ai")
    contacted = assigned_lead(
        leaving, interest="ai", status=Lead.Status.CONTACTED, first_contacted_at=timezone.now()
    )
    today = timezone.localdate()
    client.force_login(manager)
    data = {
        "name": leaving.name,
        "email": leaving.email,
        "user": "",
        "specialty": "ai",
        "capacity": str(leaving.capacity),
        "absences-TOTAL_FORMS": "1",
        "absences-INITIAL_FORMS": "0",
        "absences-MIN_NUM_FORMS": "0",
        "absences-MAX_NUM_FORMS": "1000",
        **EMPTY_HOURS_INLINES,
        "absences-0-starts_on": today.isoformat(),
        "absences-0-ends_on": (today + timedelta(days=5)).isoformat(),
        "absences-0-reason": "育児休業",
        "_continue": "1",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{LIST_URL}{leaving.pk}/change/", data)

    assert response.status_code == HTTPStatus.FOUND
    assert AdvisorAbsence.objects.get(advisor=leaving).reason == "育児休業"
    uncontacted.refresh_from_db()
    contacted.refresh_from_db()
    assert uncontacted.advisor == staying
    assert contacted.advisor == leaving
    event = LeadEvent.objects.get(lead=uncontacted, kind=LeadEvent.Kind.REASSIGNED)
    assert event.actor == manager


def test_raising_capacity_goes_through_the_pipeline_and_lets_waiting_leads_flow(
    client, manager, django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = AdvisorFactory(specialty="web3", capacity=1)
    assigned_lead(advisor, interest="web3")
    waiting = LeadFactory(interest="web3", status=Lead.Status.UNASSIGNED)
    client.force_login(manager)
    data = {
        "name": advisor.name,
        "email": advisor.email,
        "user": "",
        "specialty": "web3",
        "capacity": "2",
        "absences-TOTAL_FORMS": "0",
        "absences-INITIAL_FORMS": "0",
        "absences-MIN_NUM_FORMS": "0",
        "absences-MAX_NUM_FORMS": "1000",
        **EMPTY_HOURS_INLINES,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{LIST_URL}{advisor.pk}/change/", data)
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (waiting.id,))]
    doorbell_rings.run()

    assert response.status_code == HTTPStatus.FOUND
    assert Advisor.objects.get(pk=advisor.pk).capacity == 2
    waiting.refresh_from_db()
    assert waiting.advisor == advisor


def test_advisors_and_editors_cannot_open_the_advisor_admin(client, advisor_a, editor):
    for user in (advisor_a.user, editor):
        client.force_login(user)
        assert client.get(LIST_URL).status_code == HTTPStatus.FORBIDDEN
