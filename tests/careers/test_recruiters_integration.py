"""Company inquiries and candidate forms side by side, routed by a real Celery worker on real
Redis and PostgreSQL: each kind reaches only its own team, and every email goes once."""

from collections import Counter
from http import HTTPStatus

import pytest

from careers.models import Lead, LeadEvent, Team
from outbox.models import Email
from tests.factories import AdvisorFactory, company_inquiry_form_data, consultation_form_data
from tests.support.mail import mail_to, mailbox
from tests.support.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

INTERESTS = ("ai", "web3", "both")
PER_KIND = 6


@pytest.fixture
def teams():
    """Both teams cover every interest, with plenty of room: only the kind can keep them apart."""
    return {
        team: [
            AdvisorFactory(
                name=f"{team}-{specialty}",
                email=f"{team}-{specialty}@plusweb3.example",
                team=team,
                specialty=specialty,
                capacity=20,
            )
            for specialty in INTERESTS
        ]
        for team in (Team.CAREER, Team.SALES)
    }


def test_each_kind_reaches_only_its_own_team_through_a_real_worker(
    client, settings, teams, celery_worker_process
):
    settings.RATELIMIT_ENABLE = False
    for n in range(PER_KIND):
        interest = INTERESTS[n % 3]
        inquiry = company_inquiry_form_data(
            email=f"hr{n}@company.example", company_name=f"株式会社テスト{n}", interest=interest
        )
        candidate = consultation_form_data(email=f"person{n}@example.com", interest=interest)
        assert client.post("/recruiters/", inquiry).status_code == HTTPStatus.SEE_OTHER
        assert client.post("/consultation/", candidate).status_code == HTTPStatus.SEE_OTHER

    total = 2 * PER_KIND
    wait_for(
        lambda: Lead.objects.filter(status=Lead.Status.ASSIGNED).count() == total,
        timeout=90,
        message="the worker did not route every lead",
    )
    # Per lead: its confirmation and its advisor's assignment email.
    wait_for(
        lambda: Email.objects.filter(status=Email.Status.SENT).count() == 2 * total,
        timeout=90,
        message="the worker did not send every email",
    )

    leads = list(Lead.objects.select_related("advisor"))
    for lead in leads:
        expected = Team.SALES if lead.kind == Lead.Kind.COMPANY else Team.CAREER
        assert lead.advisor.team == expected, lead
    assert Counter(lead.kind for lead in leads) == {"company": PER_KIND, "candidate": PER_KIND}
    routed = Counter(
        LeadEvent.objects.filter(kind=LeadEvent.Kind.ROUTED).values_list("lead_id", flat=True)
    )
    assert sorted(routed) == sorted(lead.id for lead in leads)
    assert set(routed.values()) == {1}

    mail_dir = celery_worker_process.mail_dir
    # Sales advisors were told only of companies, career advisors only of candidates.
    for advisor in teams[Team.SALES]:
        subjects = [message["Subject"] for message in mail_to(mail_dir, advisor.email)]
        assert subjects, advisor
        assert all("採用企業からのお問い合わせの担当になりました" in s for s in subjects)
        assert len(subjects) == advisor.leads.count()
    for advisor in teams[Team.CAREER]:
        subjects = [message["Subject"] for message in mail_to(mail_dir, advisor.email)]
        assert subjects, advisor
        assert all("新しいご相談の担当になりました" in s for s in subjects)
        assert not any("株式会社テスト" in s for s in subjects)
        assert len(subjects) == advisor.leads.count()
    # One confirmation per person, in the words of their own form.
    for n in range(PER_KIND):
        [company_mail] = mail_to(mail_dir, f"hr{n}@company.example")
        assert "採用支援のお問い合わせを受け付けました" in company_mail["Subject"]
        [candidate_mail] = mail_to(mail_dir, f"person{n}@example.com")
        assert "無料キャリア相談のお申し込みを受け付けました" in candidate_mail["Subject"]
    assert len(mailbox(mail_dir)) == 2 * total
