"""A freelancer in Chromium on a 375 px phone: menu → projects → filter → project → apply."""

import re

import pytest

from careers.models import Lead, Team
from careers.services.pipeline import ROUTE_LEAD_TASK
from tests.factories import AdvisorFactory, ProjectFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_freelancer_finds_a_project_and_applies_from_a_phone(
    phone_page, live_server, settings, mailoutbox, doorbell_rings
):
    # The fill-time minimum is for bots; a test fills the form faster than anyone.
    settings.FORM_MIN_FILL_SECONDS = 0
    advisor = AdvisorFactory(team=Team.FREELANCE, specialty="both", email="fl@plusweb3.example")
    solidity = TagFactory(slug="solidity", name="Solidity")
    ProjectFactory(title="AIの案件", field="ai")
    ProjectFactory(
        slug="defi-audit", title="DeFiの監査案件", field="web3", role="security", skills=[solidity]
    )
    page = phone_page

    page.goto(live_server.url + "/")
    page.get_by_role("button", name="メニューを開く").click()
    page.get_by_test_id("header-projects").click()
    page.wait_for_url(re.compile(r"/projects/$"))
    assert page.get_by_test_id("result-count").inner_text() == "2件の案件"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    filters = page.get_by_test_id("project-filters")
    filters.get_by_label("領域").select_option("web3")
    filters.get_by_label("必須スキル").select_option("solidity")
    page.get_by_role("button", name="この条件で探す").click()
    page.wait_for_url(re.compile(r"/projects/\?field=web3&.*skill=solidity"))
    assert page.get_by_test_id("result-count").inner_text() == "1件の案件"

    page.get_by_role("link", name=re.compile("DeFiの監査案件")).click()
    page.wait_for_url(re.compile(r"/projects/defi-audit/$"))
    page.get_by_test_id("project-apply").click()
    page.wait_for_url(re.compile(r"/projects/defi-audit/apply/$"))

    page.get_by_label("お名前").fill("佐々木 陽介")
    page.get_by_label("メールアドレス").fill("yosuke@example.com")
    page.get_by_label("開始希望時期").select_option(label="すぐにでも")
    page.get_by_label("週3日").check()
    page.locator("#id_skills").fill("Solidity, Foundry")
    page.get_by_label("ポートフォリオ・GitHubのURL").fill("https://github.com/yosuke-example")
    page.get_by_label("個人情報の取り扱いに同意する").check()
    page.get_by_role("button", name="この案件に応募する").click()

    page.wait_for_url(re.compile(r"/projects/apply/thanks/[^/]+/$"))
    assert page.get_by_role("heading", name="ご応募を受け付けました").is_visible()
    assert "「DeFiの監査案件」へのご応募ありがとうございます" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The worker's turn: route the lead and send what its routing queued.
    assert ROUTE_LEAD_TASK in doorbell_rings.run()
    lead = Lead.objects.get()
    assert (lead.kind, lead.project.slug, lead.advisor) == ("freelance", "defi-audit", advisor)
