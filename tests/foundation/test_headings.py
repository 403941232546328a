"""A screen-reader user jumps from heading to heading: no public page skips a level."""

import io
import itertools
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from news.models.cta import DEFAULT_BUTTONS
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CallToActionFactory,
    CategoryFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    parser = _Headings()
    parser.feed(html)
    return parser.levels


def _png(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 31, 58)).save(buffer, "PNG")
    return SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    CallToActionFactory(slug="plusweb3-career", is_default=True, buttons=DEFAULT_BUTTONS)
    author = AuthorFactory(slug="sato", name="佐藤 花子")
    category = CategoryFactory(slug="ai", name="AI")
    for number in range(5):
        ArticleFactory(
            slug=f"ai-{number}",
            hero_image=_png(2000, 1125) if number == 0 else None,
            hero_alt="説明",
            authors=[author],
            categories=[category],
            is_featured=number < 3,
        )
    ProjectFactory(slug="rag")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/articles/ai-0/",
        "/categories/ai/",
        "/authors/sato/",
        "/search/?q=AI",
        "/projects/",
        "/projects/rag/",
        "/consultation/",
        "/recruiters/",
        "/newsletter/",
    ],
)
def test_headings_start_at_h1_and_never_skip_a_level(client, site, path):
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK

    levels = heading_levels(response.content.decode())

    assert levels[0] == 1, levels
    skips = [(before, after) for before, after in itertools.pairwise(levels) if after > before + 1]
    assert skips == [], levels


def test_a_phone_gets_the_home_pages_lead_image_at_its_own_width(client, site):
    """The large card offers every variant, so a 412 px phone does not fetch the 1,600 px one."""
    html = client.get("/").content.decode()

    large_card = html[html.index("news-card--large") :]
    image = large_card[large_card.index("<img") : large_card.index(">", large_card.index("<img"))]
    assert "-480.webp 480w" in image
    assert "-1600.webp 1600w" in image
    assert 'sizes="(min-width: 992px) 860px, 100vw"' in image
    assert 'fetchpriority="high"' in image
