"""Replay: what a draft rule set would have done with real history. Pure, writes nothing.

The leads of a period go through `decide_by_rules` in submission order twice, once
under the published rule set and once under the draft, each with its own simulated
state: open-lead counts start from the leads held when the period began, grow with
every simulated assignment and shrink when a lead closes at its recorded time. So a
draft that overloads someone shows it in the peak load, as it would have in reality.
"""

import heapq
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from careers.routing import RULE_LABELS, AdvisorFacts, Decision, LeadFacts
from careers.routing_rules import RuleSetFacts, decide_by_rules, shadowed_by


@dataclass(frozen=True)
class ReplayLead:
    facts: LeadFacts
    reference: str
    submitted_at: datetime
    local_submitted_at: datetime
    # When the real lead left the open statuses (placed, closed); None while still open.
    closes_at: datetime | None = None


class StateChange(NamedTuple):
    """An advisor's capacity and availability as recorded at a moment."""

    at: datetime
    advisor_id: int
    capacity: int
    is_active: bool
    is_accepting: bool


@dataclass(frozen=True)
class History:
    """The period to replay, as plain data read by careers/rule_selectors.py."""

    leads: tuple[ReplayLead, ...]
    # Advisors as they stood when the period began (open_leads: leads held then).
    advisors: tuple[AdvisorFacts, ...]
    # When each lead held at the start closes: (advisor id, closes at).
    held_closing: tuple[tuple[int, datetime], ...] = ()
    # Absences by advisor: inclusive (first day, last day) in JST.
    absences: Mapping[int, tuple[tuple[date, date], ...]] = field(default_factory=dict)
    # Assignment times before the period, for the rolling per-period caps.
    earlier_assignments: Mapping[int, tuple[datetime, ...]] = field(default_factory=dict)
    # Recorded changes of an advisor's state in the period, in time order: each applies
    # from its time on.
    state_changes: tuple[StateChange, ...] = ()


@dataclass
class Run:
    """One pass over the history under one rule set."""

    decisions: list[Decision] = field(default_factory=list)
    assigned: Counter = field(default_factory=Counter)
    peak: Counter = field(default_factory=Counter)


def _absent_days(history: History) -> dict[int, frozenset[date]]:
    days = {}
    for advisor_id, spans in history.absences.items():
        days[advisor_id] = frozenset(
            first + timedelta(days=offset)
            for first, last in spans
            for offset in range((last - first).days + 1)
        )
    return days


def simulate(history: History, ruleset: RuleSetFacts | None) -> Run:
    """Decide every lead in order; open leads, last assignments and caps evolve as in reality,
    and so do the advisors' capacity, active and accepting, as far as they were recorded.

    An advisor's facts are rebuilt only when something about them changed (an assignment,
    a close, a new day, their count in the cap window), which keeps 10,000 leads fast.
    """
    run = Run()
    base = {advisor.id: advisor for advisor in history.advisors}
    facts = dict(base)
    open_leads = {advisor.id: advisor.open_leads for advisor in history.advisors}
    last_assigned = {advisor.id: advisor.last_assigned_at for advisor in history.advisors}
    assignments = {
        advisor_id: sorted(history.earlier_assignments.get(advisor_id, ())) for advisor_id in base
    }
    recent = dict.fromkeys(base, 0)
    absent_days = _absent_days(history)
    closing = [(closes_at, advisor_id) for advisor_id, closes_at in history.held_closing]
    heapq.heapify(closing)
    cap_days = ruleset.cap_period_days if ruleset and ruleset.cap_per_period else None
    simulated_holder: dict[int, int | None] = {}
    run.peak.update(open_leads)
    day = None
    dirty = set(base)
    changes = iter(history.state_changes)
    change = next(changes, None)
    for lead in history.leads:
        while change is not None and change.at <= lead.submitted_at:
            if change.advisor_id in base:
                base[change.advisor_id] = replace(
                    base[change.advisor_id],
                    capacity=change.capacity,
                    is_active=change.is_active,
                    is_accepting=change.is_accepting,
                )
                dirty.add(change.advisor_id)
            change = next(changes, None)
        while closing and closing[0][0] <= lead.submitted_at:
            _, advisor_id = heapq.heappop(closing)
            open_leads[advisor_id] -= 1
            dirty.add(advisor_id)
        if lead.local_submitted_at.date() != day:
            day = lead.local_submitted_at.date()
            dirty.update(base)
        if cap_days:
            since = lead.submitted_at - timedelta(days=cap_days)
            for advisor_id, times in assignments.items():
                count = len(times) - bisect_left(times, since)
                if count != recent[advisor_id]:
                    recent[advisor_id] = count
                    dirty.add(advisor_id)
        for advisor_id in dirty:
            facts[advisor_id] = replace(
                base[advisor_id],
                open_leads=open_leads[advisor_id],
                last_assigned_at=last_assigned[advisor_id],
                is_absent=day in absent_days.get(advisor_id, ()),
                recent_assignments=recent[advisor_id],
            )
        dirty.clear()
        lead_facts = lead.facts
        if lead_facts.duplicate_of_id in simulated_holder:
            # Continuity follows the earlier lead's holder in this simulation, not in reality.
            lead_facts = replace(
                lead_facts, continuity_advisor_id=simulated_holder[lead_facts.duplicate_of_id]
            )
        decision = decide_by_rules(
            lead=lead_facts,
            advisors=list(facts.values()),
            ruleset=ruleset,
            local_now=lead.local_submitted_at,
        )
        run.decisions.append(decision)
        simulated_holder[lead_facts.id] = decision.advisor_id
        chosen = decision.advisor_id
        if chosen is not None:
            dirty.add(chosen)
            open_leads[chosen] += 1
            run.peak[chosen] = max(run.peak[chosen], open_leads[chosen])
            run.assigned[chosen] += 1
            last_assigned[chosen] = lead.submitted_at
            assignments[chosen].append(lead.submitted_at)
            if lead.closes_at is not None:
                heapq.heappush(closing, (lead.closes_at, chosen))
    return run


def _decided_by(decision: Decision) -> str:
    if decision.matched_rule:
        return decision.matched_rule["name"]
    return RULE_LABELS[decision.rule]


def replay(*, history: History, published: RuleSetFacts | None, draft: RuleSetFacts) -> dict:
    """Compare the draft with the published set (None: the built-in policy) over `history`.

    Returns plain data for the admin page and `routing_replay --json`: per advisor the
    leads and peak load under each; the leads that change hands with the draft rule that
    decided; the leads no draft rule matches; rules that never match or are shadowed.
    """
    before = simulate(history, published)
    after = simulate(history, draft)
    names = {advisor.id: advisor.name for advisor in history.advisors}
    advisors = [
        {
            "id": advisor.id,
            "name": advisor.name,
            "capacity": advisor.capacity,
            "published": before.assigned[advisor.id],
            "draft": after.assigned[advisor.id],
            "published_peak": before.peak[advisor.id],
            "draft_peak": after.peak[advisor.id],
        }
        for advisor in sorted(history.advisors, key=lambda advisor: advisor.id)
    ]
    changes = []
    unmatched = []
    matched = Counter()
    for lead, old, new in zip(history.leads, before.decisions, after.decisions, strict=True):
        hits = [rule.id for rule in draft.rules if rule.matches(lead.facts.attributes)]
        matched.update(hits)
        row = {
            "lead_id": lead.facts.id,
            "reference": lead.reference,
            "submitted_at": lead.submitted_at.isoformat(),
            "published_advisor": names.get(old.advisor_id),
            "draft_advisor": names.get(new.advisor_id),
            "published_rule": _decided_by(old),
            "draft_rule": _decided_by(new),
        }
        if old.advisor_id != new.advisor_id:
            changes.append(row)
        if not hits:
            unmatched.append(row)
    return {
        "ruleset": draft.as_record(),
        "published": published.as_record() if published else None,
        "leads": len(history.leads),
        "advisors": advisors,
        "changes": changes,
        "unmatched": unmatched,
        "waiting": {
            "published": sum(d.advisor_id is None for d in before.decisions),
            "draft": sum(d.advisor_id is None for d in after.decisions),
        },
        "never_matched": [rule.name for rule in draft.rules if not matched[rule.id]],
        "shadowed": [
            {"rule": later.name, "by": earlier.name} for later, earlier in shadowed_by(draft.rules)
        ],
    }
