"""The outbox in the admin: managers read every email and what it is about, never edit one."""

from http import HTTPStatus

import pytest

from outbox.models import Email
from tests.factories import AdvisorFactory, LeadFactory, StaffFactory

pytestmark = pytest.mark.django_db

URL = "/admin/outbox/email/"


def _email(n: int, about) -> Email:
    return Email.objects.create(
        key=f"test:{n}",
        kind="lead_confirmation",
        to=[f"p{n}@example.com"],
        subject=f"件名{n}",
        body_text="本文",
        about=about,
    )


def test_the_list_shows_what_each_email_is_about_in_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    lead = LeadFactory(reference="PW-ADMN-0001")
    _email(0, lead)
    _email(1, AdvisorFactory(name="高橋 美咲"))
    _email(2, None)
    with django_assert_max_num_queries(12) as few:
        response = admin_client.get(URL)
    assert response.status_code == HTTPStatus.OK
    html = response.text
    assert "関連する対象" in html
    assert "PW-ADMN-0001" in html
    assert "高橋 美咲" in html

    for n in range(3, 13):
        _email(n, LeadFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(URL).status_code == HTTPStatus.OK


def test_nobody_adds_or_edits_an_email_by_hand(admin_client):
    email = _email(0, LeadFactory())
    assert admin_client.get(f"{URL}add/").status_code == HTTPStatus.FORBIDDEN
    page = admin_client.get(f"{URL}{email.pk}/change/")
    assert page.status_code == HTTPStatus.OK
    assert 'name="subject"' not in page.text
    assert admin_client.post(f"{URL}{email.pk}/delete/").status_code == HTTPStatus.FORBIDDEN


def test_a_manager_opens_the_html_version_as_the_recipient_sees_it_in_a_sandbox(admin_client):
    html = (
        "<html><head><style>p { color: red; }</style></head><body>"
        '<p style="font-weight: bold">ご登録ありがとうございます</p>'
        "<script>alert(1)</script></body></html>"
    )
    email = Email.objects.create(
        key="test:html",
        kind="newsletter_confirm",
        to=["reader@example.com"],
        subject="メルマガ登録の確認",
        body_text="本文",
        body_html=html,
    )

    page = admin_client.get(f"{URL}{email.pk}/change/").text
    assert f'<iframe class="email-preview" src="{URL}{email.pk}/html/" sandbox' in page
    assert "メルマガ登録の確認" in page
    assert "newsletter_confirm" not in page

    preview = admin_client.get(f"{URL}{email.pk}/html/")
    assert preview.status_code == HTTPStatus.OK
    assert preview.content.decode() == html
    policy = preview["Content-Security-Policy"]
    # No script runs and only this email's own two styles apply: never 'unsafe-inline'.
    assert "sandbox" in policy
    assert "default-src 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert policy.count("'sha256-") == 2
    assert "frame-ancestors 'self'" in policy
    assert preview["X-Frame-Options"] == "SAMEORIGIN"


def test_staff_without_the_outbox_permission_cannot_open_an_html_version(client):
    email = Email.objects.create(
        key="test:private",
        kind="lead_assigned",
        to=["a@example.com"],
        subject="s",
        body_text="t",
        body_html="<p>秘密</p>",
    )
    client.force_login(StaffFactory())
    response = client.get(f"{URL}{email.pk}/html/")
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    assert "秘密" not in response.content.decode()
