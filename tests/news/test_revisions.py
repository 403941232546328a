"""Every save through the admin keeps a revision; any two can be compared; restore adds one."""

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from reversion.models import Version

from news.images import variant_urls
from news.models import Article, BodyImage
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CallToActionFactory,
    CategoryFactory,
    TagFactory,
    UserFactory,
)
from tests.news.forms import article_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_admin(client):
    user = UserFactory(username="hanako", first_name="花子", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def article():
    return ArticleFactory(
        title="最初のタイトル",
        lead="最初のリード文",
        body="## 概要\n\n最初の本文です。\n",
        status=Article.Status.DRAFT,
        published_at=None,
    )


def _change(client, article, **changes):
    return client.post(
        f"/admin/news/article/{article.pk}/change/", article_form_data(article, **changes)
    )


def _versions(article):
    return list(Version.objects.get_for_object(article).select_related("revision__user"))


def test_each_admin_save_keeps_a_revision_with_who_and_what(editor_admin, article):
    response = _change(editor_admin, article, title="二つ目のタイトル")
    assert response.status_code == HTTPStatus.FOUND

    versions = _versions(article)
    assert len(versions) == 1
    assert versions[0].revision.user.username == "hanako"
    assert versions[0].field_dict["title"] == "二つ目のタイトル"
    history = editor_admin.get(f"/admin/news/article/{article.pk}/history/").content.decode()
    assert "hanako" in history
    assert "比較する" in history


def test_diff_between_two_revisions_shows_text_cta_categories_and_tags(editor_admin, article):
    cta = CallToActionFactory(name="転職相談CTA")
    category = CategoryFactory(name="Web3転職")
    tag = TagFactory(name="ステーブルコイン")
    _change(editor_admin, article)
    article.refresh_from_db()
    _change(
        editor_admin,
        article,
        title="新しいタイトル",
        lead="新しいリード文",
        body="## 概要\n\n書き直した本文です。\n",
        cta_choice=Article.CTAChoice.CUSTOM,
        cta=cta.pk,
        categories=[category.pk],
        tags=[tag.pk],
    )
    newer, older = _versions(article)

    response = editor_admin.get(
        f"/admin/news/article/{article.pk}/history/compare/",
        {"version_id1": older.pk, "version_id2": newer.pk},
    )

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for text in ("新しいタイトル", "最初のタイトル", "書き直した本文", "転職相談CTA"):
        assert text in html
    assert "Web3転職" in html
    assert "ステーブルコイン" in html
    assert "版の違い" in html


def test_restore_saves_the_old_content_as_a_new_revision(editor_admin, article):
    category = CategoryFactory(name="AI")
    _change(editor_admin, article, categories=[category.pk])
    article.refresh_from_db()
    _change(editor_admin, article, title="書き換えたタイトル", categories=[])
    first = _versions(article)[-1]

    page = editor_admin.get(f"/admin/news/article/{article.pk}/history/{first.pk}/")
    assert "最初のタイトル" in page.content.decode()
    assert "この版を復元する" in page.content.decode()
    response = editor_admin.post(f"/admin/news/article/{article.pk}/history/{first.pk}/")

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert article.title == "最初のタイトル"
    assert list(article.categories.all()) == [category]
    versions = _versions(article)
    assert len(versions) == 3, "restore adds a revision and keeps the two before it"
    assert versions[0].field_dict["title"] == "最初のタイトル"
    assert versions[1].field_dict["title"] == "書き換えたタイトル"
    assert "の版を復元しました" in versions[0].revision.comment


def test_restoring_a_slug_taken_since_explains_why_instead_of_failing(editor_admin, article):
    _change(editor_admin, article)
    article.refresh_from_db()
    _change(editor_admin, article, slug="renamed-article")
    first = _versions(article)[-1]
    ArticleFactory(slug=first.field_dict["slug"])

    response = editor_admin.post(
        f"/admin/news/article/{article.pk}/history/{first.pk}/", follow=True
    )

    assert response.status_code == HTTPStatus.OK
    assert "スラッグ" in response.content.decode()
    assert len(_versions(article)) == 2


def test_a_revision_of_another_article_cannot_be_restored_here(editor_admin, article):
    other = ArticleFactory()
    _change(editor_admin, other)
    foreign = _versions(other)[0]
    response = editor_admin.post(f"/admin/news/article/{article.pk}/history/{foreign.pk}/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_the_diff_names_authors_gained(editor_admin, article):
    _change(editor_admin, article)
    article.refresh_from_db()
    writer = AuthorFactory(name="田中 記者")
    _change(editor_admin, article, authors=[writer.pk])
    newer, older = _versions(article)
    html = editor_admin.get(
        f"/admin/news/article/{article.pk}/history/compare/",
        {"version_id1": older.pk, "version_id2": newer.pk},
    ).content.decode()
    assert "執筆者" in html
    assert "田中 記者" in html


def _png(name, colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 600), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _upload(client, name, colour) -> BodyImage:
    response = client.post(
        "/admin/news/article/upload-image/", {"image": _png(name, colour), "alt": name}
    )
    assert response.status_code == HTTPStatus.OK
    return BodyImage.objects.get(image__endswith=name)


def _served(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    return b"".join(response.streaming_content)


def test_restoring_a_revision_brings_back_the_body_images_it_showed(
    editor_admin, settings, tmp_path
):
    """Upload a chart, save, replace it with another and delete the first, then restore: the
    body shows the first chart again, served with its srcset."""
    settings.MEDIA_ROOT = tmp_path / "media"
    article = ArticleFactory(slug="chart-article", body="図です。\n")
    old_chart = _upload(editor_admin, "old-chart.png", (200, 30, 30))
    old_url, old_bytes = old_chart.image.url, old_chart.image.read()
    _change(editor_admin, article, body=f"図です。\n\n{old_chart.markdown}\n")
    article.refresh_from_db()
    new_chart = _upload(editor_admin, "new-chart.png", (30, 30, 200))
    _change(editor_admin, article, body=f"図です。\n\n{new_chart.markdown}\n")
    assert list(article.body_images.all()) == [new_chart]
    editor_admin.post(f"/admin/news/bodyimage/{old_chart.pk}/delete/", {"post": "yes"})
    assert not BodyImage.objects.filter(pk=old_chart.pk).exists()
    first = _versions(article)[-1]

    response = editor_admin.post(f"/admin/news/article/{article.pk}/history/{first.pk}/")

    assert response.status_code == HTTPStatus.FOUND
    article.refresh_from_db()
    assert old_url in article.body
    restored = BodyImage.objects.get(pk=old_chart.pk)
    assert restored.image.name == old_chart.image.name
    assert list(article.body_images.all()) == [restored]
    reader = Client()
    page = reader.get(article.get_absolute_url()).content.decode()
    assert f'src="{old_url}"' in page
    assert new_chart.image.url not in page
    widest_variant = variant_urls(restored.variants)[-1][1]
    assert f"{widest_variant} " in page, "the restored image keeps its srcset"
    assert _served(reader, old_url) == old_bytes
    _served(reader, widest_variant)


def test_a_body_images_file_cannot_be_replaced_in_place(editor_admin, settings, tmp_path):
    """A revision names an image by its file's URL, so a new picture must be a new upload."""
    settings.MEDIA_ROOT = tmp_path / "media"
    chart = _upload(editor_admin, "chart.png", (200, 30, 30))

    editor_admin.post(
        f"/admin/news/bodyimage/{chart.pk}/change/",
        {"image": _png("other.png", (0, 0, 0)), "alt": "書き換えた説明"},
    )

    chart.refresh_from_db()
    assert chart.image.name.endswith("chart.png")
    assert chart.alt == "書き換えた説明"
