"""The routing policy choosing among the advisors free at a slot: pure data in, a decision out."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from careers.booking.policy import booking_allowed_ids, decide_booking
from careers.routing import AdvisorFacts, Exclusion, LeadFacts, Rule, decide
from careers.routing_rules import PRIORITY, ConditionFacts, RuleFacts, RuleSetFacts


def advisor(id, *, free=True, open_leads=0, last=None, **fields):
    return AdvisorFacts(
        id=id,
        name=f"A{id}",
        specialty=fields.pop("specialty", "ai"),
        capacity=fields.pop("capacity", 10),
        open_leads=open_leads,
        is_free=free,
        last_assigned_at=last,
        **fields,
    )


def test_the_leads_own_advisor_keeps_it_when_free_at_that_time():
    decision = decide(
        lead=LeadFacts(interest="ai", current_advisor_id=2),
        advisors=[advisor(1), advisor(2, open_leads=9)],
    )
    assert (decision.advisor_id, decision.rule) == (2, Rule.CURRENT_ADVISOR)


def test_when_the_own_advisor_is_busy_the_fairest_free_advisor_takes_it():
    decision = decide(
        lead=LeadFacts(interest="ai", current_advisor_id=1),
        advisors=[
            advisor(1, free=False),
            advisor(2, open_leads=3),
            advisor(3, open_leads=1),
            advisor(4, free=False),
        ],
    )
    assert (decision.advisor_id, decision.rule) == (3, Rule.SPECIALTY)
    record = decision.as_record()
    assert {c["id"]: c["excluded"] for c in record["candidates"]} == {
        1: Exclusion.BUSY,
        2: None,
        3: None,
        4: Exclusion.BUSY,
    }
    assert "負荷が最も低い A3" in record["why"]


def test_equal_load_goes_to_whoever_waited_longest_among_the_free():
    earlier = datetime(2026, 11, 1, tzinfo=UTC)
    later = datetime(2026, 11, 20, tzinfo=UTC)
    decision = decide(
        lead=LeadFacts(interest="ai"),
        advisors=[advisor(1, last=later), advisor(2, last=earlier), advisor(3, free=False)],
    )
    assert decision.advisor_id == 2


def test_busy_is_checked_after_absence_and_nobody_free_means_nobody():
    decision = decide(
        lead=LeadFacts(interest="ai"),
        advisors=[advisor(1, free=False), advisor(2, free=False, is_absent=True)],
    )
    assert decision.advisor_id is None
    assert [c.excluded for c in decision.candidates] == [Exclusion.BUSY, Exclusion.ABSENT]
    assert "その時間は対応不可 1名" in decision.why


def test_a_free_advisor_outside_the_specialty_is_still_not_eligible():
    decision = decide(
        lead=LeadFacts(interest="web3", current_advisor_id=1),
        advisors=[advisor(1, specialty="ai"), advisor(2, specialty="web3")],
    )
    assert decision.advisor_id == 2


JST = ZoneInfo("Asia/Tokyo")
NOON = datetime(2026, 12, 1, 12, tzinfo=JST)
SENIOR = RuleFacts(
    id=7,
    position=1,
    name="シニア",
    conditions=(ConditionFacts("interest", "is", frozenset({"web3"})),),
    method=PRIORITY,
    advisor_ids=(3, 2),
)
RULES = RuleSetFacts(
    id=1, version=4, name="v4", rules=(SENIOR, RuleFacts(id=8, position=2, name="全員"))
)


def web3_advisor(id, **fields):
    return advisor(id, specialty="web3", **fields)


def web3_lead(**facts):
    return LeadFacts(interest="web3", attributes={"interest": frozenset({"web3"})}, **facts)


def booked(lead, advisors):
    return decide_booking(lead=lead, advisors=advisors, ruleset=RULES, local_now=NOON)


def test_only_the_rules_pool_is_allowed_whatever_the_calendars_say():
    advisors = [web3_advisor(1), web3_advisor(2, free=False), web3_advisor(3, free=False)]
    allowed = booking_allowed_ids(
        lead=web3_lead(), advisors=advisors, ruleset=RULES, local_now=NOON
    )
    assert allowed == {2, 3}


def test_with_the_rules_pool_busy_a_free_advisor_outside_it_does_not_take_the_lead():
    decision = booked(
        web3_lead(), [web3_advisor(1), web3_advisor(2, free=False), web3_advisor(3, free=False)]
    )
    assert decision.advisor_id is None
    assert [c.excluded for c in decision.candidates] == [
        Exclusion.OUTSIDE_RULE,
        Exclusion.BUSY,
        Exclusion.BUSY,
    ]


def test_the_rules_method_picks_among_its_free_advisors_in_its_order():
    decision = booked(web3_lead(), [web3_advisor(1), web3_advisor(2), web3_advisor(3)])
    assert (decision.advisor_id, decision.rule) == (3, Rule.RULESET_RULE)
    assert decision.matched_rule == {"id": 7, "position": 1, "name": "シニア"}
    decision = booked(web3_lead(), [web3_advisor(1), web3_advisor(2), web3_advisor(3, free=False)])
    assert decision.advisor_id == 2


def test_the_leads_own_advisor_outside_the_rule_still_meets_the_candidate_when_free():
    decision = booked(web3_lead(current_advisor_id=1), [web3_advisor(1), web3_advisor(3)])
    assert (decision.advisor_id, decision.rule) == (1, Rule.CURRENT_ADVISOR)
    decision = booked(
        web3_lead(current_advisor_id=1), [web3_advisor(1, free=False), web3_advisor(3)]
    )
    assert decision.advisor_id == 3
