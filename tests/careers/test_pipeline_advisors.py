"""Advisor services (careers/services/pipeline/advisors.py) as the admin's form calls them."""

import pytest

from careers.models import Advisor, Lead, Team
from careers.services.pipeline import (
    ROUTE_LEAD_TASK,
    PipelineError,
    advisor_create,
    advisor_update,
)
from tests.factories import AdvisorFactory, LeadFactory

pytestmark = pytest.mark.django_db


def test_a_new_advisor_takes_the_leads_that_were_waiting_for_their_team(
    django_capture_on_commit_callbacks, doorbell_rings
):
    waiting = LeadFactory(interest="ai", status=Lead.Status.UNASSIGNED)
    advisor = Advisor(
        name="新人 花子", email="hanako@example.com", team=Team.CAREER, specialty="ai", capacity=3
    )
    with django_capture_on_commit_callbacks(execute=True):
        advisor_create(advisor=advisor)
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (waiting.id,))]
    doorbell_rings.run()
    waiting.refresh_from_db()
    assert waiting.status == Lead.Status.ASSIGNED
    assert waiting.advisor == advisor


def test_a_new_sales_advisor_leaves_the_candidates_waiting(
    django_capture_on_commit_callbacks, doorbell_rings
):
    """Leads flow only to their own team: a candidate never goes to corporate sales."""
    waiting = LeadFactory(interest="ai", status=Lead.Status.UNASSIGNED)
    advisor = Advisor(
        name="営業 一郎", email="sales@example.com", team=Team.SALES, specialty="ai", capacity=3
    )
    with django_capture_on_commit_callbacks(execute=True):
        advisor_create(advisor=advisor)
    doorbell_rings.run()
    waiting.refresh_from_db()
    assert waiting.status == Lead.Status.UNASSIGNED


def test_an_edit_saves_only_the_changed_fields(django_capture_on_commit_callbacks):
    """A stale instance cannot overwrite what someone else changed meanwhile."""
    advisor = AdvisorFactory(name="旧姓 花子", capacity=2)
    Advisor.objects.filter(id=advisor.id).update(is_accepting=False)  # another manager paused
    advisor.name = "新姓 花子"
    with django_capture_on_commit_callbacks(execute=True):
        advisor_update(advisor=advisor, changed=["name"])
    advisor.refresh_from_db()
    assert advisor.name == "新姓 花子"
    assert advisor.is_accepting is False


def test_raising_the_capacity_in_an_edit_lets_waiting_leads_flow(
    django_capture_on_commit_callbacks, doorbell_rings
):
    advisor = AdvisorFactory(capacity=1)
    LeadFactory(advisor=advisor, status=Lead.Status.CONTACTED)
    waiting = LeadFactory(status=Lead.Status.UNASSIGNED)
    advisor.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        advisor_update(advisor=advisor, changed=["capacity"])
    assert doorbell_rings.pending == [(ROUTE_LEAD_TASK, (waiting.id,))]
    doorbell_rings.run()
    waiting.refresh_from_db()
    assert waiting.advisor == advisor


def test_a_capacity_below_one_is_refused_in_japanese():
    advisor = AdvisorFactory(capacity=2)
    advisor.capacity = 0
    with pytest.raises(PipelineError, match="担当上限は1以上"):
        advisor_update(advisor=advisor, changed=["capacity"])
    advisor.refresh_from_db()
    assert advisor.capacity == 2
