"""The dashboard's 業務委託案件: open projects, and applicants → contacted → 成約 per project."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone

from careers.dashboard import dashboard_for
from careers.models import Lead
from tests.factories import LeadFactory, ProjectFactory
from tests.staff.test_dashboard import URL, _dashboard_queries, lead_at

pytestmark = pytest.mark.django_db


def application(project, **kwargs):
    return LeadFactory(kind=Lead.Kind.FREELANCE, project=project, interest="ai", **kwargs)


@pytest.fixture
def projects_world():
    now = timezone.now()
    audit = ProjectFactory(title="スマートコントラクト監査")
    application(audit)
    application(audit, status=Lead.Status.CONTACTED, first_contacted_at=now)
    application(audit, status=Lead.Status.PLACED, first_contacted_at=now)
    application(audit, status=Lead.Status.SPAM)
    ProjectFactory(title="応募のまだない案件")
    filled = ProjectFactory(title="成約済みの案件", status="filled")
    application(filled, status=Lead.Status.PLACED, first_contacted_at=now)
    expired = ProjectFactory(title="締切を過ぎた案件", closes_at=now - timedelta(hours=1))
    application(expired)
    old = ProjectFactory(title="昔の案件", status="closed")
    lead_at(now - timedelta(days=60), kind=Lead.Kind.FREELANCE, project=old, interest="ai")
    ProjectFactory(title="下書きの案件", status="draft", opened_at=None)
    # A candidate's consultation is no project's applicant.
    LeadFactory(kind=Lead.Kind.CANDIDATE)


def test_open_projects_and_each_projects_funnel_are_true(projects_world):
    figures = dashboard_for().projects

    assert figures.open_count == 2
    assert [
        (row.title, row.state, row.applicants, row.contacted, row.placed) for row in figures.rows
    ] == [
        ("スマートコントラクト監査", "募集中", 3, 2, 1),
        ("成約済みの案件", "成約", 1, 1, 1),
        ("締切を過ぎた案件", "締切済み", 1, 0, 0),
        ("応募のまだない案件", "募集中", 0, 0, 0),
    ]


def test_the_page_shows_the_projects_to_managers(client, manager, projects_world):
    client.force_login(manager)

    response = client.get(URL)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'data-testid="kpi-open-projects">2<' in html
    assert "業務委託案件の応募(応募 → 連絡済み → 成約)" in html
    assert "スマートコントラクト監査" in html
    assert "昔の案件" not in html


def test_the_projects_cost_the_same_queries_for_many_projects_and_applicants(client, manager):
    client.force_login(manager)
    application(ProjectFactory())
    few = _dashboard_queries(client)

    for index in range(12):
        project = ProjectFactory()
        for _ in range(index % 4):
            application(project)
    many = _dashboard_queries(client)

    assert many == few
