"""The outbox in the admin: managers read every email and what it is about, never edit one."""

from http import HTTPStatus

import pytest

from outbox.models import Email
from tests.factories import AdvisorFactory, LeadFactory

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
