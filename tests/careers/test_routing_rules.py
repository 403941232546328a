"""Routing by a managers' rule set, as a pure function: operators, methods, limits, default."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from careers.routing import AdvisorFacts, Exclusion, LeadFacts, Rule
from careers.routing_rules import (
    DEFAULT_ADVISOR,
    DEFAULT_POOL,
    DEFAULT_WAIT,
    IS,
    IS_EMPTY,
    IS_NOT,
    IS_ONE_OF,
    PRIORITY,
    ROUND_ROBIN,
    ConditionFacts,
    RuleFacts,
    RuleSetFacts,
    decide_by_rules,
    never_matches,
    shadowed_by,
)

JST = ZoneInfo("Asia/Tokyo")
# A Wednesday, 10:00 (the policy receives local JST time as plain data).
WEDNESDAY_10 = datetime(2026, 4, 1, 10, 0, tzinfo=JST)
VOCABULARY = {
    "interest": frozenset({"ai", "web3", "both"}),
    "timing": frozenset({"now", "3_months"}),
}


def advisor(advisor_id, specialty="web3", **facts):
    defaults = {"name": f"A{advisor_id}", "capacity": 10, "open_leads": 0}
    return AdvisorFacts(id=advisor_id, specialty=specialty, **{**defaults, **facts})


def lead(interest="web3", **attributes):
    values = {"interest": frozenset({interest})}
    values.update({fact: frozenset(v) for fact, v in attributes.items()})
    return LeadFacts(interest=interest, attributes=values)


def condition(fact, operator, *values):
    return ConditionFacts(fact=fact, operator=operator, values=frozenset(values))


def ruleset(*rules, **options):
    return RuleSetFacts(id=1, version=3, name="テスト", rules=rules, **options)


def senior_rule(*conditions, **options):
    return RuleFacts(id=7, position=1, name="シニア", conditions=conditions, **options)


def routed(lead_facts, advisors, rules, local_now=WEDNESDAY_10):
    return decide_by_rules(lead=lead_facts, advisors=advisors, ruleset=rules, local_now=local_now)


TEAM = [advisor(1), advisor(2), advisor(3)]


@pytest.mark.parametrize(
    ("operator", "values", "lead_timing", "matches"),
    [
        (IS, ("3_months",), {"3_months"}, True),
        (IS, ("3_months",), {"now"}, False),
        (IS_ONE_OF, ("now", "3_months"), {"now"}, True),
        (IS_ONE_OF, ("now", "3_months"), {"exploring"}, False),
        (IS_NOT, ("exploring",), {"now"}, True),
        (IS_NOT, ("exploring",), {"exploring"}, False),
        (IS_NOT, ("exploring",), set(), True),
        (IS_EMPTY, (), set(), True),
        (IS_EMPTY, (), {"now"}, False),
    ],
)
def test_each_operator_decides_whether_the_rule_takes_the_lead(
    operator, values, lead_timing, matches
):
    """A matching rule sends the lead to its pool (advisor 3); otherwise the default waits."""
    rules = ruleset(senior_rule(condition("timing", operator, *values), advisor_ids=(3,)))
    decision = routed(lead(timing=lead_timing), TEAM, rules)
    if matches:
        assert decision.advisor_id == 3
        assert decision.rule == Rule.RULESET_RULE
        assert decision.matched_rule == {"id": 7, "position": 1, "name": "シニア"}
        assert "シニア" in decision.why
    else:
        assert decision.advisor_id is None
        assert decision.rule == Rule.RULESET_WAIT
        assert decision.matched_rule is None


def test_conditions_of_a_rule_must_all_hold_and_rules_are_tried_in_order():
    web3_soon = senior_rule(
        condition("interest", IS, "web3"),
        condition("timing", IS_ONE_OF, "now", "3_months"),
        advisor_ids=(3,),
    )
    anyone = RuleFacts(id=8, position=2, name="その他", advisor_ids=(1,))
    rules = ruleset(web3_soon, anyone)
    assert routed(lead(timing={"now"}), TEAM, rules).advisor_id == 3
    assert routed(lead(timing={"exploring"}), TEAM, rules).advisor_id == 1
    ai_team = [advisor(1, "ai", open_leads=5), advisor(3, "both")]
    assert routed(lead("ai", timing={"now"}), ai_team, rules).advisor_id == 1


def test_every_decision_names_its_rule_set_version():
    decision = routed(lead(), TEAM, ruleset(senior_rule()))
    assert decision.as_record()["ruleset"] == {"id": 1, "version": 3, "name": "テスト"}
    assert decision.as_record()["matched_rule"]["name"] == "シニア"


def test_load_balance_takes_the_lowest_open_to_capacity_ratio():
    advisors = [
        advisor(1, open_leads=5),
        advisor(2, open_leads=2, capacity=4),
        advisor(3, open_leads=1),
    ]
    assert routed(lead(), advisors, ruleset(senior_rule())).advisor_id == 3


def test_round_robin_takes_whoever_waited_longest_whatever_their_load():
    advisors = [
        advisor(1, open_leads=0, last_assigned_at=datetime(2026, 4, 1, 9, tzinfo=UTC)),
        advisor(2, open_leads=8, last_assigned_at=datetime(2026, 3, 30, 9, tzinfo=UTC)),
        advisor(3, open_leads=0, last_assigned_at=datetime(2026, 3, 31, 9, tzinfo=UTC)),
    ]
    decision = routed(lead(), advisors, ruleset(senior_rule(method=ROUND_ROBIN)))
    assert decision.advisor_id == 2
    never = [*advisors, advisor(4, open_leads=9)]
    assert routed(lead(), never, ruleset(senior_rule(method=ROUND_ROBIN))).advisor_id == 4


def test_priority_takes_the_first_in_the_pool_order_with_room():
    advisors = [advisor(1), advisor(2, open_leads=10), advisor(3, open_leads=9)]
    rules = ruleset(senior_rule(method=PRIORITY, advisor_ids=(2, 3, 1)))
    decision = routed(lead(), advisors, rules)
    assert decision.advisor_id == 3
    assert "優先順" in decision.why


def test_a_rule_can_target_a_specialty_of_the_whole_team():
    advisors = [advisor(1, "web3"), advisor(2, "both", open_leads=5)]
    assert routed(lead(), advisors, ruleset(senior_rule(specialty="both"))).advisor_id == 2


def test_the_period_cap_excludes_an_advisor_on_top_of_capacity():
    advisors = [advisor(1, recent_assignments=20), advisor(2, open_leads=6, recent_assignments=19)]
    decision = routed(lead(), advisors, ruleset(senior_rule(), cap_per_period=20))
    assert decision.advisor_id == 2
    assert decision.candidates[0].excluded == Exclusion.PERIOD_CAP
    everyone_capped = [advisor(1, recent_assignments=20)]
    nobody = routed(lead(), everyone_capped, ruleset(senior_rule(), cap_per_period=20))
    assert nobody.advisor_id is None
    assert nobody.rule == Rule.NOBODY_ELIGIBLE
    assert "期間上限到達 1名" in nobody.why


def test_without_a_cap_recent_assignments_do_not_matter():
    advisors = [advisor(1, recent_assignments=500)]
    assert routed(lead(), advisors, ruleset(senior_rule())).advisor_id == 1


@pytest.mark.parametrize(
    ("local_now", "open_"),
    [
        (datetime(2026, 4, 1, 10, 0, tzinfo=JST), True),  # Wednesday 10:00
        (datetime(2026, 4, 1, 18, 0, tzinfo=JST), False),  # Wednesday, closing time
        (datetime(2026, 4, 4, 10, 0, tzinfo=JST), False),  # Saturday
    ],
)
def test_a_rule_takes_leads_only_on_its_days_and_hours(local_now, open_):
    weekday_hours = senior_rule(
        advisor_ids=(3,), weekdays=frozenset(range(5)), hours_start=time(9), hours_end=time(18)
    )
    fallback = RuleFacts(id=8, position=2, name="時間外", advisor_ids=(1,))
    decision = routed(lead(), TEAM, ruleset(weekday_hours, fallback), local_now=local_now)
    assert decision.advisor_id == (3 if open_ else 1)


@pytest.mark.parametrize(
    ("local_now", "expected"),
    [
        (datetime(2026, 4, 1, 10, 0, tzinfo=JST), 1),  # Wednesday 10:00: within their hours
        (datetime(2026, 4, 1, 15, 0, tzinfo=JST), 2),  # Wednesday afternoon
        (datetime(2026, 4, 3, 10, 0, tzinfo=JST), 2),  # Friday
    ],
)
def test_a_pool_member_takes_the_rules_leads_only_on_their_own_days_and_hours(local_now, expected):
    """Advisor 1 comes first in the priority order, but takes this rule's leads Mon–Wed 9–12."""
    rule = senior_rule(
        advisor_ids=(1, 2),
        method=PRIORITY,
        member_hours={1: (frozenset({0, 1, 2}), time(9), time(12))},
    )
    decision = routed(lead(), [advisor(1), advisor(2)], ruleset(rule), local_now=local_now)
    assert decision.advisor_id == expected


def test_when_every_member_is_off_the_rule_passes_the_lead_on_and_says_why():
    monday_only = senior_rule(advisor_ids=(3,), member_hours={3: (frozenset({0}), None, None)})
    fallback = RuleFacts(id=8, position=2, name="時間外", advisor_ids=(1,))
    decision = routed(lead(), TEAM, ruleset(monday_only, fallback))
    assert decision.advisor_id == 1
    assert "ルール「シニア」は対象者に空きがありません。" in decision.why


def test_a_rule_with_member_hours_shadows_nothing():
    """Its members may be off, so a later rule with the same conditions still gets leads."""
    limited = senior_rule(
        condition("interest", IS, "web3"), member_hours={3: (frozenset({0}), None, None)}
    )
    later = RuleFacts(id=8, position=2, name="後", conditions=(condition("interest", IS, "web3"),))
    assert shadowed_by([limited, later]) == []


def test_a_matching_rule_whose_pool_is_full_passes_the_lead_to_the_next_rule():
    advisors = [advisor(1), advisor(3, open_leads=10)]
    fallback = RuleFacts(id=8, position=2, name="全員", advisor_ids=())
    decision = routed(lead(), advisors, ruleset(senior_rule(advisor_ids=(3,)), fallback))
    assert decision.advisor_id == 1
    assert "ルール「シニア」は対象者に空きがありません。" in decision.why


def test_hard_constraints_hold_before_any_rule():
    """A rule naming a Web3 specialist never gives them an AI lead, nor someone absent."""
    advisors = [advisor(1, "web3"), advisor(2, "ai", is_absent=True), advisor(3, "ai")]
    rules = ruleset(senior_rule(advisor_ids=(1, 2)), default=DEFAULT_WAIT)
    assert routed(lead("ai"), advisors, rules).advisor_id is None


def test_continuity_wins_over_the_rules():
    previous = LeadFacts(
        interest="web3",
        duplicate_of_id=5,
        continuity_advisor_id=1,
        attributes={"interest": frozenset({"web3"})},
    )
    decision = routed(previous, TEAM, ruleset(senior_rule(advisor_ids=(3,))))
    assert decision.advisor_id == 1
    assert decision.rule == Rule.CONTINUITY
    assert decision.ruleset["version"] == 3


@pytest.mark.parametrize(
    ("default", "expected_advisor", "expected_rule"),
    [
        (DEFAULT_WAIT, None, Rule.RULESET_WAIT),
        (DEFAULT_POOL, 2, Rule.RULESET_DEFAULT),
        (DEFAULT_ADVISOR, 3, Rule.RULESET_DEFAULT),
    ],
)
def test_the_default_takes_leads_no_rule_matches(default, expected_advisor, expected_rule):
    advisors = [advisor(1, open_leads=4), advisor(2, open_leads=1), advisor(3, open_leads=6)]
    rules = ruleset(
        senior_rule(condition("interest", IS, "ai")), default=default, default_advisor_id=3
    )
    decision = routed(lead(), advisors, rules)
    assert decision.advisor_id == expected_advisor
    assert decision.rule == expected_rule
    assert decision.matched_rule is None


def test_a_named_default_advisor_without_room_leaves_the_lead_waiting():
    advisors = [advisor(1), advisor(3, open_leads=10)]
    rules = ruleset(default=DEFAULT_ADVISOR, default_advisor_id=3, labels={3: "部長"})
    decision = routed(lead(), advisors, rules)
    assert decision.advisor_id is None
    assert "部長" in decision.why


def test_without_a_rule_set_the_built_in_policy_decides():
    decision = routed(lead(), TEAM, None)
    assert decision.rule == Rule.SPECIALTY
    assert decision.ruleset is None


@pytest.mark.parametrize(
    ("conditions", "never"),
    [
        ((condition("interest", IS, "web3"), condition("interest", IS, "ai")), True),
        ((condition("interest", IS, "web3"), condition("interest", IS_NOT, "web3")), True),
        ((condition("interest", IS, "crypto"),), True),
        ((condition("utm_source", IS, "x"), condition("utm_source", IS_EMPTY)), True),
        ((condition("utm_source", IS_ONE_OF),), True),
        ((condition("utm_source", IS, "x"), condition("utm_source", IS, "y")), True),
        (
            (condition("article_category", IS, "ai"), condition("article_category", IS, "web3")),
            False,
        ),
        (
            (condition("interest", IS_ONE_OF, "web3", "ai"), condition("interest", IS_NOT, "ai")),
            False,
        ),
        ((condition("timing", IS_NOT, "now"), condition("timing", IS_NOT, "3_months")), False),
    ],
)
def test_a_rule_that_can_never_match_is_found(conditions, never):
    assert never_matches(senior_rule(*conditions), VOCABULARY) is never


def test_a_rule_behind_a_broader_earlier_rule_is_shadowed():
    broad = RuleFacts(
        id=1, position=1, name="Web3", conditions=(condition("interest", IS, "web3"),)
    )
    narrow = RuleFacts(
        id=2,
        position=2,
        name="Web3 すぐ",
        conditions=(condition("interest", IS, "web3"), condition("timing", IS, "now")),
    )
    assert shadowed_by([broad, narrow]) == [(narrow, broad)]
    assert shadowed_by([narrow, broad]) == []
    timed = RuleFacts(id=3, position=1, name="平日", weekdays=frozenset({0}))
    assert shadowed_by([timed, narrow]) == []
