"""The replay as a pure function: a draft against the published set over a lead history."""

from datetime import timedelta

from careers.routing import AdvisorFacts
from careers.routing_replay import History, StateChange, replay, simulate
from careers.routing_rules import IS, IS_ONE_OF, PRIORITY, ConditionFacts, RuleFacts, RuleSetFacts
from tests.careers.replay_data import START, generated_history, replay_lead

SENIOR = 3


def team():
    return (
        AdvisorFacts(id=1, name="佐藤", specialty="web3", capacity=10, open_leads=0),
        AdvisorFacts(id=2, name="鈴木", specialty="both", capacity=10, open_leads=0),
        AdvisorFacts(id=SENIOR, name="シニア 高橋", specialty="both", capacity=2, open_leads=0),
    )


def web3_soon_to_senior(*more_rules):
    rule = RuleFacts(
        id=11,
        position=1,
        name="Web3 で転職時期が3ヶ月以内 → シニアチーム",
        conditions=(
            ConditionFacts("interest", IS, frozenset({"web3"})),
            ConditionFacts("timing", IS_ONE_OF, frozenset({"now", "3_months"})),
        ),
        advisor_ids=(SENIOR,),
    )
    return RuleSetFacts(id=9, version=None, name="下書き", rules=(rule, *more_rules))


def hours(n):
    return START + timedelta(hours=n)


def test_the_same_history_and_rule_sets_always_give_the_same_report():
    history = generated_history(leads=400, advisors=8, seed=7)
    draft = web3_soon_to_senior()
    first = replay(history=history, published=None, draft=draft)
    again = replay(
        history=generated_history(leads=400, advisors=8, seed=7), published=None, draft=draft
    )
    assert first == again
    assert first["leads"] == 400


def test_the_change_table_lists_leads_that_would_go_to_someone_else_and_the_deciding_rule():
    history = History(
        leads=(
            replay_lead(1, hours(1), "web3", timing="now"),
            replay_lead(2, hours(2), "web3", timing="exploring"),
            replay_lead(3, hours(3), "ai", timing="now"),
        ),
        advisors=team(),
    )
    report = replay(history=history, published=None, draft=web3_soon_to_senior())
    changed = {row["reference"]: row for row in report["changes"]}
    # The draft has no rule for the other two, and its default makes them wait.
    assert set(changed) == {"PW-00001", "PW-00002", "PW-00003"}
    assert changed["PW-00002"]["draft_advisor"] is None
    assert changed["PW-00002"]["draft_rule"] == "ルールに一致せず待機"
    assert changed["PW-00001"]["draft_advisor"] == "シニア 高橋"
    assert changed["PW-00001"]["draft_rule"] == "Web3 で転職時期が3ヶ月以内 → シニアチーム"
    assert changed["PW-00001"]["published_advisor"] == "佐藤"
    # Leads no draft rule matches are listed (they wait: the draft's default).
    assert [row["reference"] for row in report["unmatched"]] == ["PW-00002", "PW-00003"]
    assert report["waiting"] == {"published": 0, "draft": 2}
    by_name = {row["name"]: row for row in report["advisors"]}
    assert (by_name["シニア 高橋"]["published"], by_name["シニア 高橋"]["draft"]) == (1, 1)


def test_simulated_load_frees_a_seat_when_a_lead_closes_at_its_recorded_time():
    """The senior holds two seats: the third lead finds room only because the first closed."""
    draft = RuleSetFacts(
        id=9,
        version=None,
        name="下書き",
        rules=(
            RuleFacts(id=1, position=1, name="シニア優先", method=PRIORITY, advisor_ids=(SENIOR,)),
        ),
    )
    leads = (
        replay_lead(1, hours(1), closes_at=hours(5)),
        replay_lead(2, hours(2)),
        replay_lead(3, hours(3)),
        replay_lead(4, hours(6)),
    )
    run = simulate(History(leads=leads, advisors=team()), draft)
    assert [d.advisor_id for d in run.decisions] == [SENIOR, SENIOR, None, SENIOR]
    assert run.peak[SENIOR] == 2


def test_leads_held_when_the_period_begins_count_until_they_close():
    history = History(
        leads=(replay_lead(1, hours(1)), replay_lead(2, hours(10))),
        advisors=tuple(
            a if a.id != SENIOR else AdvisorFacts(**{**a.__dict__, "open_leads": 2}) for a in team()
        ),
        held_closing=((SENIOR, hours(8)),),
    )
    draft = web3_soon_to_senior()
    rule = draft.rules[0]
    everyone = RuleSetFacts(
        id=9, version=None, name="x", rules=(RuleFacts(**{**rule.__dict__, "conditions": ()}),)
    )
    run = simulate(history, everyone)
    assert [d.advisor_id for d in run.decisions] == [None, SENIOR]


def test_caps_count_earlier_assignments_in_the_rolling_period():
    capped = RuleSetFacts(
        id=9,
        version=None,
        name="上限",
        rules=(RuleFacts(id=1, position=1, name="全員", advisor_ids=(1,)),),
        cap_per_period=2,
        cap_period_days=7,
    )
    history = History(
        leads=(replay_lead(1, hours(1)), replay_lead(2, hours(2)), replay_lead(3, hours(24 * 8))),
        advisors=team(),
        earlier_assignments={1: (START - timedelta(days=6),)},
    )
    run = simulate(history, capped)
    # One earlier and one new make two: the second waits; a week later the window has moved on.
    assert [d.advisor_id for d in run.decisions] == [1, None, 1]


def test_rules_that_never_match_and_shadowed_rules_are_reported():
    history = History(leads=(replay_lead(1, hours(1), "ai", timing="now"),), advisors=team())
    web3 = RuleFacts(
        id=12,
        position=2,
        name="Web3 全般",
        conditions=(ConditionFacts("interest", IS, frozenset({"web3"})),),
    )
    draft = RuleSetFacts(id=9, version=None, name="x", rules=(web3, *web3_soon_to_senior().rules))
    report = replay(history=history, published=None, draft=draft)
    assert report["never_matched"] == ["Web3 全般", "Web3 で転職時期が3ヶ月以内 → シニアチーム"]
    assert report["shadowed"] == [
        {"rule": "Web3 で転職時期が3ヶ月以内 → シニアチーム", "by": "Web3 全般"}
    ]


def test_advisors_follow_their_recorded_state_through_the_period():
    """Advisor 1 was deactivated after the first lead and back before the third."""
    history = History(
        leads=(
            replay_lead(1, hours(1), "web3"),
            replay_lead(2, hours(3), "web3"),
            replay_lead(3, hours(5), "web3"),
        ),
        advisors=(
            AdvisorFacts(id=1, name="佐藤", specialty="web3", capacity=10, open_leads=0),
            AdvisorFacts(id=2, name="鈴木", specialty="web3", capacity=10, open_leads=5),
        ),
        state_changes=(
            StateChange(hours(2), 1, 10, False, True),
            StateChange(hours(4), 1, 10, True, True),
        ),
    )
    assert [d.advisor_id for d in simulate(history, None).decisions] == [1, 2, 1]


def test_a_capacity_recorded_lower_at_the_time_binds_the_replay():
    history = History(
        leads=(replay_lead(1, hours(1), "web3"), replay_lead(2, hours(3), "web3")),
        advisors=(AdvisorFacts(id=1, name="佐藤", specialty="web3", capacity=10, open_leads=0),),
        state_changes=(StateChange(hours(2), 1, 1, True, True),),
    )
    assert [d.advisor_id for d in simulate(history, None).decisions] == [1, None]
