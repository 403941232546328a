"""The lead list in Chromium at a 1366 px laptop and a 390 px phone; screenshots in var/."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from careers.models import Lead
from outbox.models import Email
from tests.factories import AdvisorFactory
from tests.staff.conftest import assigned_lead
from tests.staff.test_staff_browser import log_in, origin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"


@pytest.fixture
def busy_list(manager):
    advisor = AdvisorFactory(name="長谷川 みなみ アドバイザー", specialty="both")
    first = assigned_lead(
        advisor,
        reference="PW-LATE-0001",
        name="長谷川 健太郎",
        first_contact_due_at=timezone.now() - timedelta(hours=3),
    )
    assigned_lead(advisor, reference="PW-DUPE-0001", name="長谷川 健太郎", duplicate_of=first)
    for index in range(8):
        assigned_lead(advisor, name=f"山田 花子{index}", interest="web3")
    return first


@pytest.fixture
def logged_in(chromium, live_server, manager):
    """open(width, height) -> (page, base): a manager's browser at that viewport."""
    contexts = []
    base = origin(live_server)

    def open_page(width, height, **options):
        context = chromium.new_context(
            viewport={"width": width, "height": height}, locale="ja-JP", **options
        )
        contexts.append(context)
        page = context.new_page()
        log_in(page, base, manager.username)
        return page, base

    yield open_page
    for context in contexts:
        context.close()


PHONE = {"width": 390, "height": 844, "is_mobile": True, "has_touch": True}


def test_at_1366_px_every_column_an_advisor_acts_on_fits_without_scrolling(logged_in, busy_list):
    page, base = logged_in(1366, 768)
    page.goto(f"{base}/admin/careers/lead/")

    headers = page.locator("#result_list thead th").all_inner_texts()
    for column in ("受付番号", "お名前・会社名", "ステータス", "担当", "初回連絡期限", "重複"):
        assert any(column in header for header in headers), column
    # The list's own box scrolls sideways when the table is wider: it must not need to.
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
    right_edge = results.bounding_box()["x"] + results.bounding_box()["width"]
    for column in ("first_contact_deadline", "is_duplicate"):
        box = page.locator(f"#result_list thead th.column-{column}").bounding_box()
        assert box["x"] + box["width"] <= right_edge, column
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "lead-list-1366.png", full_page=True)


def test_at_390_px_a_lead_is_a_readable_card_and_can_be_marked_contacted(logged_in, busy_list):
    page, base = logged_in(**PHONE)
    page.goto(f"{base}/admin/careers/lead/?q=PW-LATE-0001")

    card = page.locator("#result_list tbody tr").first
    text = card.inner_text()
    for fact in ("PW-LATE-0001", "長谷川 健太郎", "担当決定", "初回連絡期限", "期限超過"):
        assert fact in text, fact
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "lead-list-390.png", full_page=True)
    box = card.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    card.locator("input.action-select").check()
    page.select_option("select[name=action]", "mark_contacted")
    page.get_by_role("button", name="実行").click()
    assert "連絡済み" in page.locator(".messagelist").inner_text()
    assert Lead.objects.get(pk=busy_list.pk).status == Lead.Status.CONTACTED

    page.goto(f"{base}/admin/careers/lead/{busy_list.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_test_id("status-link").is_visible()
    page.screenshot(path=SCREENSHOTS / "lead-change-390.png", full_page=True)


def test_at_390_px_the_dashboards_tables_keep_their_headers_on_one_line(logged_in, busy_list):
    page, base = logged_in(**PHONE)
    page.goto(f"{base}/admin/careers/lead/dashboard/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # One line of text each (the table scrolls inside its box instead of squeezing them).
    for header in page.locator("[data-testid=advisor-load] th").all():
        assert header.bounding_box()["height"] < 40, header.inner_text()
    page.screenshot(path=SCREENSHOTS / "dashboard-390.png", full_page=True)


def test_at_1366_px_the_sent_email_list_shows_subject_kind_and_sent_time(logged_in, busy_list):
    Email.objects.create(
        key="browser:1",
        kind="lead_assigned",
        to=["advisor@example.com"],
        subject="【Plus Web3】新しいリードの担当になりました: PW-LATE-0001 長谷川 健太郎 様",
        body_text="本文",
        body_html="<p>本文</p>",
        status=Email.Status.SENT,
        sent_at=timezone.now(),
    )
    page, base = logged_in(1366, 768)
    page.goto(f"{base}/admin/outbox/email/")

    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
    row = page.locator("#result_list tbody tr").first.inner_text()
    assert "担当決定の通知(アドバイザー宛)" in row
    assert "lead_assigned" not in row
    assert timezone.localtime().strftime("%Y-%m-%d") in row
    assert "メールの種類" in page.locator("#changelist-filter").inner_text()
    page.screenshot(path=SCREENSHOTS / "sent-emails-1366.png", full_page=True)
