"""The routing policy: who should take a lead, and why. Pure: plain data in, a decision out.

The service around it (careers/services/pipeline/routing.py) reads the facts under a lock,
calls `decide` and writes the result; nothing here touches the database, the clock
or the outbox, so every rule is a one-line unit test.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from django.utils.translation import gettext as _

AI = "ai"
WEB3 = "web3"
BOTH = "both"

# Before any real assignment: "never assigned" sorts as the longest wait.
_NEVER = datetime.min.replace(tzinfo=UTC)


class Rule(StrEnum):
    CONTINUITY = "continuity"
    SPECIALTY = "specialty"
    BOTH_PREFERRED = "both_preferred"
    BOTH_FALLBACK = "both_fallback"
    NOBODY_ELIGIBLE = "nobody_eligible"
    # Booking: the lead's own advisor is free at the chosen time.
    CURRENT_ADVISOR = "current_advisor"
    # A published rule set decided (careers/routing_rules.py).
    RULESET_RULE = "ruleset_rule"
    RULESET_DEFAULT = "ruleset_default"
    RULESET_WAIT = "ruleset_wait"
    # Not the policy's: a person chose the advisor (lead_reassign with an advisor).
    MANUAL = "manual"


class Exclusion(StrEnum):
    """Why an advisor was not eligible, checked in this order."""

    INACTIVE = "inactive"
    PAUSED = "paused"
    ABSENT = "absent"
    BUSY = "busy"
    AT_CAPACITY = "at_capacity"
    PERIOD_CAP = "period_cap"
    EXCLUDED = "excluded"
    SPECIALTY = "specialty"
    # Booking: eligible, but the rule set sends this lead to other advisors.
    OUTSIDE_RULE = "outside_rule"


RULE_LABELS = {
    Rule.CONTINUITY: "継続担当",
    Rule.SPECIALTY: "専門領域",
    Rule.BOTH_PREFERRED: "「両方」専門を優先",
    Rule.BOTH_FALLBACK: "「両方」専門に空きなし",
    Rule.NOBODY_ELIGIBLE: "対象者なし",
    Rule.CURRENT_ADVISOR: "現担当",
    Rule.RULESET_RULE: "振り分けルール",
    Rule.RULESET_DEFAULT: "既定の振り分け先",
    Rule.RULESET_WAIT: "ルールに一致せず待機",
    Rule.MANUAL: "手動指定",
}

EXCLUSION_LABELS = {
    Exclusion.INACTIVE: "無効",
    Exclusion.PAUSED: "受付停止中",
    Exclusion.ABSENT: "不在",
    Exclusion.BUSY: "その時間は対応不可",
    Exclusion.AT_CAPACITY: "上限到達",
    Exclusion.PERIOD_CAP: "期間上限到達",
    Exclusion.EXCLUDED: "対象外(現担当)",
    Exclusion.SPECIALTY: "専門外",
    Exclusion.OUTSIDE_RULE: "振り分けルールの対象外",
}


@dataclass(frozen=True)
class AdvisorFacts:
    """An advisor as the policy sees it, with the open-lead count read under the pool lock."""

    id: int
    name: str
    specialty: str
    capacity: int
    open_leads: int
    is_active: bool = True
    is_accepting: bool = True
    is_absent: bool = False
    # Booking only: whether the advisor is free at the chosen time (their calendar).
    is_free: bool = True
    last_assigned_at: datetime | None = None
    # Leads assigned in the rule set's rolling cap period (0 when it has no cap).
    recent_assignments: int = 0

    @property
    def load(self) -> Fraction:
        # Exact fractions: 1/3 and 2/6 tie, as they should; floats would not promise that.
        return Fraction(self.open_leads, max(self.capacity, 1))


@dataclass(frozen=True)
class LeadFacts:
    interest: str
    id: int | None = None
    # The earlier lead this one duplicates, and that lead's advisor (continuity).
    duplicate_of_id: int | None = None
    duplicate_of_reference: str = ""
    continuity_advisor_id: int | None = None
    # Advisors the lead must leave (reassignment, SLA re-route, an advisor going away).
    exclude_advisor_ids: frozenset[int] = field(default_factory=frozenset)
    # Booking only: the advisor who holds the lead now keeps it when they are eligible.
    current_advisor_id: int | None = None
    # What rule conditions test: fact name -> the lead's values (empty = blank).
    attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)


class Candidate(NamedTuple):
    # A named tuple, not a dataclass: the replay builds one per advisor per lead, and a
    # tuple is several times cheaper to create than a frozen dataclass.
    advisor_id: int
    name: str
    specialty: str
    open_leads: int
    capacity: int
    excluded: Exclusion | None

    @property
    def eligible(self) -> bool:
        return self.excluded is None

    def as_record(self) -> dict:
        return {
            "id": self.advisor_id,
            "name": self.name,
            "specialty": self.specialty,
            "open_leads": self.open_leads,
            "capacity": self.capacity,
            "load": f"{self.open_leads}/{self.capacity}",
            "eligible": self.eligible,
            "excluded": self.excluded.value if self.excluded else None,
            "excluded_label": EXCLUSION_LABELS[self.excluded] if self.excluded else "",
        }


@dataclass(frozen=True)
class Decision:
    """The answer to "who, and why?"; `as_record()` is what the event log keeps."""

    advisor_id: int | None
    rule: Rule
    interest: str
    candidates: tuple[Candidate, ...]
    why: str
    # Which published rule-set version and which of its rules decided (None: built-in policy).
    ruleset: dict | None = None
    matched_rule: dict | None = None

    @property
    def chosen(self) -> Candidate | None:
        return next((c for c in self.candidates if c.advisor_id == self.advisor_id), None)

    def as_record(self) -> dict:
        chosen = self.chosen
        return {
            "rule": self.rule.value,
            "rule_label": RULE_LABELS[self.rule],
            "interest": self.interest,
            "chosen": chosen.as_record() if chosen else None,
            "why": self.why,
            "candidates": [candidate.as_record() for candidate in self.candidates],
            "ruleset": self.ruleset,
            "matched_rule": self.matched_rule,
        }


def decision_of(
    lead: LeadFacts,
    candidates: tuple[Candidate, ...],
    advisor_id: int | None,
    rule: Rule,
    why: str,
    *,
    ruleset: dict | None = None,
    matched_rule: dict | None = None,
) -> Decision:
    return Decision(
        advisor_id=advisor_id,
        rule=rule,
        interest=lead.interest,
        candidates=candidates,
        why=why,
        ruleset=ruleset,
        matched_rule=matched_rule,
    )


def covers(specialty: str, interest: str) -> bool:
    """Whether an advisor of this specialty may take a lead with this interest at all."""
    if interest == BOTH:
        return specialty in (AI, WEB3, BOTH)
    return specialty in (interest, BOTH)


def _exclusion(advisor: AdvisorFacts, lead: LeadFacts, cap: int | None) -> Exclusion | None:
    if not advisor.is_active:
        return Exclusion.INACTIVE
    if not advisor.is_accepting:
        return Exclusion.PAUSED
    if advisor.is_absent:
        return Exclusion.ABSENT
    if not advisor.is_free:
        return Exclusion.BUSY
    if advisor.open_leads >= advisor.capacity:
        return Exclusion.AT_CAPACITY
    if cap is not None and advisor.recent_assignments >= cap:
        return Exclusion.PERIOD_CAP
    if advisor.id in lead.exclude_advisor_ids:
        return Exclusion.EXCLUDED
    if not covers(advisor.specialty, lead.interest):
        return Exclusion.SPECIALTY
    return None


def fairness_key(advisor: AdvisorFacts):
    # Lowest load, then the longest wait since the last assignment (round robin), then the
    # lowest id, so the same facts always give the same answer.
    waited_since = advisor.last_assigned_at or _NEVER
    return (advisor.load, advisor.last_assigned_at is not None, waited_since, advisor.id)


def why_fairest(chosen: AdvisorFacts, pool: Sequence[AdvisorFacts]) -> str:
    load = f"{chosen.open_leads}/{chosen.capacity}"
    same_load = [a for a in pool if a.load == chosen.load]
    if len(same_load) == 1:
        return _("負荷が最も低い {name}({load})を選びました。").format(name=chosen.name, load=load)
    same_wait = [a for a in same_load if a.last_assigned_at == chosen.last_assigned_at]
    if len(same_wait) == 1:
        return _(
            "負荷が同率({load})の{count}名のうち、最後の割り当てから最も時間が経っている"
            " {name} を選びました(順番制)。"
        ).format(load=load, count=len(same_load), name=chosen.name)
    return _(
        "負荷({load})も最後の割り当て日時も同じ{count}名のうち、IDが最小の {name} を選びました。"
    ).format(load=load, count=len(same_wait), name=chosen.name)


def why_nobody(candidates: Sequence[Candidate]) -> str:
    if not candidates:
        return _("このチームにはアドバイザーが登録されていません。")
    counts: dict[Exclusion, int] = {}
    for candidate in candidates:
        counts[candidate.excluded] = counts.get(candidate.excluded, 0) + 1
    summary = "、".join(
        f"{EXCLUSION_LABELS[reason]} {counts[reason]}名" for reason in Exclusion if reason in counts
    )
    return _("条件を満たすアドバイザーがいません({summary})。").format(summary=summary)


def screen(
    *, lead: LeadFacts, advisors: Sequence[AdvisorFacts], cap: int | None = None
) -> tuple[tuple[Candidate, ...], list[AdvisorFacts]]:
    """Every advisor as a candidate with their exclusion, and the eligible ones; by id.

    These are the hard constraints that hold before any rule: active, accepting, not
    absent, free at the time (booking), below capacity (and the rule set's period cap),
    not excluded, and a specialty that covers the interest (ai: ai|both, web3: web3|both,
    both: anyone).
    """
    advisors = sorted(advisors, key=lambda advisor: advisor.id)
    candidates = tuple(
        Candidate(
            advisor_id=advisor.id,
            name=advisor.name,
            specialty=advisor.specialty,
            open_leads=advisor.open_leads,
            capacity=advisor.capacity,
            excluded=_exclusion(advisor, lead, cap),
        )
        for advisor in advisors
    )
    eligible_ids = {candidate.advisor_id for candidate in candidates if candidate.eligible}
    return candidates, [advisor for advisor in advisors if advisor.id in eligible_ids]


def keeper(*, lead: LeadFacts, eligible: Sequence[AdvisorFacts]) -> tuple[int, Rule, str] | None:
    """Who keeps the lead before any choice, if eligible: (advisor id, rule, why).

    Booking: the lead's current advisor, free at the chosen time. Continuity: a duplicate
    goes to the earlier lead's advisor.
    """
    by_id = {advisor.id: advisor for advisor in eligible}
    current = by_id.get(lead.current_advisor_id)
    if current is not None:
        why = _("現在の担当 {name} がこの時間に対応できるため、引き続き担当します。")
        return current.id, Rule.CURRENT_ADVISOR, why.format(name=current.name)
    previous = by_id.get(lead.continuity_advisor_id)
    if previous is None:
        return None
    earlier = f"({lead.duplicate_of_reference})" if lead.duplicate_of_reference else ""
    why = _("以前のリード{earlier}と同じ {name} が引き続き担当します({load})。").format(
        earlier=earlier,
        name=previous.name,
        load=f"{previous.open_leads}/{previous.capacity}",
    )
    return previous.id, Rule.CONTINUITY, why


def decide(*, lead: LeadFacts, advisors: Sequence[AdvisorFacts]) -> Decision:
    """The built-in policy: choose the advisor for `lead` among `advisors` (one team), or nobody.

    It applies when a team has no published rule set; the rule set the data migration
    publishes reproduces it exactly (tests/careers/test_routing_rules_migration.py).
    1. Eligible: see `screen`.
    2. Booking: the lead's current advisor keeps it if eligible (free at the time);
       continuity: a duplicate goes to the earlier lead's advisor if that one is eligible.
    3. For interest `both`, eligible `both` advisors first, then anyone else eligible.
    4. Among the rest: lowest load ratio, then longest since last assigned, then lowest id.
    """
    candidates, eligible = screen(lead=lead, advisors=advisors)

    def decision(advisor_id: int | None, rule: Rule, why: str) -> Decision:
        return decision_of(lead, candidates, advisor_id, rule, why)

    if not eligible:
        return decision(None, Rule.NOBODY_ELIGIBLE, why_nobody(candidates))

    kept = keeper(lead=lead, eligible=eligible)
    if kept is not None:
        return decision(*kept)

    if lead.interest == BOTH:
        generalists = [advisor for advisor in eligible if advisor.specialty == BOTH]
        if generalists:
            chosen = min(generalists, key=fairness_key)
            why = _("「両方」を専門とするアドバイザーを優先しました。") + why_fairest(
                chosen, generalists
            )
            return decision(chosen.id, Rule.BOTH_PREFERRED, why)
        chosen = min(eligible, key=fairness_key)
        why = _(
            "「両方」を専門とするアドバイザーに空きがないため、AI・Web3の専門アドバイザーから選びました。"
        ) + why_fairest(chosen, eligible)
        return decision(chosen.id, Rule.BOTH_FALLBACK, why)

    chosen = min(eligible, key=fairness_key)
    return decision(chosen.id, Rule.SPECIALTY, why_fairest(chosen, eligible))
