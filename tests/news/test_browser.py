"""A reader in Chromium: the 目次 scrolls, copy-URL shows its toast, the CTA reaches the form."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from news.models.cta import DEFAULT_BUTTONS
from tests.factories import ArticleFactory, CallToActionFactory, CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_SECTION = "\n\n".join(["AI業界の動向を詳しく解説する段落です。" * 6] * 8)
BODY = f"""
冒頭の段落です。

## マスク氏とアルトマン氏の関係

{LONG_SECTION}

## 買収提案の真意と業界再編の可能性

{LONG_SECTION}

## まとめ

{LONG_SECTION}
"""


@pytest.fixture
def article():
    CallToActionFactory(slug="plusweb3-career", is_default=True, buttons=DEFAULT_BUTTONS)
    return ArticleFactory(
        slug="musk-openai-bid",
        title="マスク氏がOpenAI買収を提案",
        body=BODY,
        categories=[CategoryFactory(slug="ai", name="AI")],
    )


def _watch_csp(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def _in_viewport(page, selector):
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.top < window.innerHeight;
        }""",
        selector,
    )


@pytest.mark.parametrize("page_fixture", ["desktop_page", "phone_page"])
def test_toc_is_shown_and_clicking_an_entry_scrolls_to_its_heading(
    live_server, request, article, page_fixture
):
    page = request.getfixturevalue(page_fixture)
    violations = _watch_csp(page)
    page.goto(live_server.url + article.get_absolute_url())

    toc = page.get_by_test_id("toc")
    assert toc.is_visible()
    assert toc.get_by_text("目次").is_visible()
    heading_selector = 'h2[id="買収提案の真意と業界再編の可能性"]'
    assert not _in_viewport(page, heading_selector)

    toc.get_by_role("link", name="買収提案の真意と業界再編の可能性").click()

    page.wait_for_function(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.top < window.innerHeight / 2;
        }""",
        arg=heading_selector,
    )
    assert unquote(urlsplit(page.url).fragment) == "買収提案の真意と業界再編の可能性"
    # The sticky header does not hide the heading.
    header_bottom = page.evaluate(
        "document.querySelector('.site-header').getBoundingClientRect().bottom"
    )
    heading_top = page.evaluate(
        f"document.querySelector('{heading_selector}').getBoundingClientRect().top"
    )
    assert heading_top >= header_bottom - 1
    assert violations == []


def test_copy_url_button_copies_and_shows_the_toast(live_server, desktop_page, article):
    desktop_page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    violations = _watch_csp(desktop_page)
    desktop_page.goto(live_server.url + article.get_absolute_url())
    toast = desktop_page.locator("#share-toast")
    assert not toast.is_visible()

    desktop_page.get_by_test_id("copy-url").last.click()

    toast.wait_for(state="visible")
    assert toast.inner_text() == "URLをコピーしました!"
    copied = desktop_page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/articles/musk-openai-bid/")
    toast.wait_for(state="hidden", timeout=5000)
    assert violations == []


def test_cta_button_leads_to_the_consultation_form_with_the_source(
    live_server, phone_page, article
):
    phone_page.goto(live_server.url + article.get_absolute_url())
    button = phone_page.get_by_test_id("article-cta").filter(has_text="Web3企業")
    button.scroll_into_view_if_needed()
    assert button.is_visible()

    button.click()
    phone_page.wait_for_url("**/consultation/**")

    url = urlsplit(phone_page.url)
    assert url.path == "/consultation/"
    query = parse_qs(url.query)
    assert query["source"] == ["musk-openai-bid"]
    assert query["utm_source"] == ["article"]
    assert query["utm_medium"] == ["cta"]
    assert query["utm_campaign"] == ["plusweb3-career"]
    assert query["interest"] == ["web3"]
    assert phone_page.get_by_label("Web3業界").is_checked()


def test_article_fits_a_375px_screen_without_sideways_scrolling(live_server, phone_page, article):
    phone_page.goto(live_server.url + article.get_absolute_url())
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.goto(live_server.url + "/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
