"""The base layout, error pages and security headers a reader meets on every page."""

from http import HTTPStatus

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def test_home_is_japanese_with_the_site_header(client):
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<html lang="ja">' in html
    for label in ("記事一覧", "無料キャリア相談", "採用担当の方はこちら", "メルマガ"):
        assert label in html
    assert 'href="/consultation/"' in html
    assert 'href="/privacy/"' in html


def test_content_security_policy_allows_no_inline_script(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_bootstrap_is_served_from_our_own_static_files(client):
    html = client.get("/").content.decode()
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/bootstrap/css/bootstrap.min.css").status_code == HTTPStatus.OK


def test_unknown_page_gets_the_japanese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert "お探しのページが見つかりませんでした" in response.content.decode()


def test_privacy_page_states_the_purpose_of_use(client):
    response = client.get("/privacy/")
    assert response.status_code == HTTPStatus.OK
    assert "利用目的" in response.content.decode()


def test_csrf_failure_page_says_reload_in_japanese():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    html = response.content.decode()
    assert "再読み込み" in html
    assert "CSRF" not in html


def _database_gone(request):
    raise OperationalError("connection refused")


urlpatterns = [path("database-gone/", _database_gone)]


@override_settings(ROOT_URLCONF=__name__)
def test_database_outage_gets_the_friendly_503_page(client):
    response = client.get("/database-gone/")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert "一時的にご利用いただけません" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_server_error_page_is_japanese_and_has_no_trace(client):
    from django.views.defaults import server_error

    html = server_error(client.get("/").wsgi_request).content.decode()
    assert "エラーが発生しました" in html
    assert "Traceback" not in html
