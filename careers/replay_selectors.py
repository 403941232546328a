"""Reads for the replay: a team's leads of a period and the state they met, as plain data.

Everything here returns the frozen dataclasses of careers/routing_replay.py in a fixed
number of queries; the replay itself is pure and writes nothing.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Max, Min, Q
from django.utils import timezone

from careers.models import Advisor, AdvisorAbsence, Lead, LeadEvent
from careers.models.rules import RuleSet
from careers.routing import AdvisorFacts, Exclusion, LeadFacts, Rule
from careers.routing_replay import History, ReplayLead, StateChange, replay
from careers.rule_selectors import (
    LEAD_FIELDS,
    category_slugs,
    row_attributes,
    ruleset_facts,
    ruleset_published_for,
)
from careers.selectors import lead_kinds_of, lead_open_statuses

_CLOSING_STATUSES = (Lead.Status.PLACED, Lead.Status.CLOSED, Lead.Status.SPAM)


# A routing decision records every advisor of the team as the policy saw them; an exclusion
# before "paused" in routing._exclusion's order says what they were not.
_ROUTING_EVENTS = (LeadEvent.Kind.ROUTED, LeadEvent.Kind.REASSIGNED, LeadEvent.Kind.UNASSIGNED)


def _decision_records(kinds: list[str]):
    # A manual choice records only the chosen advisor and ignores whether they accept.
    return (
        LeadEvent.objects.filter(kind__in=_ROUTING_EVENTS, lead__kind__in=kinds)
        .exclude(details__decision__rule=Rule.MANUAL)
        .exclude(details__decision__candidates__isnull=True)
    )


def _states_recorded(*, kinds: list[str], since: datetime, until: datetime, advisors):
    """(advisors as the last decision before `since` saw them, the changes recorded by the
    decisions in [since, until)); two queries.

    The limit: an advisor's capacity, active and accepting are known only when a decision
    recorded them, so a change shows from the next decision on; an advisor no decision
    saw before `since` starts as today's row, until a decision sees them.
    """
    state = {
        advisor.id: (advisor.capacity, advisor.is_active, advisor.is_accepting)
        for advisor in advisors
    }
    before = (
        _decision_records(kinds)
        .filter(created_at__lt=since)
        .order_by("-created_at", "-id")
        .values_list("details__decision__candidates", flat=True)
        .first()
    )
    changes = []
    for candidate in before or ():
        if candidate["id"] in state:
            state[candidate["id"]] = _observed(candidate, state[candidate["id"]])
    start = dict(state)
    recorded = (
        _decision_records(kinds)
        .filter(created_at__gte=since, created_at__lt=until)
        .order_by("created_at", "id")
        .values_list("created_at", "details__decision__candidates")
    )
    for at, candidates in recorded:
        for candidate in candidates:
            advisor_id = candidate["id"]
            if advisor_id in state:
                observed = _observed(candidate, state[advisor_id])
                if observed != state[advisor_id]:
                    state[advisor_id] = observed
                    changes.append(StateChange(at, advisor_id, *observed))
    return start, tuple(changes)


def _observed(candidate: dict, previous: tuple[int, bool, bool]) -> tuple[int, bool, bool]:
    excluded = candidate.get("excluded")
    if excluded == Exclusion.INACTIVE:
        # Whether they accepted is not checked for an inactive advisor: keep what was known.
        return candidate["capacity"], False, previous[2]
    return candidate["capacity"], True, excluded != Exclusion.PAUSED


def replay_history(*, team: str, since: datetime, until: datetime, cap_days: int) -> History:
    """The team's leads submitted in [since, until) with the state they met; eight queries.

    Advisors' capacity, active and accepting follow the routing decisions' records
    (_states_recorded, with its limit); their open leads and last assignment are rebuilt
    as of `since`, and each lead closes when its status history says it was placed or
    closed. Absences are dated, so they are exact.
    """
    kinds = lead_kinds_of(team=team)
    rows = list(
        Lead.objects.filter(kind__in=kinds, created_at__gte=since, created_at__lt=until)
        .exclude(status=Lead.Status.SPAM)
        .order_by("created_at", "id")
        .values(*LEAD_FIELDS, "duplicate_of__advisor_id", "duplicate_of__reference")
    )
    closes_at = dict(
        LeadEvent.objects.filter(
            kind=LeadEvent.Kind.STATUS_CHANGED,
            details__to__in=_CLOSING_STATUSES,
            created_at__gte=since,
            lead__kind__in=kinds,
        )
        .values("lead_id")
        .annotate(first=Min("created_at"))
        .values_list("lead_id", "first")
    )
    categories = category_slugs(row["source_article_id"] for row in rows)
    leads = tuple(
        ReplayLead(
            facts=LeadFacts(
                id=row["id"],
                interest=row["interest"],
                duplicate_of_id=row["duplicate_of_id"],
                duplicate_of_reference=row["duplicate_of__reference"] or "",
                continuity_advisor_id=row["duplicate_of__advisor_id"],
                attributes=row_attributes(
                    row, categories.get(row["source_article_id"], frozenset())
                ),
            ),
            reference=row["reference"],
            submitted_at=row["created_at"],
            local_submitted_at=timezone.localtime(row["created_at"]),
            closes_at=closes_at.get(row["id"]),
        )
        for row in rows
    )
    before = Lead.objects.filter(kind__in=kinds, advisor__isnull=False, assigned_at__lt=since)
    # Held at `since`: still open now, or closed only later (their close is in `closes_at`).
    held = before.filter(Q(status__in=lead_open_statuses()) | Q(id__in=list(closes_at)))
    held_count = defaultdict(int)
    held_closing = []
    for lead_id, advisor_id in held.values_list("id", "advisor_id"):
        held_count[advisor_id] += 1
        if lead_id in closes_at:
            held_closing.append((advisor_id, closes_at[lead_id]))
    last_assigned = dict(
        before.values("advisor_id")
        .annotate(last=Max("assigned_at"))
        .values_list("advisor_id", "last")
    )
    earlier = defaultdict(list)
    recent = before.filter(assigned_at__gte=since - timedelta(days=cap_days))
    for advisor_id, assigned_at in recent.values_list("advisor_id", "assigned_at"):
        earlier[advisor_id].append(assigned_at)
    absences = defaultdict(list)
    for advisor_id, first, last in AdvisorAbsence.objects.filter(
        advisor__team=team, ends_on__gte=timezone.localdate(since)
    ).values_list("advisor_id", "starts_on", "ends_on"):
        absences[advisor_id].append((first, last))
    rows = list(Advisor.objects.filter(team=team).order_by("id"))
    start, changes = _states_recorded(kinds=kinds, since=since, until=until, advisors=rows)
    advisors = tuple(
        AdvisorFacts(
            id=row.id,
            name=row.name,
            specialty=row.specialty,
            capacity=start[row.id][0],
            is_active=start[row.id][1],
            is_accepting=start[row.id][2],
            open_leads=held_count[row.id],
            last_assigned_at=last_assigned.get(row.id),
        )
        for row in rows
    )
    return History(
        leads=leads,
        advisors=advisors,
        held_closing=tuple(held_closing),
        absences={key: tuple(value) for key, value in absences.items()},
        earlier_assignments={key: tuple(value) for key, value in earlier.items()},
        state_changes=changes,
    )


def ruleset_replay(*, ruleset: RuleSet, days: int, now: datetime | None = None) -> dict:
    """Replay the last `days` days of the rule set's team under it and under the published set."""
    now = now or timezone.now()
    draft = ruleset_facts(ruleset)
    published = ruleset_published_for(team=ruleset.team)
    cap_days = max(facts.cap_period_days for facts in (draft, published) if facts)
    history = replay_history(
        team=ruleset.team, since=now - timedelta(days=days), until=now, cap_days=cap_days
    )
    return {"days": days, **replay(history=history, published=published, draft=draft)}
