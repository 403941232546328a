"""Rule sets in the database: drafts, checks on publish, versions, and the replay command."""

import json
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from careers.admin.rule_forms import RuleMemberForm
from careers.models import Condition, Lead, LeadEvent, Rule, RuleMember, RuleSet, Team
from careers.rule_selectors import ruleset_facts, ruleset_published_for
from careers.services.rulesets import ruleset_check, ruleset_draft_create, ruleset_publish
from tests.factories import SENIOR_RULE, AdvisorFactory, LeadFactory, senior_rule_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return RuleSet.objects.get(team=Team.CAREER, status=RuleSet.Status.PUBLISHED)


@pytest.fixture
def senior():
    return AdvisorFactory(name="シニア 高橋", specialty="both", capacity=5)


def test_a_draft_copies_every_rule_condition_and_pool_of_its_source(published, senior):
    draft = senior_rule_draft(published, senior)
    copy = ruleset_draft_create(source=draft)
    assert copy.status == RuleSet.Status.DRAFT
    assert copy.version is None
    assert list(copy.rules.values_list("name", flat=True)) == [
        SENIOR_RULE,
        *published.rules.values_list("name", flat=True),
    ]
    senior_copy = copy.rules.get(name=SENIOR_RULE)
    assert senior_copy.conditions.count() == 2
    assert list(senior_copy.members.values_list("advisor", flat=True)) == [senior.id]


def test_a_members_days_and_hours_are_copied_and_read_as_plain_data(published, senior):
    draft = senior_rule_draft(published, senior)
    RuleMember.objects.filter(rule__ruleset=draft).update(
        weekdays="024", hours_start=time(10), hours_end=time(15)
    )
    copy = ruleset_draft_create(source=draft)
    member = RuleMember.objects.get(rule__ruleset=copy)
    assert (member.weekdays, member.hours_start, member.hours_end) == ("024", time(10), time(15))
    (rule, *_) = ruleset_facts(copy).rules
    assert rule.member_hours == {senior.id: (frozenset({0, 2, 4}), time(10), time(15))}


def test_a_member_form_refuses_half_an_hours_range(senior):
    form = RuleMemberForm(
        data={"position": 0, "advisor": senior.id, "weekdays": ["0"], "hours_start": "10:00"}
    )
    assert not form.is_valid()
    assert "受付時間は開始と終了の両方を入力してください。" in form.non_field_errors()


def test_publishing_makes_the_next_version_and_keeps_the_old_one_unchanged(published, senior):
    draft = senior_rule_draft(published, senior)
    ruleset_publish(ruleset=draft)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, draft.version) == (RuleSet.Status.PUBLISHED, 2)
    assert (published.status, published.version) == (RuleSet.Status.RETIRED, 1)
    assert ruleset_published_for(team=Team.CAREER).version == 2
    with pytest.raises(ValidationError, match="下書きだけ"):
        ruleset_publish(ruleset=published)


def test_publish_refuses_empty_pools_impossible_rules_and_inactive_targets(published, senior):
    draft = senior_rule_draft(published, senior)
    impossible = Rule.objects.create(ruleset=draft, position=2, name="矛盾")
    Condition.objects.create(rule=impossible, fact="interest", operator="is", value="ai")
    Condition.objects.create(rule=impossible, fact="interest", operator="is", value="web3")
    Rule.objects.create(ruleset=draft, position=3, name="空のプール", specialty="web3")
    senior.is_active = False
    senior.save()
    with pytest.raises(ValidationError) as refused:
        ruleset_publish(ruleset=draft)
    messages = refused.value.messages
    assert f"ルール「{SENIOR_RULE}」の対象 シニア 高橋 は無効になっています。" in messages
    assert "ルール「矛盾」は条件が両立せず、どのリードにも一致しません。" in messages
    assert "ルール「空のプール」の対象になる有効なアドバイザーがいません。" in messages
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT


def test_a_named_default_must_be_an_active_advisor_of_the_team(published):
    draft = ruleset_draft_create(source=published)
    draft.default = RuleSet.Default.ADVISOR
    draft.default_advisor = AdvisorFactory(team=Team.SALES)
    draft.save()
    errors = ruleset_check(ruleset=draft).errors
    assert "既定の担当者を、このチームのアドバイザーから選んでください。" in errors


def test_a_shadowed_rule_is_a_warning_not_an_error(published, senior):
    draft = senior_rule_draft(published, senior)
    broad = Rule.objects.create(ruleset=draft, position=0, name="Web3 全般")
    Condition.objects.create(rule=broad, fact="interest", operator="is", value="web3")
    check = ruleset_publish(ruleset=draft)
    assert check.warnings == [
        f"ルール「{SENIOR_RULE}」に一致するリードはすべて先にルール「Web3 全般」に一致します。"
        "「Web3 全般」の対象者が満員のときしか使われません。"
    ]


def history(senior):
    """Leads of the last days: two Web3 candidates in a hurry, one exploring, one AI."""
    AdvisorFactory(name="佐藤", specialty="web3", capacity=10)
    now = timezone.now()
    for days_ago, interest, timing in [
        (5, "web3", "now"),
        (4, "web3", "3_months"),
        (3, "web3", "exploring"),
        (2, "ai", "now"),
    ]:
        lead = LeadFactory(interest=interest, timing=timing)
        Lead.objects.filter(id=lead.id).update(created_at=now - timedelta(days=days_ago))


def test_routing_replay_prints_the_changes_and_writes_nothing(published, senior, capsys):
    draft = senior_rule_draft(published, senior)
    history(senior)
    rows = (Lead.objects.count(), LeadEvent.objects.count(), RuleSet.objects.count())
    call_command("routing_replay", "--days", "30", "--ruleset", str(draft.id), "--json")
    (report,) = json.loads(capsys.readouterr().out)
    assert report["leads"] == 4
    assert report["published"]["version"] == 1
    assert {row["draft_rule"] for row in report["changes"]} == {SENIOR_RULE}
    assert all(row["draft_advisor"] == "シニア 高橋" for row in report["changes"])
    # The draft keeps the migrated catch-all rule, so every lead matches some rule.
    assert report["unmatched"] == []
    assert (Lead.objects.count(), LeadEvent.objects.count(), RuleSet.objects.count()) == rows
    assert not Lead.objects.exclude(status=Lead.Status.NEW).exists()

    call_command("routing_replay", "--days", "30")
    text = capsys.readouterr().out
    assert "シニア 高橋" in text
    assert "担当が変わるリード" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--days", "0"], "1〜366"),
        (["--days", "abc"], "整数"),
        (["--days", "7", "--ruleset", "999999"], "見つかりません"),
    ],
)
def test_routing_replay_refuses_bad_arguments_in_japanese(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("routing_replay", *arguments)
