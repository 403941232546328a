"""Reads for routing rules: rule sets and lead facts as plain data.

Everything here returns the frozen dataclasses of careers/routing_rules.py in a fixed
number of queries, so the pure policy can run on them under the pool lock, in the
replay (careers/replay_selectors.py reads its history), or in a test.
"""

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Interest, Lead
from careers.models.rules import Condition, RuleSet, TakingHours
from careers.routing import AdvisorFacts, LeadFacts
from careers.routing_rules import ConditionFacts, RuleFacts, RuleSetFacts
from careers.selectors import (
    advisor_candidates_for,
    lead_facts_for,
    lead_team,
)
from core.prepared import PreparedRead
from news.models import Article

Fact = Condition.Fact
WEEKDAY_LABELS = ("月", "火", "水", "木", "金", "土", "日")
# Facts compared as free text: case and surrounding spaces never decide a match.
OPEN_TEXT_FACTS = frozenset(
    {Fact.CURRENT_JOB, Fact.ARTICLE_CATEGORY, Fact.UTM_SOURCE, Fact.UTM_CAMPAIGN, Fact.POSITIONS}
)
LEAD_FIELDS = (
    "id",
    "reference",
    "kind",
    "interest",
    "timing",
    "experience",
    "current_job",
    "contact_method",
    "utm_source",
    "utm_campaign",
    "positions",
    "duplicate_of_id",
    "source_article_id",
    "created_at",
)


def condition_vocabulary() -> dict[str, dict[str, str]]:
    """The closed lists of values per fact: code -> Japanese label."""
    vocabulary = {
        Fact.KIND: Lead.Kind.choices,
        Fact.INTEREST: Interest.choices,
        Fact.TIMING: Lead.Timing.choices,
        Fact.EXPERIENCE: Lead.Experience.choices,
        Fact.CONTACT_METHOD: Lead.ContactMethod.choices,
        Fact.WEEKDAY: list(enumerate(WEEKDAY_LABELS)),
        Fact.HOUR: [(hour, f"{hour}時") for hour in range(24)],
        Fact.REPEAT: [("yes", _("はい")), ("no", _("いいえ"))],
    }
    return {
        fact: {str(code): str(label) for code, label in choices}
        for fact, choices in vocabulary.items()
    }


def normalise_value(fact: str, value: str) -> str:
    value = value.strip()
    return value.casefold() if fact in OPEN_TEXT_FACTS else value


def _condition_facts(condition: Condition) -> ConditionFacts:
    values = frozenset(
        normalise_value(condition.fact, part) for part in condition.value.split(",") if part.strip()
    )
    return ConditionFacts(fact=condition.fact, operator=condition.operator, values=values)


def _weekdays(hours: TakingHours) -> frozenset[int]:
    return frozenset(int(day) for day in hours.weekdays)


def ruleset_facts(ruleset: RuleSet) -> RuleSetFacts:
    """A rule set (any version) as plain data; three queries."""
    rules = ruleset.rules.prefetch_related("conditions", "members").order_by("position", "id")
    default_advisor = ruleset.default_advisor if ruleset.default_advisor_id else None
    return RuleSetFacts(
        id=ruleset.id,
        version=ruleset.version,
        name=ruleset.name,
        rules=tuple(
            RuleFacts(
                id=rule.id,
                position=rule.position,
                name=rule.name,
                conditions=tuple(_condition_facts(c) for c in rule.conditions.all()),
                method=rule.method,
                advisor_ids=tuple(member.advisor_id for member in rule.members.all()),
                specialty=rule.specialty,
                weekdays=_weekdays(rule),
                hours_start=rule.hours_start,
                hours_end=rule.hours_end,
                member_hours={
                    member.advisor_id: (_weekdays(member), member.hours_start, member.hours_end)
                    for member in rule.members.all()
                    if member.weekdays or member.hours_start is not None
                },
            )
            for rule in rules
        ),
        default=ruleset.default,
        default_advisor_id=ruleset.default_advisor_id,
        cap_per_period=ruleset.cap_per_period,
        cap_period_days=ruleset.cap_period_days,
        labels={default_advisor.id: default_advisor.name} if default_advisor else {},
    )


# Published versions never change (ruleset_publish retires, never edits), so their plain
# data is read once per process: routing then costs one query for the id, not four.
_published_facts: dict[int, RuleSetFacts] = {}


def _published(team: str):
    return RuleSet.objects.filter(team=team, status=RuleSet.Status.PUBLISHED)


# Read for every routing decision: compiled once per process (core/prepared.py).
_published_id = PreparedRead(
    lambda team: _published(team).order_by("id").values("id")[:1], team="\x00team"
)


def ruleset_published_for(*, team: str) -> RuleSetFacts | None:
    """The team's published rule set, or None (then the built-in policy routes)."""
    row = _published_id.first(team=team)
    if row is None:
        return None
    ruleset_id = row["id"]
    facts = _published_facts.get(ruleset_id)
    if facts is None:
        ruleset = _published(team).select_related("default_advisor").get(id=ruleset_id)
        facts = ruleset_facts(ruleset)
        _published_facts[ruleset_id] = facts
    return facts


def routing_facts_for(
    *,
    lead: Lead,
    now: datetime,
    on: date | None = None,
    exclude: frozenset[int] = frozenset(),
    current_advisor_id: int | None = None,
) -> tuple[LeadFacts, list[AdvisorFacts], RuleSetFacts | None]:
    """What the policy decides a lead from: the lead, its team's advisors on `on` (today by
    default) with their counts in the cap period ending `now`, and the published rule set."""
    team = lead_team(kind=lead.kind)
    ruleset = ruleset_published_for(team=team)
    facts = lead_facts_for(lead=lead, exclude=exclude, current_advisor_id=current_advisor_id)
    if ruleset is not None:
        facts = replace(facts, attributes=lead_attributes(lead=lead))
    capped = ruleset is not None and ruleset.cap_per_period is not None
    advisors = advisor_candidates_for(
        team=team,
        on=on or timezone.localdate(now),
        assigned_since=now - timedelta(days=ruleset.cap_period_days) if capped else None,
    )
    return facts, advisors, ruleset


def row_attributes(row: dict, categories: frozenset[str]) -> dict[str, frozenset[str]]:
    local = timezone.localtime(row["created_at"])
    raw = {
        Fact.KIND: row["kind"],
        Fact.INTEREST: row["interest"],
        Fact.TIMING: row["timing"],
        Fact.EXPERIENCE: row["experience"],
        Fact.CURRENT_JOB: row["current_job"],
        Fact.CONTACT_METHOD: row["contact_method"],
        Fact.UTM_SOURCE: row["utm_source"],
        Fact.UTM_CAMPAIGN: row["utm_campaign"],
        Fact.POSITIONS: "" if row["positions"] is None else str(row["positions"]),
        Fact.WEEKDAY: str(local.weekday()),
        Fact.HOUR: str(local.hour),
        Fact.REPEAT: "yes" if row["duplicate_of_id"] else "no",
    }
    attributes = {
        fact: frozenset({normalise_value(fact, value)}) if value.strip() else frozenset()
        for fact, value in raw.items()
    }
    attributes[Fact.ARTICLE_CATEGORY] = frozenset(
        normalise_value(Fact.ARTICLE_CATEGORY, slug) for slug in categories
    )
    return attributes


def category_slugs(article_ids) -> dict[int, frozenset[str]]:
    through = Article.categories.through.objects.filter(article_id__in=set(article_ids) - {None})
    slugs = defaultdict(set)
    for article_id, slug in through.values_list("article_id", "category__slug"):
        slugs[article_id].add(slug)
    return {article_id: frozenset(found) for article_id, found in slugs.items()}


def lead_attributes(*, lead: Lead) -> dict[str, frozenset[str]]:
    """What rule conditions test about one lead (one query for its article's categories)."""
    row = {name: getattr(lead, name) for name in LEAD_FIELDS}
    slugs = category_slugs([lead.source_article_id]) if lead.source_article_id else {}
    return row_attributes(row, slugs.get(lead.source_article_id, frozenset()))
