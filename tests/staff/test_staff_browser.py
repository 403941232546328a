"""Staff in a real browser: a manager's morning, and an advisor who sees only their own leads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from careers.models import Lead, LeadEvent
from tests.factories import AdvisorFactory
from tests.staff.conftest import PASSWORD, assigned_lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def origin(live_server):
    # Test settings run with DEBUG off: __Host- cookies are Secure, which Chromium accepts
    # over plain HTTP for "localhost" (a trustworthy origin) but not for 127.0.0.1.
    return live_server.url.replace("127.0.0.1", "localhost")


def log_in(page, base, username):
    page.goto(f"{base}/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(f"{base}/admin/")


def test_manager_opens_the_dashboard_filters_overdue_leads_and_reassigns_one(
    live_server, desktop_page, manager
):
    late_advisor = AdvisorFactory(name="遅延 アドバイザー", specialty="ai")
    AdvisorFactory(name="交代 アドバイザー", specialty="ai")
    overdue = assigned_lead(
        late_advisor,
        interest="ai",
        reference="PW-LATE-01",
        first_contact_due_at=timezone.now() - timedelta(hours=3),
    )
    assigned_lead(late_advisor, interest="ai", reference="PW-ONTIME-01")
    base = origin(live_server)
    page = desktop_page

    log_in(page, base, manager.username)
    page.get_by_test_id("dashboard-link").click()
    page.wait_for_url("**/admin/careers/lead/dashboard/")
    assert page.get_by_test_id("kpi-overdue").inner_text() == "1"
    assert page.locator("svg[data-testid=leads-per-day] rect").count() == 30

    page.get_by_test_id("overdue-link").click()
    page.wait_for_url("**/admin/careers/lead/?overdue=yes")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "PW-LATE-01" in rows.first.inner_text()
    assert page.locator("#result_list .lead-overdue").count() == 1

    page.get_by_role("link", name="PW-LATE-01").click()
    page.get_by_test_id("reassign-link").click()
    assert "交代 アドバイザー" in page.get_by_test_id("dry-run").inner_text()
    page.fill("#id_reason", "初回連絡の期限を過ぎたため交代")
    page.get_by_role("button", name="担当者を変更する").click()
    page.wait_for_url(f"**/admin/careers/lead/{overdue.pk}/change/")
    assert "交代 アドバイザー に変更しました" in page.locator(".messagelist").inner_text()
    assert "担当を 遅延 アドバイザー から 交代 アドバイザー に変更しました。" in (
        page.locator(".lead-timeline").inner_text()
    )

    overdue.refresh_from_db()
    assert overdue.advisor.name == "交代 アドバイザー"
    event = LeadEvent.objects.get(lead=overdue, kind=LeadEvent.Kind.REASSIGNED)
    assert event.actor == manager


def test_an_advisor_sees_only_their_own_leads(
    live_server, desktop_page, advisor_a, lead_of_a, lead_of_b
):
    base = origin(live_server)
    page = desktop_page

    log_in(page, base, advisor_a.user.username)
    page.goto(f"{base}/admin/careers/lead/")
    table = page.locator("#result_list").inner_text()
    assert lead_of_a.reference in table
    assert lead_of_b.reference not in table
    assert page.locator("#result_list tbody tr").count() == 1

    response = page.goto(f"{base}/admin/careers/lead/{lead_of_b.pk}/change/")
    assert response.status == 404
    assert Lead.objects.get(pk=lead_of_b.pk).status == Lead.Status.ASSIGNED


def test_the_close_reason_appears_only_when_closing(
    live_server, desktop_page, advisor_a, lead_of_a
):
    base = origin(live_server)
    page = desktop_page
    log_in(page, base, advisor_a.user.username)
    page.goto(f"{base}/admin/careers/lead/{lead_of_a.pk}/status/")
    close_reason = page.locator("#id_close_reason")
    assert not close_reason.is_visible()

    page.select_option("#id_to", "closed")
    page.select_option("#id_close_reason", "withdrawn")
    page.fill("#id_reason", "他社で内定")
    page.get_by_role("button", name="ステータスを変更する").click()

    page.wait_for_url(f"**/admin/careers/lead/{lead_of_a.pk}/change/")
    lead_of_a.refresh_from_db()
    assert (lead_of_a.status, lead_of_a.close_reason) == ("closed", "withdrawn")
