"""A reader in Chromium, production posture: no console error and no failed request."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from news.models.cta import DEFAULT_BUTTONS
from tests.factories import ArticleFactory, AuthorFactory, CallToActionFactory, CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(name, width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 31, 58)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def article(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    CallToActionFactory(slug="plusweb3-career", is_default=True, buttons=DEFAULT_BUTTONS)
    author = AuthorFactory(slug="sato", name="佐藤 花子", photo=_png("sato.png", 240, 240))
    return ArticleFactory(
        slug="stablecoin-law",
        title="ステーブルコイン法の読み方",
        body="## 要点\n\n本文の段落です。",
        hero_image=_png("hero.png", 2000, 1000),
        hero_alt="説明",
        authors=[author],
        categories=[CategoryFactory(slug="web3", name="Web3")],
    )


def _problems(page):
    """Console errors, uncaught exceptions, failed and >= 400 requests, as they happen."""
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"),
    )
    return problems


@pytest.mark.parametrize("path", ["/articles/stablecoin-law/", "/consultation/", "/authors/sato/"])
def test_the_page_loads_without_a_console_error_or_failed_request(
    live_server, phone_page, article, path
):
    problems = _problems(phone_page)

    phone_page.goto(live_server.url + path, wait_until="networkidle")
    # Lazy images below the fold load too.
    phone_page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    phone_page.wait_for_load_state("networkidle")

    assert problems == []


def test_the_hero_and_favicon_load(live_server, desktop_page, article):
    desktop_page.goto(live_server.url + "/articles/stablecoin-law/", wait_until="networkidle")
    width = desktop_page.evaluate("document.querySelector('.article-hero img').naturalWidth")
    assert width > 0
    assert desktop_page.request.get(live_server.url + "/favicon.ico").status == 200


def test_share_buttons_are_named_by_their_visible_labels(live_server, desktop_page, article):
    """Voice control users say what they see: each name starts with the visible label."""
    desktop_page.goto(live_server.url + "/articles/stablecoin-law/")
    full = desktop_page.locator(".share-buttons:not(.share-buttons--compact)")
    for role, name, visible in (
        ("link", "X でシェア", "X"),
        ("link", "Facebook でシェア", "Facebook"),
        ("link", "LINE で送る", "LINE"),
        ("link", "はてブ (はてなブックマークに追加)", "はてブ"),
        ("button", "URLコピー", "URLコピー"),
    ):
        button = full.get_by_role(role, name=name, exact=True)
        assert button.count() == 1, name
        assert button.locator(".share-button__text").inner_text() == visible
        assert name.startswith(visible)
        assert button.get_attribute("aria-label") is None
