"""Markdown to sanitised HTML, with heading anchors, a table of contents and reading time.

Articles are rendered once, when they are saved; requests only read the stored HTML.
"""

import html
import math
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.text import slugify

# Japanese prose is read at roughly 400-600 characters a minute; 500 is the
# figure Japanese media commonly use for 「この記事は約N分で読めます」.
CHARACTERS_PER_MINUTE = 500

# Ids the page layout itself uses; a heading must never take one of them.
RESERVED_IDS = frozenset({"main", "site-menu", "article-toc", "article-body", "share-toast"})

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# Anything else, javascript: and data: included, loses its href or src.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class RenderedBody:
    html: str
    toc: list[dict] = field(default_factory=list)
    reading_minutes: int = 1


def heading_id(text: str, separator: str = "-") -> str:
    """A stable anchor for a heading, readable for Japanese text too.

    `slugify(allow_unicode=True)` keeps kana and kanji, so 「買収提案の真意」 becomes
    `買収提案の真意`; the Markdown toc extension appends _1, _2 to duplicates.
    """
    slug = slugify(text, allow_unicode=True).replace("-", separator)
    if not slug:
        return "section"
    if slug in RESERVED_IDS:
        return f"{slug}{separator}section"
    return slug


def reading_minutes(plain_text: str) -> int:
    """Whole minutes to read Japanese text, counted by characters (whitespace excluded)."""
    characters = len(_WHITESPACE.sub("", plain_text))
    return max(1, math.ceil(characters / CHARACTERS_PER_MINUTE))


def _flatten_toc(tokens: list[dict]) -> list[dict]:
    entries = []
    for token in tokens:
        if token["level"] in (2, 3):
            entries.append(
                {"level": token["level"], "id": token["id"], "text": html.unescape(token["name"])}
            )
        entries.extend(_flatten_toc(token["children"]))
    return entries


def sanitise(fragment: str, *, heading_ids: frozenset[str] = frozenset()) -> str:
    """Keep the safe subset of HTML; heading ids survive only if the renderer made them."""

    def keep_known_ids(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return value if value in heading_ids else None
        return value

    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=keep_known_ids,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        # Body images never delay the first paint.
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
        strip_comments=True,
    )


def render_markdown(source: str) -> RenderedBody:
    """Render an article body: sanitised HTML, a flat h2/h3 TOC and reading minutes."""
    converter = markdown.Markdown(
        extensions=["toc", "tables", "fenced_code", "sane_lists"],
        extension_configs={"toc": {"slugify": heading_id, "toc_depth": "2-3"}},
        output_format="html",
    )
    raw_html = converter.convert(source or "")
    toc = _flatten_toc(converter.toc_tokens)
    clean_html = sanitise(raw_html, heading_ids=frozenset(entry["id"] for entry in toc))
    # Wide tables scroll inside their own box on phones instead of widening the page.
    clean_html = clean_html.replace("<table>", '<div class="table-scroll"><table>').replace(
        "</table>", "</table></div>"
    )
    plain_text = nh3.clean(clean_html, tags=set())
    return RenderedBody(
        html=clean_html, toc=toc, reading_minutes=reading_minutes(html.unescape(plain_text))
    )


def titled_http_links(items) -> list[dict]:
    """Links with a title and an http(s) URL only; anything else is never rendered as a link."""
    return [
        item
        for item in items or []
        if isinstance(item, dict)
        and str(item.get("url", "")).startswith(("https://", "http://"))
        and item.get("title")
    ]
