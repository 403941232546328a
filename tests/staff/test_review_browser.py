"""In Chromium: an editor submits, the 編集長 sees the diff and approves, readers see it."""

import pytest

from tests.factories import ArticleFactory
from tests.staff.test_staff_browser import log_in, origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_submits_chief_approves_and_the_reader_sees_the_new_version(
    live_server, chromium, desktop_page, editor, chief_editor
):
    article = ArticleFactory(title="公開中のタイトル", slug="reviewed-article")
    base = origin(live_server)
    public_url = f"{base}/articles/reviewed-article/"
    reader = chromium.new_context(locale="ja-JP").new_page()

    log_in(desktop_page, base, editor.username)
    desktop_page.goto(f"{base}/admin/news/article/{article.pk}/change/")
    desktop_page.fill("#id_title", "改訂後のタイトル")
    desktop_page.fill("#id_review_comment", "見出しを改めました。")
    desktop_page.get_by_role("button", name="保存してレビューに提出").first.click()
    desktop_page.wait_for_url(f"**/admin/news/article/{article.pk}/change/")
    assert "編集長のレビューに提出しました" in desktop_page.inner_text("body")
    reader.goto(public_url)
    assert reader.inner_text("h1") == "公開中のタイトル"

    chief = chromium.new_context(locale="ja-JP").new_page()
    log_in(chief, base, chief_editor.username)
    chief.goto(f"{base}/admin/news/article/{article.pk}/change/")
    chief.get_by_role("link", name="レビューする").click()
    diff = chief.inner_text("#content-main")
    assert "見出しを改めました。" in diff
    assert "公開中のタイトル" in diff
    assert "改訂後のタイトル" in diff
    chief.get_by_role("button", name="承認して公開").click()
    chief.wait_for_url(f"**/admin/news/article/{article.pk}/change/")

    reader.goto(public_url)
    assert reader.inner_text("h1") == "改訂後のタイトル"
