"""Who may meet the candidate, and who does at the chosen time: the routing policy, pure.

Slots come only from advisors the routing policy allows for this lead now: the lead's own
advisor (or a repeat candidate's earlier one) when eligible, and the pool the team's
published rule set sends the lead to (careers/routing_rules.py:route_by_rules). Being
busy at a time never passes the lead on to another rule: a rule that sends a lead to a
team offers that team's times only. Availability is plain data (AdvisorFacts.is_free).
Rules and their members' days and hours are read at `local_now`, the moment of booking:
a booking can hand the lead over, and that is when an advisor takes it from the rule.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from careers.routing import AdvisorFacts, Decision, Exclusion, LeadFacts, decide, keeper, screen
from careers.routing_rules import (
    Route,
    RuleSetFacts,
    route_by_rules,
    route_decision,
    ruleset_decision,
)


def _allowed(
    *, lead: LeadFacts, advisors: Sequence[AdvisorFacts], ruleset: RuleSetFacts, local_now
) -> tuple[frozenset[int], Route, set[int]]:
    """(allowed ids, the route, the ids eligible at some time): calendars aside, since
    availability picks among the allowed and never widens them."""
    anytime = [replace(advisor, is_free=True) for advisor in advisors]
    _, eligible = screen(lead=lead, advisors=anytime, cap=ruleset.cap_per_period)
    eligible_ids = {advisor.id for advisor in eligible}
    keepers = {lead.current_advisor_id, lead.continuity_advisor_id} & eligible_ids
    route = route_by_rules(lead=lead, eligible=eligible, ruleset=ruleset, local_now=local_now)
    return frozenset(keepers | {advisor.id for advisor in route.pool}), route, eligible_ids


def booking_allowed_ids(
    *,
    lead: LeadFacts,
    advisors: Sequence[AdvisorFacts],
    ruleset: RuleSetFacts | None,
    local_now: datetime,
) -> frozenset[int]:
    """The advisors whose free times this lead may book (without a rule set: any eligible)."""
    if ruleset is None:
        _, eligible = screen(lead=lead, advisors=advisors)
        return frozenset(advisor.id for advisor in eligible)
    return _allowed(lead=lead, advisors=advisors, ruleset=ruleset, local_now=local_now)[0]


def decide_booking(
    *,
    lead: LeadFacts,
    advisors: Sequence[AdvisorFacts],
    ruleset: RuleSetFacts | None,
    local_now: datetime,
) -> Decision:
    """Who meets the candidate at a time; `advisors` say who is free then (is_free).

    1. Allowed: see booking_allowed_ids; the record marks the other eligible advisors
       振り分けルールの対象外.
    2. The lead's own advisor, then a repeat candidate's earlier one, if free.
    3. Otherwise the route's method (load balance, round robin, priority) among its free
       advisors: the same fairness routing uses.
    """
    if ruleset is None:
        return decide(lead=lead, advisors=advisors)
    allowed, route, eligible_ids = _allowed(
        lead=lead, advisors=advisors, ruleset=ruleset, local_now=local_now
    )
    candidates, free = screen(lead=lead, advisors=advisors, cap=ruleset.cap_per_period)
    # Outside the rule says more than busy: their times were never offered to this lead.
    candidates = tuple(
        candidate._replace(excluded=Exclusion.OUTSIDE_RULE)
        if candidate.advisor_id in eligible_ids and candidate.advisor_id not in allowed
        else candidate
        for candidate in candidates
    )
    free = [advisor for advisor in free if advisor.id in allowed]
    kept = keeper(lead=lead, eligible=free)
    if kept is not None:
        return ruleset_decision(lead, candidates, ruleset, *kept)
    free_ids = {advisor.id for advisor in free}
    pool = [advisor for advisor in route.pool if advisor.id in free_ids]
    return route_decision(lead, candidates, ruleset, route, pool)
