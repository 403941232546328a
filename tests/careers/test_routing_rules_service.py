"""Routing through the published rule set: the service reads it under the pool lock."""

import pytest

from careers.models import Condition, LeadEvent, Rule, RuleMember, RuleSet, Team
from careers.routing import Exclusion
from careers.services.pipeline import lead_route
from careers.services.rulesets import ruleset_draft_create, ruleset_publish
from tests.factories import AdvisorFactory, LeadFactory

pytestmark = pytest.mark.django_db

SENIOR_RULE = "Web3 で転職時期が3ヶ月以内 → シニアチーム"


@pytest.fixture
def published():
    return RuleSet.objects.get(team=Team.CAREER, status=RuleSet.Status.PUBLISHED)


def route(lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return lead_route(lead_id=lead.id)


def test_a_published_rule_sends_matching_leads_to_its_pool_and_the_record_says_so(
    published, django_capture_on_commit_callbacks
):
    AdvisorFactory(name="佐藤", specialty="web3")
    senior = AdvisorFactory(name="シニア 高橋", specialty="both")
    draft = ruleset_draft_create(source=published)
    rule = Rule.objects.create(ruleset=draft, position=1, name=SENIOR_RULE)
    Condition.objects.create(rule=rule, fact="interest", operator="is", value="web3")
    Condition.objects.create(rule=rule, fact="timing", operator="is_one_of", value="now,3_months")
    RuleMember.objects.create(rule=rule, advisor=senior)
    ruleset_publish(ruleset=draft)

    hurry = route(LeadFactory(interest="web3", timing="now"), django_capture_on_commit_callbacks)
    assert hurry.advisor_id == senior.id
    record = LeadEvent.objects.get(kind=LeadEvent.Kind.ROUTED, lead__advisor=senior).details
    assert record["decision"]["ruleset"]["version"] == 2
    assert record["decision"]["matched_rule"]["name"] == SENIOR_RULE

    browsing = route(
        LeadFactory(interest="web3", timing="exploring"), django_capture_on_commit_callbacks
    )
    assert browsing.matched_rule["name"] == "専門領域が合うアドバイザーに負荷分散"
    assert browsing.ruleset["version"] == 2


def test_the_period_cap_holds_in_the_service(published, django_capture_on_commit_callbacks):
    only = AdvisorFactory(specialty="ai", capacity=10)
    # The migrated "both" rule needs a "both" advisor to publish; this one takes no leads.
    AdvisorFactory(specialty="both", is_accepting=False)
    draft = ruleset_draft_create(source=published)
    draft.cap_per_period = 2
    draft.save()
    ruleset_publish(ruleset=draft)
    decisions = [
        route(LeadFactory(interest="ai"), django_capture_on_commit_callbacks) for _ in range(3)
    ]
    assert [d.advisor_id for d in decisions] == [only.id, only.id, None]
    assert decisions[2].candidates[0].excluded == Exclusion.PERIOD_CAP
    assert "期間上限到達 1名" in decisions[2].why


def test_without_a_published_rule_set_the_built_in_policy_routes(
    published, django_capture_on_commit_callbacks
):
    RuleSet.objects.all().delete()
    advisor = AdvisorFactory(specialty="ai")
    decision = route(LeadFactory(interest="ai"), django_capture_on_commit_callbacks)
    assert decision.advisor_id == advisor.id
    assert decision.ruleset is None
    assert decision.rule == "specialty"
