"""robots.txt: the sitemap for crawlers, and the pages they should leave alone."""

from http import HTTPStatus

import pytest

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_search(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Disallow: /admin/" in body
    assert "Disallow: /search/" in body
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in body
