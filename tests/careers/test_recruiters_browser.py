"""A recruiter in Chromium on a 375 px phone reads /recruiters/ and sends the inquiry form."""

import re

import pytest

from careers.models import Lead, Team
from careers.services.pipeline import ROUTE_LEAD_TASK
from tests.factories import AdvisorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_recruiter_sends_the_inquiry_from_a_phone(
    phone_page, live_server, settings, mailoutbox, doorbell_rings
):
    # The fill-time minimum is for bots; a test fills the form faster than anyone.
    settings.FORM_MIN_FILL_SECONDS = 0
    sales = AdvisorFactory(team=Team.SALES, specialty="web3", email="sales@plusweb3.example")
    AdvisorFactory(team=Team.CAREER, specialty="both")
    page = phone_page

    page.goto(live_server.url + "/recruiters/?utm_source=header")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "AI・Web3領域の採用を、業界専門のチームが支援します"
    )
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The FAQ opens on a tap, without any script of ours.
    page.get_by_text("費用はいつ発生しますか?").click()
    assert page.get_by_text("ご紹介した方の入社が決まったときだけです。").is_visible()
    # The button at the top jumps to the form.
    page.get_by_role("link", name="無料で相談する").click()
    page.wait_for_url(re.compile(r"#inquiry$"))

    page.get_by_label("会社名").fill("チェーンブリッジ株式会社")
    page.get_by_label("部署名").fill("経営企画室")
    page.get_by_label("ご担当者名").fill("前田 隆")
    page.get_by_label("メールアドレス").fill("ｍａｅｄａ＠ｃｈａｉｎｂｒｉｄｇｅ．ｅｘａｍｐｌｅ")
    page.get_by_label("電話番号").fill("０３－１２３４－５６７８")
    page.get_by_label("Web3領域の人材").check()
    page.get_by_label("募集人数").fill("２")
    page.get_by_label("採用希望時期").select_option(label="3か月以内")
    page.get_by_label("ご相談内容").fill("Web3事業の責任者候補を探しています。")
    page.get_by_label("個人情報の取り扱いに同意する").check()
    submit = page.get_by_role("button", name="無料で相談する")
    box = submit.bounding_box()
    assert box["width"] >= 300  # a full-width, thumb-sized button
    assert box["height"] >= 44
    submit.click()

    # The redirect keeps the #inquiry the form was sent from (browsers carry the fragment).
    page.wait_for_url(re.compile(r"/recruiters/thanks/[^/]+/(#inquiry)?$"))
    assert page.get_by_role("heading", name="お問い合わせを受け付けました").is_visible()
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"PW-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    assert "チェーンブリッジ株式会社 前田 隆 様" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The worker's turn: send the confirmation, route the lead.
    assert ROUTE_LEAD_TASK in doorbell_rings.run()
    lead = Lead.objects.get()
    assert lead.reference == reference
    assert lead.kind == Lead.Kind.COMPANY
    assert (lead.email, lead.phone, lead.positions, lead.interest) == (
        "maeda@chainbridge.example",
        "0312345678",
        2,
        "web3",
    )
    assert lead.utm_source == "header"
    assert lead.advisor == sales
    assert [message.to for message in mailoutbox].count(["maeda@chainbridge.example"]) == 1
    # Reloading the thank-you page sends nothing again.
    page.reload()
    assert Lead.objects.count() == 1
