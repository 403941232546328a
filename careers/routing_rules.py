"""Routing by a rule set that managers edit: pure, plain data in, a decision out.

The rule set arrives as frozen dataclasses (careers/rule_selectors.py reads them), so
evaluating it, replaying history through it and checking it before publish never touch
the database. Conditions use a fixed list of operators over a fixed list of lead facts;
there is no expression language and nothing is evaluated as code.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from django.utils.translation import gettext as _

from careers.routing import (
    AdvisorFacts,
    Candidate,
    Decision,
    LeadFacts,
    Rule,
    decide,
    decision_of,
    fairness_key,
    keeper,
    screen,
    why_fairest,
    why_nobody,
)

IS = "is"
IS_ONE_OF = "is_one_of"
IS_NOT = "is_not"
IS_EMPTY = "is_empty"
OPERATORS = (IS, IS_ONE_OF, IS_NOT, IS_EMPTY)

LOAD_BALANCE = "load_balance"
ROUND_ROBIN = "round_robin"
PRIORITY = "priority"

DEFAULT_WAIT = "wait"
DEFAULT_POOL = "pool"
DEFAULT_ADVISOR = "advisor"
# Not a method managers pick: the route names one advisor (a named default).
NAMED = "named"

# Facts a lead can hold several values of at once (an article in two categories).
MULTI_VALUED_FACTS = frozenset({"article_category"})


@dataclass(frozen=True)
class ConditionFacts:
    fact: str
    operator: str
    values: frozenset[str] = frozenset()

    def holds(self, lead_values: frozenset[str]) -> bool:
        if self.operator == IS_EMPTY:
            return not lead_values
        if self.operator == IS_NOT:
            return not lead_values & self.values
        return bool(lead_values & self.values)


# (weekdays, start, end) in JST: Monday = 0; no weekdays means every day, no times all day.
type Hours = tuple[frozenset[int], time | None, time | None]


def hours_open(hours: Hours, local: datetime) -> bool:
    """Whether `local` (JST) falls within the days and hours."""
    weekdays, start, end = hours
    if weekdays and local.weekday() not in weekdays:
        return False
    if start is None or end is None:
        return True
    return start <= local.time() < end


@dataclass(frozen=True)
class RuleFacts:
    id: int
    position: int
    name: str
    conditions: tuple[ConditionFacts, ...] = ()
    method: str = LOAD_BALANCE
    # The pool in priority order; empty means every advisor of the team.
    advisor_ids: tuple[int, ...] = ()
    specialty: str = ""
    # When the rule's advisors take leads from it (Monday = 0, JST); empty = always.
    weekdays: frozenset[int] = frozenset()
    hours_start: time | None = None
    hours_end: time | None = None
    # Pool members who take leads from this rule only on some days and hours.
    member_hours: Mapping[int, Hours] = field(default_factory=dict)

    def matches(self, attributes: Mapping[str, frozenset[str]]) -> bool:
        return all(
            condition.holds(attributes.get(condition.fact, frozenset()))
            for condition in self.conditions
        )

    def open_at(self, local: datetime) -> bool:
        return hours_open((self.weekdays, self.hours_start, self.hours_end), local)

    def pool(self, eligible: Sequence[AdvisorFacts], local: datetime) -> list[AdvisorFacts]:
        """The rule's eligible advisors taking its leads at `local`, in priority order (or
        by id for a whole team)."""
        if self.specialty:
            eligible = [advisor for advisor in eligible if advisor.specialty == self.specialty]
        if not self.advisor_ids:
            return list(eligible)
        by_id = {advisor.id: advisor for advisor in eligible}
        hours = self.member_hours
        return [
            by_id[advisor_id]
            for advisor_id in self.advisor_ids
            if advisor_id in by_id
            and (advisor_id not in hours or hours_open(hours[advisor_id], local))
        ]

    def as_record(self) -> dict:
        return {"id": self.id, "position": self.position, "name": self.name}


@dataclass(frozen=True)
class RuleSetFacts:
    id: int
    version: int | None
    name: str
    rules: tuple[RuleFacts, ...] = ()
    default: str = DEFAULT_WAIT
    default_advisor_id: int | None = None
    cap_per_period: int | None = None
    cap_period_days: int = 7
    # Display names of advisors, for the why of a decision that names nobody else.
    labels: Mapping[int, str] = field(default_factory=dict)

    def as_record(self) -> dict:
        return {"id": self.id, "version": self.version, "name": self.name}


def choose(method: str, pool: Sequence[AdvisorFacts]) -> tuple[AdvisorFacts, str]:
    """One advisor of a non-empty pool by the rule's method, and why."""
    if method == PRIORITY:
        chosen = pool[0]
        return chosen, _("優先順で空きのある最初の {name}({load})を選びました。").format(
            name=chosen.name, load=f"{chosen.open_leads}/{chosen.capacity}"
        )
    if method == ROUND_ROBIN:
        chosen = min(pool, key=lambda advisor: fairness_key(advisor)[1:])
        return chosen, _(
            "順番制で、最後の割り当てから最も時間が経っている {name} を選びました。"
        ).format(name=chosen.name)
    chosen = min(pool, key=fairness_key)
    return chosen, why_fairest(chosen, pool)


@dataclass(frozen=True)
class Route:
    """Where the rule set sends a lead: the eligible pool, how to pick in it, and why."""

    pool: tuple[AdvisorFacts, ...]
    method: str
    rule: Rule
    why: str
    matched_rule: RuleFacts | None = None


def route_by_rules(
    *,
    lead: LeadFacts,
    eligible: Sequence[AdvisorFacts],
    ruleset: RuleSetFacts,
    local_now: datetime,
) -> Route:
    """The rules and the default over advisors already screened (no keeper).

    The first rule whose conditions all hold, that is open at `local_now` (JST) and whose
    pool has someone eligible and taking its leads then (their own days and hours), sends
    the lead to that pool. A matching rule whose pool is
    full passes the lead on to the next rule. Otherwise the default: wait as unassigned
    (an empty pool), the whole team, or a named advisor.
    """
    passed = ""
    for rule in ruleset.rules:
        if not (rule.matches(lead.attributes) and rule.open_at(local_now)):
            continue
        pool = rule.pool(eligible, local_now)
        if not pool:
            passed += _("ルール「{name}」は対象者に空きがありません。").format(name=rule.name)
            continue
        why = passed + _("ルール「{name}」に一致しました。").format(name=rule.name)
        return Route(tuple(pool), rule.method, Rule.RULESET_RULE, why, rule)

    if ruleset.default == DEFAULT_POOL:
        why = passed + _("一致するルールがないため、チーム全体から選びました。")
        return Route(tuple(eligible), LOAD_BALANCE, Rule.RULESET_DEFAULT, why)
    if ruleset.default == DEFAULT_ADVISOR:
        named = next((a for a in eligible if a.id == ruleset.default_advisor_id), None)
        if named is not None:
            why = _("一致するルールがないため、既定の担当者 {name} に割り当てました。")
            return Route(
                (named,), NAMED, Rule.RULESET_DEFAULT, passed + why.format(name=named.name)
            )
        name = ruleset.labels.get(ruleset.default_advisor_id, "")
        why = _("既定の担当者 {name} が受け付けられないため、「担当者なし」で待機します。")
        return Route((), NAMED, Rule.RULESET_WAIT, passed + why.format(name=name))
    why = _("一致するルールがないため、「担当者なし」で待機します。")
    return Route((), LOAD_BALANCE, Rule.RULESET_WAIT, passed + why)


def decide_by_rules(
    *,
    lead: LeadFacts,
    advisors: Sequence[AdvisorFacts],
    ruleset: RuleSetFacts | None,
    local_now: datetime,
) -> Decision:
    """Choose the advisor for `lead` by the team's published rule set (or the built-in policy).

    1. Hard constraints first, for every rule alike: see routing.screen (with the set's cap).
    2. The current advisor (booking) or the earlier lead's (continuity) keeps it if eligible.
    3. The rules, then the default (route_by_rules); the route's method picks in its pool.
    """
    if ruleset is None:
        return decide(lead=lead, advisors=advisors)
    candidates, eligible = screen(lead=lead, advisors=advisors, cap=ruleset.cap_per_period)
    if not eligible:
        return ruleset_decision(
            lead, candidates, ruleset, None, Rule.NOBODY_ELIGIBLE, why_nobody(candidates)
        )
    kept = keeper(lead=lead, eligible=eligible)
    if kept is not None:
        return ruleset_decision(lead, candidates, ruleset, *kept)
    route = route_by_rules(lead=lead, eligible=eligible, ruleset=ruleset, local_now=local_now)
    return route_decision(lead, candidates, ruleset, route, route.pool)


def ruleset_decision(
    lead: LeadFacts,
    candidates: tuple[Candidate, ...],
    ruleset: RuleSetFacts,
    advisor_id: int | None,
    rule: Rule,
    why: str,
    matched_rule: RuleFacts | None = None,
) -> Decision:
    return decision_of(
        lead,
        candidates,
        advisor_id,
        rule,
        why,
        ruleset=ruleset.as_record(),
        matched_rule=matched_rule.as_record() if matched_rule else None,
    )


def route_decision(
    lead: LeadFacts,
    candidates: tuple[Candidate, ...],
    ruleset: RuleSetFacts,
    route: Route,
    pool: Sequence[AdvisorFacts],
) -> Decision:
    """The route's choice among `pool` (its pool, or the part of it free at a time)."""
    if route.rule == Rule.RULESET_WAIT:
        return ruleset_decision(lead, candidates, ruleset, None, route.rule, route.why)
    if not pool:
        return ruleset_decision(
            lead, candidates, ruleset, None, Rule.NOBODY_ELIGIBLE, why_nobody(candidates)
        )
    if route.method == NAMED:
        # The route's why already names them.
        return ruleset_decision(lead, candidates, ruleset, pool[0].id, route.rule, route.why)
    chosen, why = choose(route.method, pool)
    return ruleset_decision(
        lead, candidates, ruleset, chosen.id, route.rule, route.why + why, route.matched_rule
    )


# ------------------------------------------------------------------------------
# Checks before publish
# ------------------------------------------------------------------------------


def never_matches(rule: RuleFacts, vocabulary: Mapping[str, frozenset[str]]) -> bool:
    """Whether no lead can satisfy all of the rule's conditions together.

    `vocabulary` holds the closed lists of values (interest, timing, ...); facts not in
    it are open text, where two different "is" values still contradict each other.
    """
    by_fact: dict[str, list[ConditionFacts]] = {}
    for condition in rule.conditions:
        by_fact.setdefault(condition.fact, []).append(condition)
    for fact, conditions in by_fact.items():
        wants = [c for c in conditions if c.operator in (IS, IS_ONE_OF)]
        if any(not c.values for c in wants):
            return True
        if wants and any(c.operator == IS_EMPTY for c in conditions):
            return True
        if not wants or fact in MULTI_VALUED_FACTS:
            continue
        allowed = vocabulary.get(fact)
        for condition in wants:
            allowed = condition.values if allowed is None else allowed & condition.values
        refused = frozenset().union(*(c.values for c in conditions if c.operator == IS_NOT))
        if not allowed - refused:
            return True
    return False


def _implies(narrow: ConditionFacts, broad: ConditionFacts) -> bool:
    """Whether `narrow` holding on a lead means `broad` holds too (same fact)."""
    if broad.operator == IS_EMPTY:
        return narrow.operator == IS_EMPTY
    if broad.operator == IS_NOT:
        if narrow.operator == IS_EMPTY:
            return True
        if narrow.operator == IS_NOT:
            return broad.values <= narrow.values
        return narrow.fact not in MULTI_VALUED_FACTS and not narrow.values & broad.values
    return (
        narrow.operator in (IS, IS_ONE_OF)
        and bool(narrow.values)
        and (narrow.values <= broad.values)
    )


def shadowed_by(rules: Sequence[RuleFacts]) -> list[tuple[RuleFacts, RuleFacts]]:
    """(later, earlier) pairs where every lead the later rule matches, the earlier one takes
    first: the later rule only gets leads when the earlier one's pool is full."""
    pairs = []
    for index, later in enumerate(rules):
        for earlier in rules[:index]:
            always_open = (
                not earlier.weekdays and earlier.hours_start is None and not earlier.member_hours
            )
            covered = all(
                any(
                    narrow.fact == broad.fact and _implies(narrow, broad)
                    for narrow in later.conditions
                )
                for broad in earlier.conditions
            )
            if always_open and covered:
                pairs.append((later, earlier))
                break
    return pairs
