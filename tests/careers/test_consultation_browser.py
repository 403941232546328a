"""A candidate in Chromium, on a 375 px phone and on a desktop, sends the form."""

import re

import pytest

from careers.models import Lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["phone_page", "desktop_page"]


@pytest.fixture
def form_url(live_server, settings):
    # The fill-time minimum is for bots; a test fills the form faster than anyone.
    settings.FORM_MIN_FILL_SECONDS = 0
    # The __Host- cookies are Secure; Chromium takes them over http from 127.0.0.1 too.
    return live_server.url + "/consultation/?source=none"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_filling_in_and_sending_shows_the_reference_number(request, viewport, form_url):
    page = request.getfixturevalue(viewport)
    page.goto(form_url)
    page.get_by_label("AI業界").check()
    page.get_by_label("お名前").fill("山田 太郎")
    page.get_by_label("フリガナ").fill("ﾔﾏﾀﾞ ﾀﾛｳ")
    page.get_by_label("メールアドレス").fill("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ")
    page.get_by_label("電話番号").fill("０９０－１２３４－５６７８")
    page.get_by_label("転職希望時期").select_option(label="3か月以内")
    page.get_by_label("ご相談内容").fill("未経験からAI業界に挑戦したいです。")
    page.get_by_label("個人情報の取り扱いに同意する").check()
    page.get_by_role("button", name="無料で相談する").click()

    page.wait_for_url(re.compile(r"/consultation/thanks/[^/]+/$"))
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"PW-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    assert page.get_by_role("heading", name="お申し込みを受け付けました").is_visible()
    assert "1営業日以内" in page.content()
    # The browser that sent the form is greeted by name (its cookie for this page alone).
    assert "山田 太郎 様" in page.content()
    lead = Lead.objects.get()
    assert lead.reference == reference
    assert (lead.email, lead.phone, lead.name_kana) == (
        "taro@example.com",
        "09012345678",
        "ヤマダ\u3000タロウ",
    )
    assert lead.status != Lead.Status.SPAM
    # Reloading the thank-you page sends nothing again.
    page.reload()
    assert Lead.objects.count() == 1


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_errors_are_summarised_focused_and_the_values_kept(request, viewport, form_url):
    page = request.getfixturevalue(viewport)
    page.goto(form_url)
    page.get_by_label("お名前").fill("山田 太郎")
    page.get_by_label("フリガナ").fill("やまだ")
    page.get_by_label("メールアドレス").fill("taro@")
    page.get_by_label("ご相談内容").fill("よろしくお願いします。")
    page.get_by_role("button", name="無料で相談する").click()

    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    assert "入力内容をご確認ください(4件)" in summary.inner_text()
    for message in (
        "興味のある領域を選んでください。",
        "フリガナは全角カタカナで入力してください",
        "メールアドレスの形式が正しくありません",
        "個人情報の取り扱いへの同意が必要です。",
    ):
        assert message in summary.inner_text()
    # The first field in error has the focus, and every answer is still there.
    assert page.evaluate("document.activeElement.id") == "id_interest_0"
    assert page.get_by_label("お名前").input_value() == "山田 太郎"
    assert page.get_by_label("フリガナ").input_value() == "やまだ"
    assert page.get_by_label("メールアドレス").input_value() == "taro@"
    assert page.get_by_label("ご相談内容").input_value() == "よろしくお願いします。"
    # A link in the summary takes the person to the field.
    summary.get_by_role("link", name=re.compile("メールアドレス")).click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert Lead.objects.count() == 0


def test_the_form_fits_a_375_px_phone_without_sideways_scrolling(phone_page, form_url):
    phone_page.goto(form_url)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    submit = phone_page.get_by_role("button", name="無料で相談する")
    box = submit.bounding_box()
    assert box["width"] >= 300  # a full-width, thumb-sized button
    assert box["height"] >= 44
    # The honeypot is off-screen, where no person sees it.
    trap = phone_page.locator("#id_website").bounding_box()
    assert trap is None or trap["x"] + trap["width"] <= 0
