"""What a reader's article body gets at render time.

A line that holds only a URL becomes a card: an X post (static, from stored words) or one
of our own articles (ブログカード), following the post's or article's current state; the
page around it is page-cached. Uploaded body images get their variants as a srcset.

No third-party script, iframe or pixel is ever emitted: a post without stored words, a
draft or an unknown article stays a plain link.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

from news.cache import NEWS_PAGES
from news.images import srcset
from news.models import Article, BodyImage, EmbeddedPost
from news.models.embeds import X_STATUS_URL

# A paragraph holding nothing but one URL, bare or as an autolink (<https://…>).
LONE_URL_PARAGRAPH = re.compile(
    r'<p>(?:<a href="(?P<href>[^"]+)"[^>]*>[^<]*</a>|(?P<bare>https?://[^\s<>"]+))</p>'
)
CARD_SECONDS = 60 * 60
_MISSING = ""
# Body images as the sanitiser leaves them (news/rendering.py), which allows no srcset of its own.
BODY_IMAGE = re.compile(r'<img (?P<attributes>[^>]*\bsrc="(?P<src>[^"]+)"[^>]*)>')
BODY_IMAGE_SIZES = "(min-width: 800px) 760px, 100vw"


def _own_article_slug(url: str) -> str | None:
    """The slug of /articles/<slug>/ on our own site (relative or SITE_URL), else None."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        own = urlsplit(settings.SITE_URL)
        if (parts.scheme, parts.netloc) != (own.scheme, own.netloc):
            return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.url_name == "article" else None


def _card_key(slug: str) -> str:
    # The news generation changes on every publish, edit or unpublish: a stale card dies with it.
    return f"news:blogcard:{NEWS_PAGES.current_generation()}:{slug}"


def blog_cards(slugs: set[str]) -> dict[str, dict]:
    """Title, URL, thumbnail and date per public slug: one cache round trip, a query only
    for the slugs the cache does not know yet."""
    keys = {_card_key(slug): slug for slug in slugs}
    found = cache.get_many(list(keys))
    cards = {keys[key]: value for key, value in found.items()}
    missing = slugs - cards.keys()
    if missing:
        rows = {
            article.slug: {
                "title": article.title,
                "url": article.get_absolute_url(),
                "image": article.card_image_url,
                "date": article.published_at,
            }
            for article in Article.objects.public()
            .filter(slug__in=missing)
            .only("slug", "title", "published_at", "hero_image", "hero_variants")
        }
        fresh = {slug: rows.get(slug, _MISSING) for slug in missing}
        cache.set_many({_card_key(slug): card for slug, card in fresh.items()}, CARD_SECONDS)
        cards |= fresh
    return {slug: card for slug, card in cards.items() if card}


def _lone_urls(body_html: str) -> list[str]:
    return [match["href"] or match["bare"] for match in LONE_URL_PARAGRAPH.finditer(body_html)]


def _post_urls(urls: list[str]) -> dict[str, str]:
    return {
        status["status_id"]: url for url in urls if (status := X_STATUS_URL.match(url)) is not None
    }


def _own_slugs(urls: list[str]) -> set[str]:
    return {slug for url in urls if (slug := _own_article_slug(url))}


def lone_post_urls(body_html: str) -> dict[str, str]:
    """The X post URLs that stand alone on a line of the body, by post id."""
    return _post_urls(_lone_urls(body_html))


def linked_article_slugs(body_html: str) -> set[str]:
    """The slugs of our own articles that the body shows as cards."""
    return _own_slugs(_lone_urls(body_html))


def with_cards(body_html: str) -> str:
    """The article body with each lone X post or own-article URL replaced by its card."""
    # The body is scanned once: the lone URLs feed both lookups.
    urls = _lone_urls(body_html)
    if not urls:
        return body_html
    post_ids = set(_post_urls(urls))
    slugs = _own_slugs(urls)
    posts = (
        {post.status_id: post for post in EmbeddedPost.objects.filter(status_id__in=post_ids)}
        if post_ids
        else {}
    )
    cards = blog_cards(slugs) if slugs else {}

    def replace(match):
        url = match["href"] or match["bare"]
        if (status := X_STATUS_URL.match(url)) is not None:
            post = posts.get(status["status_id"])
            if post is not None:
                return render_to_string("news/includes/x_post_card.html", {"post": post})
            return render_to_string("news/includes/plain_link.html", {"url": url})
        slug = _own_article_slug(url)
        if slug is not None and slug in cards:
            return render_to_string("news/includes/blog_card.html", {"card": cards[slug]})
        return match.group(0)

    return LONE_URL_PARAGRAPH.sub(replace, body_html)


def with_responsive_images(body_html: str) -> str:
    """Body images uploaded as 本文の画像 get their variants as a srcset and their size (so
    the page reserves their box); one query, only when the body shows an uploaded image."""
    base = default_storage.url("")
    names = {
        match["src"].removeprefix(base)
        for match in BODY_IMAGE.finditer(body_html)
        if match["src"].startswith(base)
    }
    if not names:
        return body_html
    images = {
        default_storage.url(image.image.name): image
        for image in BodyImage.objects.filter(image__in=names)
    }

    def replace(match):
        image = images.get(match["src"])
        if image is None or not image.variants:
            return match.group(0)
        extra = f'srcset="{srcset(image.variants)}" sizes="{BODY_IMAGE_SIZES}"'
        if "width=" not in match["attributes"]:
            extra += f' width="{image.width}" height="{image.height}"'
        return f"<img {match['attributes']} {extra}>"

    return BODY_IMAGE.sub(replace, body_html)
