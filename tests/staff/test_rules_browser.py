"""A manager in Chromium builds a rule, replays it, publishes it; the next form follows it."""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from careers.models import Lead, RuleSet
from careers.services.pipeline import ROUTE_LEAD_TASK
from tests.factories import AdvisorFactory, LeadFactory
from tests.staff.test_staff_browser import log_in, origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENIOR_RULE = "Web3 で転職時期が3ヶ月以内 → シニアチーム"


@pytest.fixture(autouse=True)
def rule_sets(staff_roles):
    """The rule-set migration's data, recreated after a transactional test's flush."""
    migration = import_module("careers.migrations.0009_routing_rules_initial")
    migration.create_rulesets(django_apps, None)
    migration.grant_managers(django_apps, None)


def test_a_manager_sends_web3_candidates_in_a_hurry_to_the_senior_team(
    live_server, desktop_page, manager, settings, doorbell_rings
):
    settings.FORM_MIN_FILL_SECONDS = 0
    senior = AdvisorFactory(name="シニア 高橋", specialty="both", capacity=10)
    AdvisorFactory(name="佐藤", specialty="web3", capacity=10)
    for days_ago, reference in ((3, "PW-HIST-0001"), (2, "PW-HIST-0002")):
        lead = LeadFactory(interest="web3", timing="now", reference=reference)
        Lead.objects.filter(id=lead.id).update(created_at=timezone.now() - timedelta(days=days_ago))
    base = origin(live_server)
    page = desktop_page

    log_in(page, base, manager.username)
    page.goto(f"{base}/admin/careers/ruleset/")
    page.get_by_role("link", name="キャリアアドバイザーの振り分け").click()
    page.get_by_test_id("draft-button").click()
    assert "下書きを作成しました" in page.locator(".messagelist").inner_text()

    page.get_by_test_id("add-rule-link").click()
    page.fill("#id_position", "5")
    page.fill("#id_name", SENIOR_RULE)
    page.select_option("#id_conditions-0-fact", label="興味のある領域")
    page.select_option("#id_conditions-0-operator", label="が次と一致")
    page.fill("#id_conditions-0-value", "Web3業界")
    page.select_option("#id_conditions-1-fact", label="転職希望時期")
    page.select_option("#id_conditions-1-operator", label="が次のいずれか")
    page.fill("#id_conditions-1-value", "すぐにでも、3か月以内")
    page.select_option("#id_members-0-advisor", label="シニア 高橋")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/careers/ruleset/\d+/change/$"))

    page.get_by_test_id("replay-link").click()
    page.get_by_test_id("replay-submit").click()
    changes = page.get_by_test_id("replay-changes").inner_text()
    assert "PW-HIST-0002" in changes
    assert SENIOR_RULE in changes
    assert "シニア 高橋" in changes
    page.get_by_test_id("publish-button").click()
    assert "を公開しました" in page.locator(".messagelist").inner_text()
    assert RuleSet.objects.get(team="career", status=RuleSet.Status.PUBLISHED).version == 2

    page.goto(f"{base}/consultation/?source=none")
    page.get_by_label("Web3業界").check()
    page.get_by_label("お名前").fill("山田 太郎")
    page.get_by_label("フリガナ").fill("ヤマダ タロウ")
    page.get_by_label("メールアドレス").fill("taro@example.com")
    page.get_by_label("電話番号").fill("090-1234-5678")
    page.get_by_label("転職希望時期").select_option(label="3か月以内")
    page.get_by_label("ご相談内容").fill("Web3業界に転職したいです。")
    page.get_by_label("個人情報の取り扱いに同意する").check()
    page.get_by_role("button", name="無料で相談する").click()
    page.wait_for_url(re.compile(r"/consultation/thanks/[^/]+/$"))

    # The worker's turn: route the lead.
    assert ROUTE_LEAD_TASK in doorbell_rings.run()
    lead = Lead.objects.get(email="taro@example.com")
    assert lead.advisor == senior
    event = lead.events.get(kind="routed")
    assert event.details["decision"]["matched_rule"]["name"] == SENIOR_RULE
    assert event.details["decision"]["ruleset"]["version"] == 2
