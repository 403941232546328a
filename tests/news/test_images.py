"""Hero images get resized WebP variants, and pages ask for a size that fits."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _png(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 184, 166)).save(buffer, "PNG")
    return SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")


def test_a_large_hero_gets_three_webp_variants(client, settings, default_cta):
    article = ArticleFactory(hero_image=_png(2400, 1200), hero_alt="説明")

    widths = article.hero_variants["widths"]
    assert sorted(int(width) for width in widths) == [480, 960, 1600]
    for width, name in widths.items():
        with Image.open(settings.MEDIA_ROOT / name) as variant:
            assert variant.format == "WEBP"
            assert variant.size == (int(width), int(width) // 2)

    html = client.get(article.get_absolute_url()).content.decode()
    assert 'srcset="' in html
    assert "-480.webp 480w" in html
    assert 'width="1600" height="800"' in html
    assert 'alt="説明"' in html


def test_a_small_hero_is_never_upscaled():
    article = ArticleFactory(hero_image=_png(600, 400))
    assert list(article.hero_variants["widths"]) == ["480", "600"]


def test_replacing_the_hero_rebuilds_the_variants():
    article = ArticleFactory(hero_image=_png(1000, 500))
    first = dict(article.hero_variants["widths"])
    article.hero_image = _png(700, 700)
    article.save()
    assert article.hero_variants["widths"] != first
    assert "700" in article.hero_variants["widths"]


def test_list_cards_use_a_small_lazily_loaded_variant(client, default_cta):
    ArticleFactory(hero_image=_png(2000, 1000))
    ArticleFactory(hero_image=_png(2000, 1000))
    html = client.get("/").content.decode()
    assert "-480.webp" in html
    assert 'loading="lazy"' in html
