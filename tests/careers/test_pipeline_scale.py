"""At scale: a routing decision and the lead list cost the same after a year of leads as on
the first day."""

import json
from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import Lead, Team
from careers.roles import MANAGER_GROUP
from careers.selectors import advisors_with_load
from careers.services.pipeline import lead_route_dry_run
from tests.factories import AdvisorFactory, LeadFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 6, 10, 11, 0, tzinfo=TOKYO)


def _closed_leads(advisors, count):
    """A year's worth of finished leads, in one statement."""
    Lead.objects.bulk_create(
        LeadFactory.build(
            reference=f"C{number:08d}",
            email=f"closed-{number}@example.com",
            status=Lead.Status.CLOSED,
            close_reason=Lead.CloseReason.LOST,
            advisor=advisors[number % len(advisors)],
            assigned_at=NOW - timedelta(days=number % 365),
        )
        for number in range(count)
    )


def _decision_queries(lead):
    with CaptureQueriesContext(connection) as queries:
        decision = lead_route_dry_run(lead=lead, now=NOW)
    return len(queries), decision


def test_a_routing_decision_runs_the_same_statements_after_many_finished_leads():
    advisors = [AdvisorFactory(specialty="both") for _ in range(3)]
    lead = LeadFactory(interest="ai")
    _decision_queries(lead)  # the first one also fills process-wide caches
    few, first = _decision_queries(lead)

    _closed_leads(advisors, 300)
    many, second = _decision_queries(lead)

    assert many == few
    assert second.advisor_id == first.advisor_id


def _plan_nodes(plan):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _plan_nodes(child)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_advisor_load_reads_only_open_and_recent_leads_through_indexes():
    """Every read of the lead table goes through an index that holds only what is counted
    (open leads; an advisor's assignments by time), never through all of an advisor's leads:
    the cost follows the open and recent leads, not every lead ever received."""
    advisors = [AdvisorFactory(specialty="both") for _ in range(3)]
    _closed_leads(advisors, 300)
    queryset = advisors_with_load(
        team=Team.CAREER, on=NOW.date(), assigned_since=NOW - timedelta(days=7)
    )
    with connection.cursor() as cursor:
        # A table this small is cheaper to scan; we ask what PostgreSQL can do at scale.
        cursor.execute(f"ANALYZE {Lead._meta.db_table}")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    lead_reads = [
        node
        for node in _plan_nodes(plan[0]["Plan"])
        if node.get("Relation Name") == Lead._meta.db_table
        or node.get("Index Name", "").startswith(Lead._meta.db_table)
    ]

    assert all(
        "Index" in node["Node Type"] or "Bitmap Heap" in node["Node Type"] for node in lead_reads
    )
    indexes = {node["Index Name"] for node in lead_reads if "Index Name" in node}
    assert indexes == {"careers_lead_open_by_advisor", "careers_lead_advisor_assigned"}, indexes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the estimate is PostgreSQL's")
def test_a_huge_lead_list_shows_an_estimated_count_without_counting_every_row(
    client, monkeypatch, staff_roles
):
    """Past the threshold the list's count is the planner's estimate: no COUNT(*) reads
    every lead on each page, and the list still shows its newest leads first."""
    monkeypatch.setattr("core.pagination.ESTIMATE_ABOVE", 20)
    manager = UserFactory(is_staff=True)
    manager.groups.add(Group.objects.get(name=MANAGER_GROUP))
    client.force_login(manager)
    _closed_leads([AdvisorFactory()], 60)
    newest = LeadFactory(name="最新 花子")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Lead._meta.db_table}")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:careers_lead_changelist"))

    assert response.status_code == HTTPStatus.OK
    assert newest.name in response.content.decode()
    counts = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT COUNT(*)") and Lead._meta.db_table in query["sql"]
    ]
    assert counts == []
