"""Applications to projects next to consultations, routed by a real Celery worker on real
Redis and PostgreSQL: applicants reach only the freelance team, each confirmed once."""

from http import HTTPStatus

import pytest

from careers.models import Lead, Team
from outbox.models import Email
from tests.careers.test_routing_integration import mail_to
from tests.factories import (
    AdvisorFactory,
    ProjectFactory,
    consultation_form_data,
    freelance_application_form_data,
)
from tests.support.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PER_KIND = 4


def test_applications_reach_only_the_freelance_team_through_a_real_worker(
    client, settings, celery_worker_process
):
    settings.RATELIMIT_ENABLE = False
    freelance = [
        AdvisorFactory(
            name=f"業務委託{n}",
            email=f"freelance{n}@plusweb3.example",
            team=Team.FREELANCE,
            specialty="both",
            capacity=20,
        )
        for n in range(2)
    ]
    career = AdvisorFactory(
        name="キャリア",
        email="career@plusweb3.example",
        team=Team.CAREER,
        specialty="both",
        capacity=20,
    )
    project = ProjectFactory(slug="smart-contract-audit", title="監査支援の案件", field="web3")

    for n in range(PER_KIND):
        application = freelance_application_form_data(email=f"freelancer{n}@example.com")
        candidate = consultation_form_data(email=f"person{n}@example.com")
        url = "/projects/smart-contract-audit/apply/"
        assert client.post(url, application).status_code == HTTPStatus.SEE_OTHER
        assert client.post("/consultation/", candidate).status_code == HTTPStatus.SEE_OTHER

    total = 2 * PER_KIND
    wait_for(
        lambda: Lead.objects.filter(status=Lead.Status.ASSIGNED).count() == total,
        timeout=90,
        message="the worker did not route every lead",
    )
    wait_for(
        lambda: Email.objects.filter(status=Email.Status.SENT).count() == 2 * total,
        timeout=90,
        message="the worker did not send every email",
    )

    applications = Lead.objects.filter(kind=Lead.Kind.FREELANCE).select_related("advisor")
    assert applications.count() == PER_KIND
    for lead in applications:
        assert lead.project == project
        assert lead.advisor in freelance
    assert not career.leads.filter(kind=Lead.Kind.FREELANCE).exists()
    assert career.leads.count() == PER_KIND

    mail_dir = celery_worker_process.mail_dir
    for n in range(PER_KIND):
        [confirmation] = mail_to(mail_dir, f"freelancer{n}@example.com")
        assert "「監査支援の案件」へのご応募を受け付けました" in confirmation["Subject"]
