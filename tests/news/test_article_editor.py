"""The article editor: a live preview by the site's renderer, images uploaded into the body,
and a save message that says when a scheduled article goes public."""

import io
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Article, BodyImage
from tests.factories import ArticleFactory
from tests.news.forms import article_form_data

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/news/article/preview/"
UPLOAD = "/admin/news/article/upload-image/"


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 900), (11, 31, 58)).save(buffer, "PNG")
    return SimpleUploadedFile("chart.png", buffer.getvalue(), content_type="image/png")


def test_the_form_wires_the_editor_from_a_static_script(admin_client):
    page = admin_client.get("/admin/news/article/add/").content.decode()
    assert f'data-preview-url="{PREVIEW}"' in page
    assert f'data-upload-url="{UPLOAD}"' in page
    assert "news/js/markdown_editor.js" in page
    assert "<script>" not in page  # the CSP allows no inline script


def test_the_preview_renders_like_the_article_page_and_sanitises(admin_client):
    response = admin_client.post(
        PREVIEW, {"body": "## 見出し\n\n本文 **強調**\n\n<script>alert(1)</script>"}
    )
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<h2" in html
    assert "見出し" in html
    assert "<strong>強調</strong>" in html
    assert "<script" not in html
    assert admin_client.get(PREVIEW).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_preview_and_upload_are_for_staff_who_write_only(client, django_user_model):
    client.force_login(django_user_model.objects.create(username="plain", is_staff=True))
    assert client.post(PREVIEW, {"body": "x"}).status_code == HTTPStatus.FORBIDDEN
    assert client.post(UPLOAD, {"alt": "図"}).status_code == HTTPStatus.FORBIDDEN


def test_an_uploaded_image_is_stored_with_variants_and_returns_its_markdown(admin_client):
    response = admin_client.post(UPLOAD, {"image": _png(), "alt": "求人数の推移"})
    assert response.status_code == HTTPStatus.OK
    image = BodyImage.objects.get()
    assert response.json() == {"markdown": image.markdown}
    assert image.markdown.startswith("![求人数の推移](")
    assert image.variants


def test_an_image_without_a_description_is_refused_in_japanese(admin_client):
    response = admin_client.post(UPLOAD, {"image": _png(), "alt": " "})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "代替テキスト" in response.json()["error"]
    assert not BodyImage.objects.exists()


def test_saving_a_scheduled_article_says_when_it_goes_public(admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    when = timezone.now() + timedelta(days=2)
    response = admin_client.post(
        f"/admin/news/article/{article.pk}/change/",
        article_form_data(article, status="published", published_at=when),
        follow=True,
    )
    shown = timezone.localtime(when).strftime("%Y-%m-%d %H:%M")
    assert f"この記事は {shown} に公開されます。" in response.content.decode()
