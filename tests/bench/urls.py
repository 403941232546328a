"""The site's URLs plus /bench/bare/, the reference page; never part of the public URLs."""

from functools import lru_cache

from django.http import HttpResponse
from django.urls import path

from config.urls import *  # noqa: F403 - the site's URLs and error handlers, unchanged
from config.urls import urlpatterns as site_urlpatterns

HEAD = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>bench</title></head><body>'
)
TAIL = "</body></html>"
PARAGRAPH = "<p>" + "ベンチマーク用の本文です。" * 8 + "</p>\n"


@lru_cache(maxsize=16)
def bare_body(size: int) -> bytes:
    """An HTML page of exactly `size` bytes (UTF-8), built once per size."""
    filler = size - len(HEAD.encode()) - len(TAIL.encode())
    body = b""
    paragraph = PARAGRAPH.encode()
    while len(body) + len(paragraph) <= filler:
        body += paragraph
    body += b" " * (filler - len(body))
    return HEAD.encode() + body + TAIL.encode()


def bare(request):
    """The least Django can do for an HTML page: no query, no template, same middleware."""
    size = max(len(HEAD) + len(TAIL), min(int(request.GET.get("bytes", "20000")), 2_000_000))
    return HttpResponse(bare_body(size), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *site_urlpatterns]
