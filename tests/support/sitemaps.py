"""Reading the sitemap as a crawler does: /sitemap.xml is an index, the URLs are in its pages."""

import xml.etree.ElementTree as ET
from http import HTTPStatus
from urllib.parse import urlsplit

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
INDEX = "/sitemap.xml"


def _xml(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == HTTPStatus.OK, path
    return ET.fromstring(response.content)  # noqa: S314 - our own sitemap, not untrusted input


def sitemap_paths(client) -> list[str]:
    """The index, then every sitemap page it lists, as paths with their query (`?p=2`)."""
    index = _xml(client, INDEX)
    assert index.tag == f"{SITEMAP}sitemapindex"
    pages = []
    for loc in index.iter(f"{SITEMAP}loc"):
        parts = urlsplit(loc.text)
        pages.append(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    return [INDEX, *pages]


def sitemap_entries(client) -> dict[str, str | None]:
    """Every URL of every sitemap page, with its lastmod (None where there is none)."""
    entries = {}
    for path in sitemap_paths(client)[1:]:
        for url in _xml(client, path).iter(f"{SITEMAP}url"):
            entries[url.findtext(f"{SITEMAP}loc")] = url.findtext(f"{SITEMAP}lastmod")
    return entries
