"""The rule-set admin: managers build a draft, replay it and publish; nobody else gets in."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careers.models import Lead, Rule, RuleSet, Team
from careers.services.rulesets import ruleset_draft_create
from tests.factories import AdvisorFactory, LeadFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/careers/ruleset/"
SENIOR_RULE = "Web3 で転職時期が3ヶ月以内 → シニアチーム"


@pytest.fixture
def published():
    return RuleSet.objects.get(team=Team.CAREER, status=RuleSet.Status.PUBLISHED)


@pytest.fixture
def senior():
    return AdvisorFactory(name="シニア 高橋", specialty="both", capacity=5)


def rule_form(draft, senior, *, value="Web3業界", timing="すぐにでも、3か月以内"):
    """The rule page's POST: one rule, two conditions, a one-person pool."""
    return {
        "ruleset": draft.pk,
        "position": "1",
        "name": SENIOR_RULE,
        "specialty": "",
        "method": "load_balance",
        "hours_start": "",
        "hours_end": "",
        "conditions-TOTAL_FORMS": "2",
        "conditions-INITIAL_FORMS": "0",
        "conditions-0-fact": "interest",
        "conditions-0-operator": "is",
        "conditions-0-value": value,
        "conditions-1-fact": "timing",
        "conditions-1-operator": "is_one_of",
        "conditions-1-value": timing,
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-position": "1",
        "members-0-advisor": senior.pk,
    }


def test_managers_list_rule_sets_in_a_fixed_number_of_queries(client, manager, published):
    client.force_login(manager)
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST_URL)
    assert response.status_code == HTTPStatus.OK
    for _ in range(5):
        ruleset_draft_create(source=published)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL)
    assert len(many) == len(few)
    html = response.content.decode()
    assert "キャリアアドバイザーの振り分け" in html
    assert "公開中" in html


def test_advisors_and_editors_cannot_see_or_edit_rules(client, advisor_a, editor, published):
    rule_sets = RuleSet.objects.count()
    for user in (advisor_a.user, editor):
        client.force_login(user)
        assert client.get(LIST_URL).status_code == HTTPStatus.FORBIDDEN
        assert client.get(f"{LIST_URL}{published.pk}/replay/").status_code == HTTPStatus.FORBIDDEN
        assert client.post(f"{LIST_URL}{published.pk}/draft/").status_code == HTTPStatus.FORBIDDEN
    assert RuleSet.objects.count() == rule_sets


def test_a_published_version_is_read_only(client, manager, published):
    client.force_login(manager)
    response = client.post(f"{LIST_URL}{published.pk}/change/", {"name": "書き換え"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    rule = published.rules.first()
    response = client.post(f"/admin/careers/rule/{rule.pk}/change/", {"name": "書き換え"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    published.refresh_from_db()
    assert published.name == "キャリアアドバイザーの振り分け"


def test_a_manager_builds_a_rule_in_their_own_words(client, manager, published, senior):
    client.force_login(manager)
    response = client.post(f"{LIST_URL}{published.pk}/draft/")
    draft = RuleSet.objects.get(status=RuleSet.Status.DRAFT)
    assert response.url == f"{LIST_URL}{draft.pk}/change/"

    response = client.post("/admin/careers/rule/add/", rule_form(draft, senior))
    assert response.status_code == HTTPStatus.FOUND
    rule = Rule.objects.get(name=SENIOR_RULE)
    assert rule.ruleset == draft
    assert sorted(rule.conditions.values_list("fact", "operator", "value")) == [
        ("interest", "is", "web3"),
        ("timing", "is_one_of", "now,3_months"),
    ]
    assert list(rule.members.values_list("advisor", flat=True)) == [senior.pk]
    page = client.get(f"/admin/careers/rule/{rule.pk}/change/").content.decode()
    assert 'value="すぐにでも、3か月以内"' in page


@pytest.mark.parametrize(
    ("value", "timing", "message"),
    [
        ("Web4", "すぐにでも", "「Web4」は選択肢にありません。選べる値: AI業界、Web3業界"),
        ("Web3業界、AI業界", "すぐにでも", "値は1つだけ入力してください。"),
        ("Web3業界", "", "値を入力してください。"),
    ],
)
def test_a_condition_value_outside_the_choices_gets_a_japanese_error(
    client, manager, published, senior, value, timing, message
):
    client.force_login(manager)
    draft = ruleset_draft_create(source=published)
    response = client.post(
        "/admin/careers/rule/add/", rule_form(draft, senior, value=value, timing=timing)
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not Rule.objects.filter(name=SENIOR_RULE).exists()


def test_replay_shows_the_change_table_then_publish_makes_version_two(
    client, manager, published, senior
):
    AdvisorFactory(name="佐藤", specialty="web3", capacity=10)
    for days_ago in (3, 2, 1):
        lead = LeadFactory(interest="web3", timing="now")
        Lead.objects.filter(id=lead.id).update(created_at=timezone.now() - timedelta(days=days_ago))
    client.force_login(manager)
    draft = ruleset_draft_create(source=published)
    client.post("/admin/careers/rule/add/", rule_form(draft, senior))

    response = client.get(f"{LIST_URL}{draft.pk}/replay/", {"days": "30"})
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "過去30日のリード 3件" in html
    assert 'data-testid="replay-changes"' in html
    assert SENIOR_RULE in html.split('data-testid="replay-changes"')[1]
    assert 'data-testid="publish-button"' in html
    assert Lead.objects.filter(status=Lead.Status.NEW).count() == 3

    response = client.post(f"{LIST_URL}{draft.pk}/publish/", follow=True)
    assert "を公開しました" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.published_by) == ("published", 2, manager)


def test_replay_with_a_bad_period_explains_in_japanese(client, manager, published):
    client.force_login(manager)
    response = client.get(f"{LIST_URL}{published.pk}/replay/", {"days": "abc"})
    assert response.status_code == HTTPStatus.OK
    assert "日数を整数で入力してください。" in response.content.decode()


def test_publish_refused_shows_every_reason_and_keeps_the_draft(client, manager, published, senior):
    client.force_login(manager)
    draft = ruleset_draft_create(source=published)
    client.post("/admin/careers/rule/add/", rule_form(draft, senior))
    senior.is_active = False
    senior.save()
    response = client.post(f"{LIST_URL}{draft.pk}/publish/", follow=True)
    assert f"ルール「{SENIOR_RULE}」の対象 シニア 高橋 は無効になっています。" in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == RuleSet.Status.DRAFT
