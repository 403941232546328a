"""Writes for routing rules: check a draft, publish it, start a new draft from any version."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from careers.models import Advisor, Condition, RuleMember, RuleSet
from careers.routing_rules import never_matches, shadowed_by
from careers.rule_selectors import condition_vocabulary, ruleset_facts
from careers.services.pipeline import routing_pool_lock


@dataclass
class Check:
    """What stops a publish (errors) and what a manager should look at first (warnings)."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _check_pools(ruleset: RuleSet, check: Check) -> None:
    team = {advisor.id: advisor for advisor in Advisor.objects.filter(team=ruleset.team)}
    active = [advisor for advisor in team.values() if advisor.is_active]
    for rule in ruleset.rules.prefetch_related("members__advisor"):
        members = [member.advisor for member in rule.members.all()]
        for advisor in members:
            if advisor.id not in team:
                check.errors.append(
                    _("ルール「{rule}」の対象 {name} は別のチームのアドバイザーです。").format(
                        rule=rule.name, name=advisor.name
                    )
                )
            elif not advisor.is_active:
                check.errors.append(
                    _("ルール「{rule}」の対象 {name} は無効になっています。").format(
                        rule=rule.name, name=advisor.name
                    )
                )
        pool = [a for a in members if a.is_active] if members else active
        if rule.specialty:
            pool = [advisor for advisor in pool if advisor.specialty == rule.specialty]
        if not pool:
            check.errors.append(
                _("ルール「{rule}」の対象になる有効なアドバイザーがいません。").format(
                    rule=rule.name
                )
            )
    if ruleset.default == RuleSet.Default.POOL and not active:
        check.errors.append(_("既定の振り分け先のチームに有効なアドバイザーがいません。"))
    if ruleset.default == RuleSet.Default.ADVISOR:
        named = team.get(ruleset.default_advisor_id)
        if named is None:
            check.errors.append(_("既定の担当者を、このチームのアドバイザーから選んでください。"))
        elif not named.is_active:
            check.errors.append(
                _("既定の担当者 {name} は無効になっています。").format(name=named.name)
            )


def ruleset_check(*, ruleset: RuleSet) -> Check:
    """Everything publish refuses, and the warnings it shows; reads only."""
    check = Check()
    _check_pools(ruleset, check)
    facts = ruleset_facts(ruleset)
    vocabulary = {fact: frozenset(values) for fact, values in condition_vocabulary().items()}
    for rule in facts.rules:
        if never_matches(rule, vocabulary):
            check.errors.append(
                _("ルール「{rule}」は条件が両立せず、どのリードにも一致しません。").format(
                    rule=rule.name
                )
            )
    for later, earlier in shadowed_by(facts.rules):
        check.warnings.append(
            _(
                "ルール「{later}」に一致するリードはすべて先にルール「{earlier}」に一致します。"
                "「{earlier}」の対象者が満員のときしか使われません。"
            ).format(later=later.name, earlier=earlier.name)
        )
    return check


def ruleset_publish(*, ruleset: RuleSet, actor=None, now: datetime | None = None) -> Check:
    """Make a draft the team's published version, retiring the current one; all at once.

    Under the team's pool lock, so a routing decision sees the old version or the new
    one, never a mix. Raises ValidationError with every error; returns the warnings.
    """
    now = now or timezone.now()
    with transaction.atomic():
        routing_pool_lock(team=ruleset.team)
        locked = RuleSet.objects.select_for_update().get(id=ruleset.id)
        if not locked.is_draft:
            raise ValidationError(_("公開できるのは下書きだけです。"), code="not_draft")
        check = ruleset_check(ruleset=locked)
        if check.errors:
            raise ValidationError(check.errors, code="invalid_ruleset")
        team_sets = RuleSet.objects.filter(team=locked.team)
        latest = team_sets.aggregate(latest=Max("version"))["latest"] or 0
        team_sets.filter(status=RuleSet.Status.PUBLISHED).update(
            status=RuleSet.Status.RETIRED, updated_at=now
        )
        locked.status = RuleSet.Status.PUBLISHED
        locked.version = latest + 1
        locked.published_at = now
        locked.published_by = actor
        locked.save(
            update_fields=["status", "version", "published_at", "published_by", "updated_at"]
        )
    ruleset.refresh_from_db()
    return check


def ruleset_draft_create(*, source: RuleSet) -> RuleSet:
    """A new draft copying `source` (any version), its rules, conditions and pools (with
    each member's days and hours)."""
    copied_fields = ("name", "team", "default", "default_advisor", "cap_per_period")
    with transaction.atomic():
        draft = RuleSet.objects.create(
            **{name: getattr(source, name) for name in copied_fields},
            cap_period_days=source.cap_period_days,
        )
        for rule in source.rules.prefetch_related("conditions", "members"):
            conditions, members = list(rule.conditions.all()), list(rule.members.all())
            rule.pk = None
            rule.ruleset = draft
            rule.save()
            Condition.objects.bulk_create(
                Condition(rule=rule, fact=c.fact, operator=c.operator, value=c.value)
                for c in conditions
            )
            RuleMember.objects.bulk_create(
                RuleMember(
                    rule=rule,
                    advisor_id=m.advisor_id,
                    position=m.position,
                    weekdays=m.weekdays,
                    hours_start=m.hours_start,
                    hours_end=m.hours_end,
                )
                for m in members
            )
    return draft
