"""An error inside the admin shows the admin's own page; the public site keeps its own."""

from http import HTTPStatus

import pytest
from django.test import RequestFactory

from config.views import server_error

pytestmark = pytest.mark.django_db

ADMIN_HEADER = "Plus Web3 管理画面"
PUBLIC_ERROR = "error-page__code"


def test_a_403_inside_the_admin_is_the_admins_own_page(client, advisor_a):
    client.force_login(advisor_a.user)
    response = client.get("/admin/careers/lead/dashboard/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    html = response.content.decode()
    assert ADMIN_HEADER in html
    assert "このページを表示する権限がありません" in html
    assert PUBLIC_ERROR not in html


def test_a_404_inside_the_admin_is_the_admins_own_page(client, advisor_a, lead_of_b):
    client.force_login(advisor_a.user)
    response = client.get(f"/admin/careers/lead/{lead_of_b.pk}/change/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert ADMIN_HEADER in html
    assert 'data-testid="admin-error"' in html
    assert PUBLIC_ERROR not in html


def test_a_500_inside_the_admin_needs_no_database_and_keeps_the_admins_look():
    request = RequestFactory().get("/admin/careers/lead/")
    response = server_error(request)
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    html = response.content.decode()
    assert ADMIN_HEADER in html
    assert "エラーが発生しました" in html


def test_the_public_site_keeps_its_own_error_pages(client):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert PUBLIC_ERROR in html
    assert ADMIN_HEADER not in html
