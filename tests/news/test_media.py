"""Uploads are served in production posture, the icons exist, and storage comes from the env."""

import io
import json
import os
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from careers.roles import EDITOR_GROUP
from news.images import variant_urls
from news.models import BodyImage
from tests.factories import ArticleFactory, AuthorFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png(name="hero.png", width=1200, height=600):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 31, 58)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_the_hero_variants_and_author_photo_load_with_debug_off(client, default_cta):
    """The hero 404'd in production: uploads were served only with DEBUG on."""
    assert not django_settings.DEBUG
    article = ArticleFactory(hero_image=_png())
    author = AuthorFactory(photo=_png("author.png", 200, 200))

    for url in (article.hero_url, article.card_image_url, author.photo.url):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert "max-age=86400" in response["Cache-Control"]


def test_a_path_outside_the_uploads_is_not_served(client):
    escaped = client.get("/media/%2e%2e/config/settings.py").status_code
    assert escaped in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)
    assert client.get("/media/news/missing.webp").status_code == HTTPStatus.NOT_FOUND


def test_the_icons_and_manifest_are_served_and_linked(client):
    for path in ("/favicon.ico", "/apple-touch-icon.png", "/icon-192.png", "/icon-512.png"):
        assert client.get(path).status_code == HTTPStatus.OK, path
    manifest = json.loads(b"".join(client.get("/site.webmanifest").streaming_content))
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    html = client.get("/privacy/").content.decode()
    assert 'rel="icon" href="/favicon.ico"' in html
    assert 'rel="apple-touch-icon"' in html
    assert 'rel="manifest" href="/site.webmanifest"' in html


def _storage_in_a_fresh_process(**env) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup();"
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__, s.url('news/hero/a.webp'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_several_nodes_share_uploads_through_s3_compatible_storage():
    result = _storage_in_a_fresh_process(
        DJANGO_SECRET_KEY="x",
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="plusweb3-media",
        MEDIA_S3_CUSTOM_DOMAIN="media.plusweb3.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "https://media.plusweb3.example/news/hero/a.webp"]


def test_an_unknown_media_storage_refuses_to_start():
    result = _storage_in_a_fresh_process(DJANGO_SECRET_KEY="x", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be filesystem or s3" in result.stderr


def test_an_uploaded_body_image_gets_a_srcset_like_the_hero(client, default_cta):
    body_image = BodyImage.objects.create(image=_png("chart.png", 2000, 1000), alt="求人数の推移")
    article = ArticleFactory(body=f"本文の図です。\n\n{body_image.markdown}\n")

    html = client.get(article.get_absolute_url()).content.decode()

    assert body_image.markdown.startswith("![求人数の推移](/media/news/body/")
    start = html.rindex("<img ", 0, html.index('src="/media/news/body/'))
    tag = html[start:].split(">", 1)[0]
    assert "-480.webp 480w" in tag
    assert "-1600.webp 1600w" in tag
    assert 'width="2000" height="1000"' in tag
    assert 'loading="lazy"' in tag
    for width, url in variant_urls(body_image.variants):
        assert client.get(url).status_code == HTTPStatus.OK, width


def test_editors_may_upload_body_images(staff_roles):
    editor = StaffFactory()
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    assert editor.has_perm("news.add_bodyimage")
