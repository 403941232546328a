"""The article editor in Chromium under the real CSP: the preview follows the typing, and a
refused save names the failing field and takes the editor to it."""

import pytest

from tests.staff.conftest import PASSWORD
from tests.staff.test_staff_browser import log_in, origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief-editor", "c@example.com", PASSWORD)


def test_the_preview_follows_the_body_and_a_refused_save_goes_to_the_field(
    live_server, desktop_page, chief
):
    page = desktop_page
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    base = origin(live_server)
    log_in(page, base, chief.username)
    page.goto(f"{base}/admin/news/article/add/")

    page.fill("#id_body", "## 生成AIの求人\n\n本文です。")
    preview = page.locator(".news-markdown-preview")
    preview.locator("h2", has_text="生成AIの求人").wait_for()
    title = page.locator("#id_title").bounding_box()
    assert title["width"] >= 500  # the title has the width of a line, not of a word

    page.fill("#id_slug", "no-title")
    page.get_by_role("button", name="保存", exact=True).first.click()
    note = page.locator(".errornote")
    note.wait_for()
    assert "エラーのある項目: タイトル" in note.inner_text()
    assert page.evaluate("document.activeElement.id") == "id_title"
    assert errors == []
