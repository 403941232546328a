"""The routing policy as a pure function: who gets a lead, and why."""

from datetime import UTC, datetime

import pytest

from careers.routing import AdvisorFacts, Exclusion, LeadFacts, Rule, decide


def advisor(advisor_id, specialty="ai", **facts):
    defaults = {"name": f"A{advisor_id}", "capacity": 10, "open_leads": 0}
    return AdvisorFacts(id=advisor_id, specialty=specialty, **{**defaults, **facts})


def at(hour):
    return datetime(2026, 4, 1, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("interest", "expected"),
    [("ai", {1, 3}), ("web3", {2, 3})],
)
def test_a_single_interest_goes_to_its_specialists_or_to_both(interest, expected):
    """ai takes ai|both and web3 takes web3|both; the others are never considered eligible."""
    advisors = [advisor(1, "ai"), advisor(2, "web3"), advisor(3, "both")]
    decision = decide(lead=LeadFacts(interest=interest), advisors=advisors)
    eligible = {c.advisor_id for c in decision.candidates if c.eligible}
    assert eligible == expected
    assert decision.advisor_id in expected
    assert decision.rule == Rule.SPECIALTY
    other = ({1, 2} - expected).pop()
    assert next(c for c in decision.candidates if c.advisor_id == other).excluded == (
        Exclusion.SPECIALTY
    )


def test_an_ai_lead_goes_to_a_both_advisor_when_that_one_is_least_loaded():
    advisors = [advisor(1, "ai", open_leads=3), advisor(3, "both", open_leads=1)]
    decision = decide(lead=LeadFacts(interest="ai"), advisors=advisors)
    assert decision.advisor_id == 3


def test_both_prefers_both_advisors_even_when_they_are_busier():
    advisors = [
        advisor(1, "ai", open_leads=0),
        advisor(2, "web3", open_leads=0),
        advisor(3, "both", open_leads=8),
    ]
    decision = decide(lead=LeadFacts(interest="both"), advisors=advisors)
    assert decision.advisor_id == 3
    assert decision.rule == Rule.BOTH_PREFERRED


def test_both_falls_back_to_ai_or_web3_advisors_when_no_both_advisor_has_room():
    advisors = [
        advisor(1, "ai", open_leads=4),
        advisor(2, "web3", open_leads=2),
        advisor(3, "both", open_leads=10),
    ]
    decision = decide(lead=LeadFacts(interest="both"), advisors=advisors)
    assert decision.advisor_id == 2
    assert decision.rule == Rule.BOTH_FALLBACK
    assert "空きがない" in decision.why


def test_continuity_keeps_a_duplicate_with_the_earlier_advisor_despite_a_higher_load():
    advisors = [advisor(1, open_leads=0), advisor(2, open_leads=7)]
    lead = LeadFacts(
        interest="ai",
        duplicate_of_id=41,
        duplicate_of_reference="PW-7K3M-9QXA",
        continuity_advisor_id=2,
    )
    decision = decide(lead=lead, advisors=advisors)
    assert decision.advisor_id == 2
    assert decision.rule == Rule.CONTINUITY
    # Staff know a lead by its reference; the primary key never reaches a page.
    assert "以前のリード(PW-7K3M-9QXA)" in decision.why
    assert "41" not in decision.why


@pytest.mark.parametrize(
    "unavailable",
    [
        {"is_active": False},
        {"is_accepting": False},
        {"is_absent": True},
        {"open_leads": 10},
        {"specialty": "web3"},
    ],
)
def test_continuity_gives_way_when_the_earlier_advisor_is_not_eligible(unavailable):
    advisors = [advisor(1), advisor(2, **unavailable)]
    lead = LeadFacts(interest="ai", duplicate_of_id=41, continuity_advisor_id=2)
    decision = decide(lead=lead, advisors=advisors)
    assert decision.advisor_id == 1
    assert decision.rule == Rule.SPECIALTY


def test_an_advisor_at_capacity_gets_nothing_more():
    advisors = [advisor(1, capacity=3, open_leads=3), advisor(2, capacity=30, open_leads=29)]
    decision = decide(lead=LeadFacts(interest="ai"), advisors=advisors)
    assert decision.advisor_id == 2
    assert decision.candidates[0].excluded == Exclusion.AT_CAPACITY


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"is_accepting": False}, Exclusion.PAUSED),
        ({"is_absent": True}, Exclusion.ABSENT),
        ({"is_active": False}, Exclusion.INACTIVE),
    ],
)
def test_paused_absent_and_inactive_advisors_are_skipped(facts, reason):
    advisors = [advisor(1, **facts), advisor(2, open_leads=9)]
    decision = decide(lead=LeadFacts(interest="ai"), advisors=advisors)
    assert decision.advisor_id == 2
    assert decision.candidates[0].excluded == reason


def test_the_lowest_load_ratio_wins_compared_exactly():
    """2/6 and 1/3 are the same load; 3/10 is lower than both."""
    advisors = [
        advisor(1, capacity=6, open_leads=2),
        advisor(2, capacity=3, open_leads=1),
        advisor(3, capacity=10, open_leads=3),
    ]
    assert decide(lead=LeadFacts(interest="ai"), advisors=advisors).advisor_id == 3


def test_a_load_tie_goes_to_the_longest_wait_and_never_assigned_counts_as_longest():
    advisors = [
        advisor(1, last_assigned_at=at(9)),
        advisor(2, last_assigned_at=at(8)),
        advisor(3, last_assigned_at=None),
    ]
    decision = decide(lead=LeadFacts(interest="ai"), advisors=advisors)
    assert decision.advisor_id == 3
    decision = decide(lead=LeadFacts(interest="ai"), advisors=advisors[:2])
    assert decision.advisor_id == 2
    assert "順番制" in decision.why


def test_a_full_tie_goes_to_the_lowest_id_whatever_the_input_order():
    advisors = [advisor(7), advisor(5), advisor(6)]
    decision = decide(lead=LeadFacts(interest="ai"), advisors=advisors)
    assert decision.advisor_id == 5
    assert "IDが最小" in decision.why


def test_equal_advisors_take_turns_round_robin():
    """Feeding the decisions back in, equal advisors are served in turn and stay level."""
    team = {i: advisor(i, capacity=5) for i in (1, 2, 3)}
    order = []
    for minute in range(9):
        chosen = decide(lead=LeadFacts(interest="ai"), advisors=list(team.values())).advisor_id
        order.append(chosen)
        current = team[chosen]
        team[chosen] = advisor(
            chosen,
            capacity=5,
            open_leads=current.open_leads + 1,
            last_assigned_at=datetime(2026, 4, 1, 9, minute, tzinfo=UTC),
        )
    assert order == [1, 2, 3] * 3


def test_nobody_eligible_is_a_decision_with_reasons():
    advisors = [
        advisor(1, is_accepting=False),
        advisor(2, open_leads=10),
        advisor(3, "web3"),
    ]
    decision = decide(lead=LeadFacts(interest="ai"), advisors=advisors)
    assert decision.advisor_id is None
    assert decision.rule == Rule.NOBODY_ELIGIBLE
    assert "受付停止中 1名" in decision.why
    assert "上限到達 1名" in decision.why
    assert "専門外 1名" in decision.why


def test_nobody_at_all_in_the_team():
    decision = decide(lead=LeadFacts(interest="web3"), advisors=[])
    assert decision.advisor_id is None
    assert decision.candidates == ()


def test_an_excluded_advisor_is_never_chosen():
    advisors = [advisor(1, open_leads=0), advisor(2, open_leads=5)]
    lead = LeadFacts(interest="ai", exclude_advisor_ids=frozenset({1}))
    assert decide(lead=lead, advisors=advisors).advisor_id == 2


def test_the_decision_record_answers_why_this_person():
    advisors = [advisor(1, open_leads=2), advisor(2, "web3")]
    record = decide(lead=LeadFacts(interest="ai"), advisors=advisors).as_record()
    assert record["rule"] == "specialty"
    assert record["chosen"]["id"] == 1
    assert record["why"]
    assert record["candidates"] == [
        {
            "id": 1,
            "name": "A1",
            "specialty": "ai",
            "open_leads": 2,
            "capacity": 10,
            "load": "2/10",
            "eligible": True,
            "excluded": None,
            "excluded_label": "",
        },
        {
            "id": 2,
            "name": "A2",
            "specialty": "web3",
            "open_leads": 0,
            "capacity": 10,
            "load": "0/10",
            "eligible": False,
            "excluded": "specialty",
            "excluded_label": "専門外",
        },
    ]
